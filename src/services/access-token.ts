import { peekJwt, verifyJwt } from '../crypto/jwt.js';
import { CognitoError, notAuthorized } from '../domain/errors.js';
import { API_SCOPE } from '../domain/token-claims.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import { regionOfPoolId, type Pool, type PoolService } from './pools.js';
import type { SigningKeys } from './signing-keys.js';

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

const invalid = (): CognitoError => notAuthorized('Invalid Access Token');
const revoked = (): CognitoError => notAuthorized('Access Token has been revoked');

/**
 * Verifies the access token that authorizes a self-service operation (GetUser, ChangePassword, ...), as an
 * ordered list of checks each answering Cognito's error: well-formed and issued here, signed by the pool's
 * access-token key, unexpired, an access token with the API scope, of an existing user, and of a session
 * that was neither revoked (RevokeToken) nor signed out (GlobalSignOut, AdminUserGlobalSignOut, disabling).
 */
export class AccessTokenVerifier {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly keys: SigningKeys,
  ) {}

  /** `requiredScope`: the API scope for the self-service operations, `openid` for /oauth2/userInfo. */
  async verify(token: string, requiredScope: string = API_SCOPE): Promise<{ pool: Pool; user: UserRow; claims: Record<string, unknown> }> {
    const now = this.deps.clock.now().getTime();
    const peek = peekJwt(token);
    const iss = peek?.claims.iss;
    const prefix = `${this.deps.config.publicUrl}/`;
    if (!peek || typeof iss !== 'string' || !iss.startsWith(prefix)) throw invalid();
    const poolId = iss.slice(prefix.length);
    if (!POOL_ID.test(poolId)) throw invalid();
    const pool = await this.pool(poolId);
    const key = pool && (await this.keys.verificationKey(pool.id, 'access', peek.kid));
    if (!pool || !key) throw invalid();
    const result = await verifyJwt(token, key, iss, now);
    if ('failure' in result) throw result.failure === 'expired' ? notAuthorized('Access Token has expired') : invalid();
    const claims: Record<string, unknown> = { ...result.claims };
    if (claims.token_use !== 'access' || typeof claims.sub !== 'string' || typeof claims.origin_jti !== 'string') throw invalid();
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(requiredScope)) throw notAuthorized('Access Token does not have required scopes');
    const joined = await this.deps.store.tokens.findFamilyWithUser(claims.origin_jti);
    if (!joined) {
      // A deleted user's tokens: Cognito answers "User does not exist." (seen by SDK users, e.g.
      // aws-amplify/aws-sdk-android#366); the user's sessions are gone with it.
      if (!(await this.deps.store.users.findBySub(pool.id, claims.sub))) throw new CognitoError('UserNotFoundException', 'User does not exist.');
      throw revoked();
    }
    const { user, family } = joined;
    if (family.revoked_at !== null || user.id !== claims.sub || user.pool_id !== pool.id) throw revoked();
    if (user.tokens_revoked_before !== null && family.created_at < user.tokens_revoked_before) throw revoked();
    if (user.enabled !== 1) throw notAuthorized('User is disabled.');
    return { pool, user, claims };
  }

  private async pool(poolId: string): Promise<Pool | undefined> {
    try {
      return await this.pools.get({ region: regionOfPoolId(poolId), requestId: '' }, poolId);
    } catch (err) {
      if (err instanceof CognitoError && err.type === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }
}
