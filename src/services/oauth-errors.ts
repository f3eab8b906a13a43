/**
 * OAuth 2.0 protocol errors (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1): the `error` code a client
 * library understands, an optional description, and the HTTP status. The token, revocation and userInfo
 * endpoints answer these as JSON; the authorize endpoint redirects with them.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description?: string,
    readonly status: number = 400,
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (d?: string) => new OAuthError('invalid_request', d);
export const invalidClient = (d?: string) => new OAuthError('invalid_client', d, 401);
export const invalidGrant = (d?: string) => new OAuthError('invalid_grant', d);
export const unauthorizedClient = (d?: string) => new OAuthError('unauthorized_client', d);
export const invalidScope = (d?: string) => new OAuthError('invalid_scope', d);
