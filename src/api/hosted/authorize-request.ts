import type { AppClient } from '../../services/clients.js';
import { OAuthError } from '../../services/oauth-errors.js';
import { flowAllowed, grantedScopes, strings } from '../../services/oauth-scopes.js';
import type { Pool } from '../../services/pools.js';
import type { Services } from '../../services/services.js';

/** A checked /oauth2/authorize request (the same query travels to /login and back). */
export interface AuthorizeRequest {
  pool: Pool;
  client: AppClient;
  responseType: 'code' | 'token';
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  challenge?: string;
  /** The query as received, to carry to the next page. */
  query: string;
}

/**
 * What cannot be answered by redirecting: an unknown client or a redirect_uri that is not registered.
 * Redirecting there would make the server an open redirector, so these get an error page instead
 * (RFC 6749 §4.1.2.1).
 */
export class AuthorizePageError extends Error {}

/** An error to send back to the (verified) redirect_uri, with the request's state (RFC 6749 §4.1.2.1). */
export class AuthorizeRedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly oauth: OAuthError,
    readonly state: string | undefined,
    readonly fragment: boolean,
  ) {
    super(oauth.error);
  }
}

/**
 * Checks an authorize request in Cognito's order
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html): the client (in
 * this domain's pool), the redirect_uri (exact match against CallbackURLs), then response_type and the
 * client's flows, scopes and PKCE, which are answered on the redirect_uri.
 */
export async function checkAuthorizeRequest(services: Services, q: ReadonlyMap<string, string>, domainPoolId: string | undefined, query: string): Promise<AuthorizeRequest> {
  const clientId = q.get('client_id');
  const found = clientId ? await services.oauth.findClient(clientId, domainPoolId) : undefined;
  if (!found) throw new AuthorizePageError('The application that sent you here is not known (client_id).');
  const { pool, client } = found;
  const redirectUri = q.get('redirect_uri') ?? (typeof client.doc.DefaultRedirectURI === 'string' ? client.doc.DefaultRedirectURI : undefined);
  if (redirectUri === undefined || !strings(client.doc, 'CallbackURLs').includes(redirectUri)) {
    throw new AuthorizePageError('The address to return to (redirect_uri) is not registered for this application.');
  }
  const state = q.get('state');
  const responseType = q.get('response_type');
  const fail = (error: string, description?: string) => new AuthorizeRedirectError(redirectUri, new OAuthError(error, description), state, responseType === 'token');
  if (responseType !== 'code' && responseType !== 'token') throw fail('unsupported_response_type');
  if (!flowAllowed(client.doc, responseType === 'code' ? 'code' : 'implicit')) throw fail('unauthorized_client');
  const idp = q.get('identity_provider');
  if (idp !== undefined && idp !== 'COGNITO') throw fail('invalid_request', 'Identity provider is not supported');
  let scopes: string[];
  try {
    scopes = grantedScopes(client.doc, q.get('scope'));
  } catch (err) {
    if (err instanceof OAuthError) throw fail(err.error, err.description);
    throw err;
  }
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  // Cognito supports S256 only; a challenge needs its method and a method needs a challenge.
  if ((challenge !== undefined || method !== undefined) && (method !== 'S256' || !challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge))) {
    throw fail('invalid_request', 'Invalid code_challenge or code_challenge_method');
  }
  const nonce = q.get('nonce');
  return {
    pool,
    client,
    responseType,
    redirectUri,
    scopes,
    query,
    ...(state === undefined ? {} : { state }),
    ...(nonce === undefined ? {} : { nonce }),
    ...(challenge === undefined ? {} : { challenge }),
  };
}

/** The redirect_uri with parameters added: in the query for codes and errors, in the fragment for tokens. */
export function redirectWith(uri: string, params: Record<string, string | undefined>, fragment: boolean): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p.set(k, v);
  if (fragment) return `${uri}#${p.toString()}`;
  return `${uri}${uri.includes('?') ? '&' : '?'}${p.toString()}`;
}
