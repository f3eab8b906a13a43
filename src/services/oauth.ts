import { timingSafeEqual } from 'node:crypto';
import { peekJwt, signJwt } from '../crypto/jwt.js';
import { tokenLifetimes } from '../domain/client-config.js';
import { CognitoError } from '../domain/errors.js';
import { parseAttributes } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { clientSecrets, type AppClient, type ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { CODE_LIFETIME_MS, redeemCode, sealCode } from './oauth-codes.js';
import { invalidClient, invalidGrant, invalidRequest, OAuthError, unauthorizedClient } from './oauth-errors.js';
import { flowAllowed, grantedScopes, strings, userInfoAttributes } from './oauth-scopes.js';
import { regionOfPoolId, type Pool, type PoolService } from './pools.js';
import type { IssuedTokens, TokenService } from './tokens.js';
import { clientCredentialsTokenGeneration, triggerFailure } from './triggers-token.js';

/** How the caller of the token or revocation endpoint authenticated its client (RFC 6749 §2.3.1). */
export interface ClientCredentials {
  /** From `Authorization: Basic` (client_secret_basic) or the form (client_secret_post / public clients). */
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** The JSON the token endpoint answers (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** A signed-in user's grant, before it becomes a code (the authorize endpoint's request, checked). */
export interface AuthorizeGrant {
  pool: Pool;
  client: AppClient;
  user: UserRow;
  authTime: number;
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  challenge?: string;
}

/**
 * The OAuth 2.0 / OpenID Connect side of a user pool: the token endpoint's three grants, userInfo,
 * revocation and authorization codes (https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html).
 * `domainPoolId` is the pool of the user pool domain the request came to; on the server's own origin it
 * is undefined and the client id alone names the pool.
 */
export class OAuthService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
    private readonly tokens: TokenService,
  ) {}

  /** The app client a browser request names, in the domain's pool; undefined when there is none. */
  async findClient(clientId: string, domainPoolId: string | undefined): Promise<{ pool: Pool; client: AppClient } | undefined> {
    const client = await this.clients.find(clientId);
    if (!client || (domainPoolId !== undefined && client.poolId !== domainPoolId)) return undefined;
    return { pool: await this.pools.get(this.ctx(client.poolId), client.poolId), client };
  }

  /**
   * Client authentication: the client must exist (in the domain's pool), and a client with a secret must
   * present one of its secrets; a public client only names itself. Failures are invalid_client.
   */
  async authenticateClient(creds: ClientCredentials, domainPoolId: string | undefined): Promise<{ pool: Pool; client: AppClient }> {
    if (creds.clientId === undefined || creds.clientId === '') throw invalidRequest('client_id is required');
    const found = await this.findClient(creds.clientId, domainPoolId);
    if (!found) throw invalidClient();
    const secrets = await clientSecrets(this.deps, found.client.id);
    if (secrets.length === 0) return found;
    const given = Buffer.from(creds.clientSecret ?? '');
    const ok = secrets.some((s) => {
      const b = Buffer.from(s);
      return b.length === given.length && timingSafeEqual(b, given);
    });
    if (!ok) throw invalidClient();
    return found;
  }

  /** POST /oauth2/token. */
  async token(form: ReadonlyMap<string, string>, creds: ClientCredentials, domainPoolId: string | undefined): Promise<TokenResponse> {
    const grant = form.get('grant_type');
    if (grant === undefined || grant === '') throw invalidRequest('grant_type is required');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grant)) throw new OAuthError('unsupported_grant_type');
    const { pool, client } = await this.authenticateClient(creds, domainPoolId);
    try {
      switch (grant) {
        case 'client_credentials':
          return await this.clientCredentials(pool, client, form.get('scope'), form.get('aws_client_metadata'));
        case 'authorization_code':
          return await this.authorizationCode(pool, client, form);
        default:
          return await this.refresh(pool, client, form.get('refresh_token'));
      }
    } catch (err) {
      // A failing pre token generation function is the caller's error, never a 500 (triggers-token.ts).
      const failed = triggerFailure(err);
      if (failed) throw invalidRequest(failed);
      throw err;
    }
  }

  /** client_credentials: an access token for the client itself, with custom scopes only (no user, no ID token). */
  private async clientCredentials(pool: Pool, client: AppClient, scope: string | undefined, metadata: string | undefined): Promise<TokenResponse> {
    if (!flowAllowed(client.doc, 'client_credentials')) throw unauthorizedClient();
    const scopes = grantedScopes(client.doc, scope);
    const clientMetadata = clientMetadataOf(metadata);
    const now = Math.floor(this.deps.clock.now().getTime() / 1000);
    const life = tokenLifetimes(client.doc).accessSeconds;
    const key = await this.tokens.keys.forSigning(pool.id, 'access');
    // The claims Cognito puts in a machine-to-machine access token: the client is the subject.
    const claims = {
      sub: client.id,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: now,
      iss: this.tokens.issuer(pool.id),
      exp: now + life,
      iat: now,
      version: 2,
      jti: this.deps.random.uuid(),
      client_id: client.id,
    };
    const call = { clientId: client.id, scopes, ...(clientMetadata === undefined ? {} : { clientMetadata }) };
    const custom = await clientCredentialsTokenGeneration(this.deps, pool, call, claims);
    return { access_token: signJwt(custom, key.key, key.kid), expires_in: life, token_type: 'Bearer' };
  }

  private async authorizationCode(pool: Pool, client: AppClient, form: ReadonlyMap<string, string>): Promise<TokenResponse> {
    const code = form.get('code');
    if (code === undefined || code === '') throw invalidRequest('code is required');
    if (!flowAllowed(client.doc, 'code')) throw unauthorizedClient();
    const g = await redeemCode(this.deps, code, client.id, form.get('redirect_uri'), form.get('code_verifier'));
    const user = await this.deps.store.users.findBySub(pool.id, g.sub);
    if (!user || user.enabled !== 1 || (user.tokens_revoked_before !== null && g.authTime * 1000 < user.tokens_revoked_before)) throw invalidGrant();
    const issued = await this.tokens.issueForSignIn(pool, client, user, {
      authTime: g.authTime,
      scopes: g.scopes,
      ...(g.nonce === undefined ? {} : { nonce: g.nonce }),
    });
    return tokenResponse(issued, g.scopes);
  }

  /** refresh_token: new ID and access tokens with the scopes of the original grant. */
  private async refresh(pool: Pool, client: AppClient, refreshToken: string | undefined): Promise<TokenResponse> {
    if (refreshToken === undefined || refreshToken === '') throw invalidRequest('refresh_token is required');
    try {
      const issued = await this.tokens.refresh(pool, client, refreshToken);
      const claims = peekJwt(issued.AccessToken)?.claims.scope;
      return tokenResponse(issued, typeof claims === 'string' ? claims.split(' ') : []);
    } catch (err) {
      if (err instanceof CognitoError && err.status < 500) throw invalidGrant();
      throw err;
    }
  }

  /** An authorization code for a signed-in user (the authorize endpoint's answer to the redirect URI). */
  issueCode(g: AuthorizeGrant): string {
    return sealCode(this.deps, {
      id: this.deps.random.uuid(),
      poolId: g.pool.id,
      clientId: g.client.id,
      sub: g.user.id,
      authTime: g.authTime,
      redirectUri: g.redirectUri,
      scopes: g.scopes,
      ...(g.nonce === undefined ? {} : { nonce: g.nonce }),
      ...(g.challenge === undefined ? {} : { challenge: g.challenge }),
      expiresAt: this.deps.clock.now().getTime() + CODE_LIFETIME_MS,
    });
  }

  /** Implicit grant: ID and access tokens straight to the browser, never a refresh token. */
  async implicitTokens(g: AuthorizeGrant): Promise<TokenResponse> {
    const issued = await this.tokens.issueForSignIn(g.pool, g.client, g.user, {
      authTime: g.authTime,
      scopes: g.scopes,
      ...(g.nonce === undefined ? {} : { nonce: g.nonce }),
    });
    const { refresh_token: _dropped, ...rest } = tokenResponse(issued, g.scopes);
    return rest;
  }

  /**
   * GET/POST /oauth2/userInfo: the access token must carry `openid`; the answer is `sub`, `username` and the
   * attributes its scopes allow. A bad token is 401 invalid_token (RFC 6750 §3.1).
   */
  async userInfo(accessToken: string | undefined): Promise<Record<string, unknown>> {
    if (accessToken === undefined || accessToken === '') throw new OAuthError('invalid_request', 'Access token is missing', 400);
    let verified: Awaited<ReturnType<TokenService['verifyAccessToken']>>;
    try {
      verified = await this.tokens.verifyAccessToken(accessToken, 'openid');
    } catch (err) {
      if (err instanceof CognitoError && err.status < 500) throw new OAuthError('invalid_token', err.message, 401);
      throw err;
    }
    const { user, claims } = verified;
    const client = typeof claims.client_id === 'string' ? await this.clients.find(claims.client_id) : undefined;
    const readable = client ? strings(client.doc, 'ReadAttributes') : [];
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    const attrs = userInfoAttributes(scopes, parseAttributes(user.attributes), readable.length > 0 ? readable : undefined);
    return { sub: user.id, ...attrs, username: user.username };
  }

  /**
   * POST /oauth2/revoke: revokes a refresh token's family (RFC 7009). Unknown tokens are not an error; an
   * access or ID token is unsupported_token_type; a client without token revocation cannot revoke.
   */
  async revoke(token: string | undefined, creds: ClientCredentials, domainPoolId: string | undefined): Promise<void> {
    if (token === undefined || token === '') throw invalidRequest('token is required');
    const { client } = await this.authenticateClient(creds, domainPoolId);
    if (client.doc.EnableTokenRevocation === false) throw invalidRequest('Token revocation is not enabled for this client');
    try {
      await this.tokens.revoke(client, token);
    } catch (err) {
      if (err instanceof CognitoError && err.type === 'UnsupportedTokenTypeException') throw new OAuthError('unsupported_token_type');
      if (err instanceof CognitoError && err.status < 500) throw invalidRequest();
      throw err;
    }
  }

  private ctx(poolId: string): CallerContext {
    return { region: regionOfPoolId(poolId), requestId: '' };
  }
}

/**
 * `aws_client_metadata`: a URL-encoded JSON object of strings that reaches the pre token generation trigger
 * as clientMetadata (DG token-endpoint, client credentials). Anything else is invalid_request.
 */
function clientMetadataOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('aws_client_metadata must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidRequest('aws_client_metadata must be a JSON object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw invalidRequest('aws_client_metadata values must be strings');
    out[k] = v;
  }
  return out;
}

/** The token endpoint's JSON; the ID token only when `openid` was granted (OIDC Core 3.1.3.3). */
function tokenResponse(t: IssuedTokens, scopes: readonly string[]): TokenResponse {
  return {
    ...(scopes.includes('openid') ? { id_token: t.IdToken } : {}),
    access_token: t.AccessToken,
    ...(t.RefreshToken === undefined ? {} : { refresh_token: t.RefreshToken }),
    expires_in: t.ExpiresIn,
    token_type: 'Bearer',
  };
}
