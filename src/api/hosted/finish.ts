import type { FastifyReply, FastifyRequest } from 'fastify';
import { peekJwt } from '../../crypto/jwt.js';
import type { UserRow } from '../../store/schema.js';
import type { AuthOutcome } from '../../services/auth.js';
import type { Services } from '../../services/services.js';
import { redirectWith, type AuthorizeRequest } from './authorize-request.js';
import { isSecure, setSession } from './cookies.js';

/**
 * The end of a hosted sign-in: the browser gets its session cookie (single sign-on for the pool's other
 * clients for an hour) and goes back to the application with a code, or with tokens in the fragment
 * (implicit grant).
 */
export async function returnToApp(services: Services, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, user: UserRow, authTime: number, newSession: boolean): Promise<FastifyReply> {
  if (newSession) setSession(reply, isSecure(req, services.deps), services.deps, { poolId: ar.pool.id, sub: user.id, authTime });
  const grant = {
    pool: ar.pool,
    client: ar.client,
    user,
    authTime,
    redirectUri: ar.redirectUri,
    scopes: ar.scopes,
    ...(ar.nonce === undefined ? {} : { nonce: ar.nonce }),
    ...(ar.challenge === undefined ? {} : { challenge: ar.challenge }),
  };
  if (ar.responseType === 'code') {
    const code = services.oauth.issueCode(grant);
    return reply.code(302).header('cache-control', 'no-store').header('location', redirectWith(ar.redirectUri, { code, state: ar.state }, false)).send();
  }
  const t = await services.oauth.implicitTokens(grant);
  const params = { id_token: t.id_token, access_token: t.access_token, expires_in: String(t.expires_in), token_type: t.token_type, state: ar.state };
  return reply.code(302).header('cache-control', 'no-store').header('location', redirectWith(ar.redirectUri, params, true)).send();
}

/**
 * The user a finished sign-in (the API pipeline's outcome) is about. The pipeline issued API tokens with a
 * refresh family; the hosted path issues its own OAuth tokens at the code exchange, so that family is
 * revoked at once.
 */
export async function signedInUser(services: Services, ar: AuthorizeRequest, outcome: AuthOutcome): Promise<{ user: UserRow; authTime: number } | undefined> {
  if (!('tokens' in outcome)) return undefined;
  const claims = peekJwt(outcome.tokens.IdToken)?.claims;
  if (outcome.tokens.RefreshToken !== undefined) await services.tokens.revoke(ar.client, outcome.tokens.RefreshToken);
  if (typeof claims?.sub !== 'string' || typeof claims.auth_time !== 'number') return undefined;
  const user = await services.deps.store.users.findBySub(ar.pool.id, claims.sub);
  return user ? { user, authTime: claims.auth_time } : undefined;
}
