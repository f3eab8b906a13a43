import { CognitoError, invalidParameter } from './errors.js';
import type { Input, Json } from './input.js';
import type { SchemaAttribute } from './schema-attributes.js';

/**
 * An app client's settings as stored: the UserPoolClientType members that are configuration (not ids,
 * names, dates or secrets), wire-shaped, with Cognito's defaults applied. CreateUserPoolClient and
 * UpdateUserPoolClient both build the whole document from the request: "If you don't provide a value
 * for an attribute, Amazon Cognito sets it to its default value"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolClient.html).
 */
export type ClientDoc = { [member: string]: Json };

/** What the rules need to know besides the request. */
export interface ClientContext {
  op: 'create' | 'update';
  schema: readonly SchemaAttribute[];
  /** Whether the client has (or, on create, will have) a client secret. */
  hasSecret: boolean;
  /** SupportedIdentityProviders other than COGNITO must be identity providers of the pool. */
  providerExists(name: string): boolean;
  /** A scope that is not a standard one must belong to a resource server of the pool. */
  customScopeExists(scope: string): boolean;
}

/** Used when ExplicitAuthFlows is omitted (API reference, CreateUserPoolClient ExplicitAuthFlows). */
export const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'] as const;
const LEGACY_AUTH_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);
export const STANDARD_SCOPES: ReadonlySet<string> = new Set(['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin']);
/** Attributes no app client may write (Cognito answers "Invalid write attributes specified ..."). */
const UNWRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);

export const DEFAULT_REFRESH_DAYS = 30;
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Builds and validates the settings document of a CreateUserPoolClient / UpdateUserPoolClient request. */
export function buildClientDoc(input: Input, ctx: ClientContext): ClientDoc {
  const doc: ClientDoc = {};
  Object.assign(doc, tokenValidity(input));
  const read = nonEmpty(input.optStrList('ReadAttributes'));
  const write = nonEmpty(input.optStrList('WriteAttributes'));
  checkAttributes(read, write, ctx);
  if (read) doc.ReadAttributes = read;
  if (write) doc.WriteAttributes = write;
  const rotation = input.optObj('RefreshTokenRotation');
  doc.ExplicitAuthFlows = authFlows(input.optStrList('ExplicitAuthFlows'), rotation?.optStr('Feature') === 'ENABLED');
  Object.assign(doc, oauthSettings(input, ctx));
  const analytics = input.optObj('AnalyticsConfiguration');
  if (analytics) {
    checkAnalytics(analytics);
    doc.AnalyticsConfiguration = input.json('AnalyticsConfiguration') ?? null;
  }
  doc.PreventUserExistenceErrors = input.optStr('PreventUserExistenceErrors') ?? 'LEGACY';
  doc.EnableTokenRevocation = input.optBool('EnableTokenRevocation') ?? true;
  const propagate = input.optBool('EnablePropagateAdditionalUserContextData') ?? false;
  if (propagate && !ctx.hasSecret) {
    // Wording not confirmed against the live service; the rule itself is documented on the member.
    throw invalidParameter('EnablePropagateAdditionalUserContextData can only be activated for an app client that has a client secret.');
  }
  doc.EnablePropagateAdditionalUserContextData = propagate;
  doc.AuthSessionValidity = input.optNum('AuthSessionValidity') ?? 3;
  if (rotation) {
    const grace = rotation.optNum('RetryGracePeriodSeconds');
    doc.RefreshTokenRotation = { Feature: rotation.str('Feature'), ...(grace === undefined ? {} : { RetryGracePeriodSeconds: grace }) };
  }
  return doc;
}

const nonEmpty = (v: string[] | undefined): string[] | undefined => (v && v.length > 0 ? v : undefined);

/**
 * Token lifetimes with their units. Access and ID tokens last 5 minutes to 1 day, refresh tokens 60
 * minutes to 10 years; the default units are hours, hours and days
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html).
 * A RefreshTokenValidity of 0 means the default of 30 days.
 */
function tokenValidity(input: Input): ClientDoc {
  const units = input.optObj('TokenValidityUnits');
  const unitsDoc: { [k: string]: Json } = {};
  for (const k of ['AccessToken', 'IdToken', 'RefreshToken']) {
    const u = units?.optStr(k);
    if (u !== undefined) unitsDoc[k] = u;
  }
  const out: ClientDoc = {};
  const refresh = input.optNum('RefreshTokenValidity');
  if (refresh !== undefined && refresh !== 0) checkRange(refresh, units?.optStr('RefreshToken') ?? 'days', 3600, 3650 * 86400);
  out.RefreshTokenValidity = refresh === undefined || refresh === 0 ? DEFAULT_REFRESH_DAYS : refresh;
  for (const [member, unitKey] of [['AccessTokenValidity', 'AccessToken'], ['IdTokenValidity', 'IdToken']] as const) {
    const v = input.optNum(member);
    if (v === undefined) continue;
    checkRange(v, units?.optStr(unitKey) ?? 'hours', 300, 86400);
    out[member] = v;
  }
  out.TokenValidityUnits = unitsDoc;
  return out;
}

function checkRange(value: number, unit: string, minSeconds: number, maxSeconds: number): void {
  const seconds = value * (UNIT_SECONDS[unit] ?? 1);
  if (seconds < minSeconds || seconds > maxSeconds) throw invalidParameter('Invalid range for token validity.');
}

/** Effective lifetimes in seconds, with the documented defaults (1 hour, 1 hour, 30 days). */
export function tokenLifetimes(doc: ClientDoc): { accessSeconds: number; idSeconds: number; refreshSeconds: number } {
  const units = typeof doc.TokenValidityUnits === 'object' && doc.TokenValidityUnits !== null && !Array.isArray(doc.TokenValidityUnits) ? doc.TokenValidityUnits : {};
  const secs = (member: string, unitKey: string, defUnit: string, def: number): number => {
    const v = doc[member];
    const u = units[unitKey];
    return typeof v === 'number' ? v * (UNIT_SECONDS[typeof u === 'string' ? u : defUnit] ?? 1) : def;
  };
  return {
    accessSeconds: secs('AccessTokenValidity', 'AccessToken', 'hours', 3600),
    idSeconds: secs('IdTokenValidity', 'IdToken', 'hours', 3600),
    refreshSeconds: secs('RefreshTokenValidity', 'RefreshToken', 'days', DEFAULT_REFRESH_DAYS * 86400),
  };
}

/**
 * ExplicitAuthFlows: legacy names and ALLOW_ names cannot be mixed, and a client on ALLOW_ names must
 * allow refresh-token auth unless refresh token rotation replaces it (rotation is completed with
 * GetTokensFromRefreshToken, not REFRESH_TOKEN_AUTH:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html).
 */
function authFlows(given: string[] | undefined, rotation: boolean): string[] {
  if (!given || given.length === 0) return [...DEFAULT_AUTH_FLOWS];
  const flows = [...new Set(given)];
  const legacy = flows.some((f) => LEGACY_AUTH_FLOWS.has(f));
  const modern = flows.some((f) => f.startsWith('ALLOW_'));
  if (legacy && modern) throw invalidParameter("Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.");
  if (modern && !rotation && !flows.includes('ALLOW_REFRESH_TOKEN_AUTH')) {
    throw invalidParameter('REFRESH_TOKEN_AUTH should always be allowed.');
  }
  return flows;
}

/**
 * Read and write permissions name attributes of the pool schema. Write permissions must include every
 * required attribute (sign-up writes them) and never sub or the *_verified flags.
 */
function checkAttributes(read: string[] | undefined, write: string[] | undefined, ctx: ClientContext): void {
  const verb = ctx.op === 'create' ? 'creating' : 'updating';
  const names = new Set(ctx.schema.map((a) => a.Name));
  if (read?.some((n) => !names.has(n))) throw invalidParameter(`Invalid read attributes specified while ${verb} a client`);
  if (!write) return;
  const required = ctx.schema.filter((a) => a.Required && a.Name !== 'sub').map((a) => a.Name);
  const bad = write.some((n) => !names.has(n) || UNWRITABLE.has(n)) || required.some((n) => !write.includes(n));
  if (bad) throw invalidParameter(`Invalid write attributes specified while ${verb} a client`);
}

function checkAnalytics(a: Input): void {
  const byArn = a.has('ApplicationArn');
  const byId = a.has('ApplicationId') && a.has('RoleArn') && a.has('ExternalId');
  if (!byArn && !byId) {
    throw invalidParameter('Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid');
  }
}

/** OAuth 2.0 settings, validated the way CreateUserPoolClient validates them. */
function oauthSettings(input: Input, ctx: ClientContext): ClientDoc {
  const out: ClientDoc = {};
  const flows = nonEmpty(input.optStrList('AllowedOAuthFlows'));
  const scopes = nonEmpty(input.optStrList('AllowedOAuthScopes'));
  const enabled = input.optBool('AllowedOAuthFlowsUserPoolClient') ?? false;
  const callbacks = nonEmpty(input.optStrList('CallbackURLs'));
  const logouts = nonEmpty(input.optStrList('LogoutURLs'));
  const providers = nonEmpty(input.optStrList('SupportedIdentityProviders'));
  const defaultRedirect = input.optStr('DefaultRedirectURI');

  for (const p of providers ?? []) {
    if (p !== 'COGNITO' && !ctx.providerExists(p)) throw invalidParameter(`The provider ${p} does not exist for User Pool`);
  }
  if (enabled && (!flows || !scopes)) {
    throw invalidParameter('AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.');
  }
  for (const s of scopes ?? []) {
    if (!STANDARD_SCOPES.has(s) && !ctx.customScopeExists(s)) throw new CognitoError('ScopeDoesNotExistException', `Invalid scope requested: ${s}`);
  }
  checkFlows(flows ?? [], scopes ?? [], callbacks, ctx.hasSecret);
  for (const u of callbacks ?? []) checkRedirectUrl(u, true);
  for (const u of logouts ?? []) checkRedirectUrl(u, false);
  if (defaultRedirect !== undefined) {
    if (!callbacks?.includes(defaultRedirect)) throw invalidParameter(`The default redirect URI ${defaultRedirect} is not in the callback URIs list.`);
    out.DefaultRedirectURI = defaultRedirect;
  }
  if (providers) out.SupportedIdentityProviders = providers;
  if (callbacks) out.CallbackURLs = callbacks;
  if (logouts) out.LogoutURLs = logouts;
  if (flows) out.AllowedOAuthFlows = flows;
  if (scopes) out.AllowedOAuthScopes = scopes;
  out.AllowedOAuthFlowsUserPoolClient = enabled;
  return out;
}

/** client_credentials is machine-to-machine only: never with code/implicit, needs a secret, custom scopes only. */
function checkFlows(flows: readonly string[], scopes: readonly string[], callbacks: readonly string[] | undefined, hasSecret: boolean): void {
  const browser = flows.includes('code') || flows.includes('implicit');
  if (flows.includes('client_credentials')) {
    if (browser) throw new CognitoError('InvalidOAuthFlowException', 'client_credentials flow can not be selected along with code flow or implicit flow.');
    if (!hasSecret) throw new CognitoError('InvalidOAuthFlowException', 'client_credentials flow can not be selected if client does not have a client secret.');
    const standard = scopes.find((s) => STANDARD_SCOPES.has(s));
    if (standard !== undefined) throw new CognitoError('InvalidOAuthFlowException', `${standard} is not supported with client_credentials flow`);
  }
  if (browser && !callbacks) throw invalidParameter('CallbackUrls can not be empty when code flow or implicit flow is selected');
}

const LOOPBACK_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?(\/|$|\?)/i;

/** HTTPS only, except loopback for testing; app schemes (myapp://) are fine; callbacks have no fragment. */
function checkRedirectUrl(url: string, callback: boolean): void {
  if (callback && url.includes('#')) throw invalidParameter(`${url} cannot use fragment`);
  if (/^http:\/\//i.test(url) && !LOOPBACK_HTTP.test(url)) throw invalidParameter(`${url} cannot use the HTTP protocol.`);
}

/** The flows a client permits, for the authentication operations. */
export function explicitAuthFlowsOf(doc: ClientDoc): string[] {
  const v = doc.ExplicitAuthFlows;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [...DEFAULT_AUTH_FLOWS];
}
