import { CognitoError } from '../domain/errors.js';
import { orderGroups, preferredRole, type GroupClaimSource } from '../domain/token-claims.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { eventAttributes, isRecord, runTrigger, triggerFunction, unrecognizable, type TriggerResponse } from './triggers.js';

/** The two tokens' claims before signing. */
export interface TokenClaims {
  id: Record<string, unknown>;
  access: Record<string, unknown>;
}

export interface TokenCall {
  /** TokenGeneration_Authentication, _NewPasswordChallenge, _AuthenticateDevice, _RefreshTokens, _HostedAuth. */
  source: string;
  clientId: string;
  user: UserRow;
  groups: readonly GroupClaimSource[];
  /** RespondToAuthChallenge's ClientMetadata (InitiateAuth's does not reach this trigger). */
  clientMetadata?: Readonly<Record<string, string>>;
}

/**
 * Claims a pre token generation function cannot change (DG user-pool-lambda-pre-token-generation: "claims
 * that you can't add, modify or suppress"); asking to is ignored, as the claim is Cognito's. The access token
 * also keeps what identifies the session and client; its scopes change only through scopesToAdd/Suppress.
 */
const FIXED = ['acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'sub', 'token_use'];
const FIXED_ID = new Set([...FIXED, 'event_id']);
const FIXED_ACCESS = new Set([...FIXED, 'client_id', 'event_id', 'scope', 'username', 'device_key', 'version']);

/**
 * The pre token generation trigger, between building the claims and signing them. Version 1 events (the
 * PreTokenGeneration ARN, or PreTokenGenerationConfig V1_0) may change the ID token's claims and the groups of
 * both tokens; versions 2 and 3 (V2_0, V3_0) may also change the access token's claims and scopes
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html).
 */
export async function preTokenGeneration(deps: ServiceDeps, pool: Pool, call: TokenCall, claims: TokenClaims): Promise<TokenClaims> {
  const fn = triggerFunction(pool, 'PreTokenGeneration');
  if (!fn) return claims;
  const ordered = orderGroups(call.groups);
  const scopes = typeof claims.access.scope === 'string' ? claims.access.scope.split(' ').filter((s) => s !== '') : [];
  const v1 = fn.version === '1';
  const response = await runTrigger(deps, pool, 'PreTokenGeneration', {
    triggerSource: call.source,
    userName: call.user.username,
    clientId: call.clientId,
    request: {
      userAttributes: eventAttributes(call.user),
      groupConfiguration: {
        groupsToOverride: ordered.map((g) => g.name),
        iamRolesToOverride: [...new Set(ordered.flatMap((g) => (g.roleArn ? [g.roleArn] : [])))],
        preferredRole: preferredRole(ordered) ?? null,
      },
      ...(v1 ? {} : { scopes }),
      clientMetadata: call.clientMetadata && { ...call.clientMetadata },
    },
    response: v1 ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  if (!response) return claims;
  return v1 ? applyV1(response, claims) : applyV2(response, claims);
}

function member(r: Readonly<Record<string, unknown>>, name: string): Record<string, unknown> | undefined {
  const v = r[name];
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw unrecognizable();
  return v;
}

function stringList(r: Readonly<Record<string, unknown>>, name: string): string[] | undefined {
  const v = r[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw unrecognizable();
  return v;
}

/** claimsToAddOrOverride then claimsToSuppress (suppression wins), never touching the fixed claims. */
function override(target: Record<string, unknown>, spec: Record<string, unknown> | undefined, fixed: ReadonlySet<string>, scalarsOnly: boolean): Record<string, unknown> {
  if (!spec) return target;
  const out = { ...target };
  for (const [k, v] of Object.entries(member(spec, 'claimsToAddOrOverride') ?? {})) {
    if (fixed.has(k)) continue;
    if (scalarsOnly && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw unrecognizable();
    out[k] = v;
  }
  for (const k of stringList(spec, 'claimsToSuppress') ?? []) if (!fixed.has(k)) delete out[k];
  return out;
}

/** groupOverrideDetails: the groups of both tokens, the roles and preferred role of the ID token. */
function overrideGroups(claims: TokenClaims, spec: Record<string, unknown> | undefined): TokenClaims {
  if (!spec) return claims;
  const groups = stringList(spec, 'groupsToOverride');
  const roles = stringList(spec, 'iamRolesToOverride');
  const preferred = spec.preferredRole;
  const id = { ...claims.id };
  const access = { ...claims.access };
  if (groups !== undefined) {
    for (const t of [id, access]) {
      if (groups.length > 0) t['cognito:groups'] = groups;
      else delete t['cognito:groups'];
    }
  }
  if (roles !== undefined) {
    if (roles.length > 0) id['cognito:roles'] = roles;
    else delete id['cognito:roles'];
  }
  if (typeof preferred === 'string') id['cognito:preferred_role'] = preferred;
  else if (preferred === null) delete id['cognito:preferred_role'];
  return { id, access };
}

function applyV1(response: TriggerResponse, claims: TokenClaims): TokenClaims {
  const details = member(response, 'claimsOverrideDetails');
  if (!details) return claims;
  const grouped = overrideGroups(claims, member(details, 'groupOverrideDetails'));
  return { id: override(grouped.id, details, FIXED_ID, true), access: grouped.access };
}

function applyV2(response: TriggerResponse, claims: TokenClaims): TokenClaims {
  const details = member(response, 'claimsAndScopeOverrideDetails');
  if (!details) return claims;
  const grouped = overrideGroups(claims, member(details, 'groupOverrideDetails'));
  const access = applyAccess(member(details, 'accessTokenGeneration'), grouped.access);
  return { id: override(grouped.id, member(details, 'idTokenGeneration'), FIXED_ID, false), access };
}

/** accessTokenGeneration: claims (fixed ones kept), then scopesToAdd and scopesToSuppress (suppression wins). */
function applyAccess(spec: Record<string, unknown> | undefined, claims: Record<string, unknown>): Record<string, unknown> {
  const access = override(claims, spec, FIXED_ACCESS, false);
  if (!spec) return access;
  const current = typeof access.scope === 'string' ? access.scope.split(' ').filter((s) => s !== '') : [];
  const suppress = new Set(stringList(spec, 'scopesToSuppress') ?? []);
  const scopes = [...new Set([...current, ...(stringList(spec, 'scopesToAdd') ?? [])])].filter((s) => !suppress.has(s));
  access.scope = scopes.join(' ');
  return access;
}

/** What a client credentials (M2M) token request gives the trigger. */
export interface ClientTokenCall {
  clientId: string;
  /** The scopes granted to the request, before the function may change them. */
  scopes: readonly string[];
  /** The token request's `aws_client_metadata` (a JSON object of strings), never stored. */
  clientMetadata?: Readonly<Record<string, string>>;
}

/**
 * Pre token generation for a client credentials grant: only a V3_0 function is invoked (V1_0 and V2_0 apply to
 * user sign-ins only), with TokenGeneration_ClientCredentials, and only its accessTokenGeneration applies:
 * there is no ID token and no user, so no userName, empty userAttributes and no groups
 * (DG "Pre token generation Lambda trigger": "Version three event responses apply to access tokens from user
 * authentication and machine authentication"). The client, scope and time claims stay Cognito's.
 */
export async function clientCredentialsTokenGeneration(deps: ServiceDeps, pool: Pool, call: ClientTokenCall, access: Record<string, unknown>): Promise<Record<string, unknown>> {
  const fn = triggerFunction(pool, 'PreTokenGeneration');
  if (fn?.version !== '3') return access;
  const response = await runTrigger(deps, pool, 'PreTokenGeneration', {
    triggerSource: 'TokenGeneration_ClientCredentials',
    clientId: call.clientId,
    request: {
      userAttributes: {},
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      scopes: [...call.scopes],
      clientMetadata: call.clientMetadata && { ...call.clientMetadata },
    },
    response: { claimsAndScopeOverrideDetails: null },
  });
  const details = response && member(response, 'claimsAndScopeOverrideDetails');
  // An M2M token has no ID token and no groups: idTokenGeneration and groupOverrideDetails do not apply.
  return details ? applyAccess(member(details, 'accessTokenGeneration'), access) : access;
}

const LAMBDA_ERRORS = new Set(['UserLambdaValidationException', 'UnexpectedLambdaException', 'InvalidLambdaResponseException']);

/**
 * The message of a trigger failure (a function error, a failed invocation, an unreadable answer), for
 * endpoints that answer in another vocabulary (OAuth's token endpoint); undefined for any other error.
 */
export function triggerFailure(err: unknown): string | undefined {
  return err instanceof CognitoError && LAMBDA_ERRORS.has(err.type) ? err.message : undefined;
}
