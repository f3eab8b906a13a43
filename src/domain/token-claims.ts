import type { AttributeMap } from './user-attributes.js';

/**
 * The claims of Cognito's ID and access tokens, as pure functions of the user, the client and the times
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html,
 * .../amazon-cognito-user-pools-using-the-access-token.html).
 */

/** The scope of tokens issued by the API sign-in flows: what the self-service operations require. */
export const API_SCOPE = 'aws.cognito.signin.user.admin';

export interface GroupClaimSource {
  name: string;
  roleArn: string | null;
  precedence: number | null;
}

export interface SessionClaims {
  issuer: string;
  clientId: string;
  sub: string;
  username: string;
  originJti: string;
  eventId: string;
  jti: string;
  /** Epoch seconds. */
  authTime: number;
  iat: number;
  exp: number;
}

/** Groups in precedence order (lowest number first, no precedence last), then by name. */
export function orderGroups(groups: readonly GroupClaimSource[]): GroupClaimSource[] {
  const rank = (g: GroupClaimSource): number => g.precedence ?? Number.POSITIVE_INFINITY;
  return [...groups].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * cognito:preferred_role: the role of the group with the lowest precedence value among groups that have a
 * role. Groups of equal precedence (no precedence counts as equal, and below any number) take no precedence
 * over each other: if they carry different roles there is no preferred role
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html#CognitoUserPools-CreateGroup-request-Precedence).
 */
export function preferredRole(groups: readonly GroupClaimSource[]): string | undefined {
  const withRole = groups.filter((g): g is GroupClaimSource & { roleArn: string } => g.roleArn !== null && g.roleArn !== '');
  if (withRole.length === 0) return undefined;
  const rank = (g: GroupClaimSource): number => g.precedence ?? Number.POSITIVE_INFINITY;
  const best = Math.min(...withRole.map(rank));
  const roles = new Set(withRole.filter((g) => rank(g) === best).map((g) => g.roleArn));
  return roles.size === 1 ? [...roles][0] : undefined;
}

function groupClaims(groups: readonly GroupClaimSource[], withRoles: boolean): Record<string, unknown> {
  if (groups.length === 0) return {};
  const ordered = orderGroups(groups);
  const out: Record<string, unknown> = { 'cognito:groups': ordered.map((g) => g.name) };
  if (!withRoles) return out;
  const roles = [...new Set(ordered.flatMap((g) => (g.roleArn ? [g.roleArn] : [])))];
  if (roles.length > 0) out['cognito:roles'] = roles;
  const preferred = preferredRole(ordered);
  if (preferred !== undefined) out['cognito:preferred_role'] = preferred;
  return out;
}

const BOOLEAN_CLAIMS = new Set(['email_verified', 'phone_number_verified']);

/**
 * The user's attributes as ID-token claims: only those the client may read (all when the client sets no
 * ReadAttributes). Values stay strings, custom ones included, except the *_verified flags, which Cognito
 * issues as JSON booleans, and `address`, an OIDC address object.
 */
export function attributeClaims(attrs: Readonly<AttributeMap>, readable: readonly string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const allowed = readable === undefined ? undefined : new Set(readable);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'sub' || (allowed !== undefined && !allowed.has(name))) continue;
    if (BOOLEAN_CLAIMS.has(name)) out[name] = value.toLowerCase() === 'true';
    else if (name === 'address') out[name] = { formatted: value };
    else out[name] = value;
  }
  return out;
}

/** What the OAuth token endpoint adds to an ID token: the authorize request's nonce, the access token's hash. */
export interface OAuthIdClaims {
  nonce?: string;
  atHash?: string;
}

export function idTokenClaims(
  s: SessionClaims,
  attrs: Readonly<AttributeMap>,
  readable: readonly string[] | undefined,
  groups: readonly GroupClaimSource[],
  oauth: OAuthIdClaims = {},
): Record<string, unknown> {
  const a = attributeClaims(attrs, readable);
  return {
    ...(oauth.atHash === undefined ? {} : { at_hash: oauth.atHash }),
    sub: s.sub,
    ...groupClaims(groups, true),
    ...a,
    iss: s.issuer,
    'cognito:username': s.username,
    ...(oauth.nonce === undefined ? {} : { nonce: oauth.nonce }),
    origin_jti: s.originJti,
    aud: s.clientId,
    event_id: s.eventId,
    token_use: 'id',
    auth_time: s.authTime,
    exp: s.exp,
    iat: s.iat,
    jti: s.jti,
  };
}

/** `scope`: the API scope for API sign-in, the granted OAuth scopes (space-separated) from the token endpoint. */
export function accessTokenClaims(s: SessionClaims, groups: readonly GroupClaimSource[], deviceKey?: string, scope: string = API_SCOPE): Record<string, unknown> {
  return {
    sub: s.sub,
    ...groupClaims(groups, false),
    ...(deviceKey === undefined ? {} : { device_key: deviceKey }),
    iss: s.issuer,
    client_id: s.clientId,
    origin_jti: s.originJti,
    event_id: s.eventId,
    token_use: 'access',
    scope,
    auth_time: s.authTime,
    exp: s.exp,
    iat: s.iat,
    jti: s.jti,
    username: s.username,
  };
}
