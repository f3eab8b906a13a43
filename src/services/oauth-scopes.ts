import type { ClientDoc } from '../domain/client-config.js';
import { invalidScope } from './oauth-errors.js';

/** The OAuth settings of an app client as stored by Create/UpdateUserPoolClient. */
export function strings(doc: ClientDoc, member: string): string[] {
  const v = doc[member];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether the client may use OAuth at all and this flow in particular (AllowedOAuthFlows). */
export function flowAllowed(doc: ClientDoc, flow: 'code' | 'implicit' | 'client_credentials'): boolean {
  return doc.AllowedOAuthFlowsUserPoolClient === true && strings(doc, 'AllowedOAuthFlows').includes(flow);
}

/**
 * The scopes a request is granted: each requested scope must be one the client is allowed
 * (AllowedOAuthScopes), else invalid_scope; no scope parameter means all of the client's scopes
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html, "scope").
 */
export function grantedScopes(doc: ClientDoc, requested: string | undefined): string[] {
  const allowed = strings(doc, 'AllowedOAuthScopes');
  const asked = requested === undefined ? [] : [...new Set(requested.split(' ').filter((s) => s !== ''))];
  if (asked.length === 0) return allowed;
  const unknown = asked.find((s) => !allowed.includes(s));
  if (unknown !== undefined) throw invalidScope(`Invalid scope requested: ${unknown}`);
  return asked;
}

/**
 * The attributes /oauth2/userInfo returns for the token's scopes: `email` gives email and email_verified,
 * `phone` phone_number and phone_number_verified, `profile` (or the API scope) every attribute the client
 * may read (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html#cognito-user-pools-define-resource-servers-about-scopes).
 */
export function userInfoAttributes(scopes: readonly string[], attrs: Readonly<Record<string, string>>, readable: readonly string[] | undefined): Record<string, string> {
  const all = scopes.includes('profile') || scopes.includes('aws.cognito.signin.user.admin');
  const names = new Set<string>();
  if (scopes.includes('email')) ['email', 'email_verified'].forEach((n) => names.add(n));
  if (scopes.includes('phone')) ['phone_number', 'phone_number_verified'].forEach((n) => names.add(n));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'sub' || (readable !== undefined && !readable.includes(name))) continue;
    if (all || names.has(name)) out[name] = value;
  }
  return out;
}
