import { createHash } from 'node:crypto';
import { signJwt } from '../crypto/jwt.js';
import { tokenLifetimes, type ClientDoc } from '../domain/client-config.js';
import { CognitoError, notAuthorized } from '../domain/errors.js';
import { accessTokenClaims, idTokenClaims, type GroupClaimSource, type SessionClaims } from '../domain/token-claims.js';
import { parseAttributes } from '../domain/user-attributes.js';
import type { RefreshTokenRow, UserRow } from '../store/schema.js';
import type { AppClient } from './clients.js';
import type { ServiceDeps } from './context.js';
import type { Pool, PoolService } from './pools.js';
import { openRefresh, sealRefresh, type RefreshContents } from './refresh-token.js';
import { SigningKeys } from './signing-keys.js';
import { AccessTokenVerifier } from './access-token.js';
import { preTokenGeneration, type TokenCall } from './triggers-token.js';

export interface IssuedTokens {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface SignInContext {
  /** Epoch seconds; default now. */
  authTime?: number;
  deviceKey?: string;
  /** OAuth (token endpoint): the granted scopes, kept for refreshes, and the authorize request's nonce. */
  scopes?: string[];
  nonce?: string;
  /** The pre token generation trigger source; default TokenGeneration_HostedAuth with scopes, else _Authentication. */
  triggerSource?: string;
  /** RespondToAuthChallenge's ClientMetadata, for the pre token generation trigger (never stored). */
  clientMetadata?: Readonly<Record<string, string>>;
  /**
   * False: mint without the pre token generation trigger. Only for the hosted sign-in's pipeline tokens, which
   * are never handed out: the trigger runs once, with TokenGeneration_HostedAuth, when the OAuth tokens are made.
   */
  preTokenGeneration?: false;
}

/** Most groups a user's tokens list (Cognito allows a user in up to 100 groups). */
const MAX_GROUPS = 1000;

const invalidRefresh = (): CognitoError => notAuthorized('Invalid Refresh Token');
const revokedRefresh = (): CognitoError => notAuthorized('Refresh Token has been revoked');

/** at_hash: base64url of the left half of the SHA-256 of the access token (RS256). */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

/** Client RefreshTokenRotation: whether it is on, and the grace period of a rotated-out token. */
export function rotationOf(doc: ClientDoc): { enabled: boolean; graceMs: number } {
  const r = doc.RefreshTokenRotation;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return { enabled: false, graceMs: 0 };
  const grace = typeof r.RetryGracePeriodSeconds === 'number' ? r.RetryGracePeriodSeconds : 0;
  return { enabled: r.Feature === 'ENABLED', graceMs: grace * 1000 };
}

/**
 * Issues, refreshes and verifies tokens. ID and access tokens are RS256 JWTs with Cognito's claims, signed
 * with the pool's keys (signing-keys.ts); refresh tokens are sealed and belong to a family (one sign-in,
 * keyed by origin_jti) recorded in the store, which is what revocation acts on.
 */
export class TokenService {
  readonly keys: SigningKeys;
  private readonly access: AccessTokenVerifier;
  private readonly refreshKey: Uint8Array;

  constructor(
    private readonly deps: ServiceDeps,
    pools: PoolService,
  ) {
    this.keys = new SigningKeys(deps);
    this.refreshKey = deps.secrets.deriveKey('refresh-token-v1');
    this.access = new AccessTokenVerifier(deps, pools, this.keys);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /** The issuer of a pool's tokens: `<public URL>/<pool id>`. */
  issuer(poolId: string): string {
    return `${this.deps.config.publicUrl}/${poolId}`;
  }

  /** After a successful sign-in: new origin_jti, ID + access + refresh token. */
  async issueForSignIn(pool: Pool, client: AppClient, user: UserRow, ctx: SignInContext = {}): Promise<IssuedTokens> {
    const now = this.now();
    const authTime = ctx.authTime ?? Math.floor(now / 1000);
    const originJti = this.deps.random.uuid();
    const life = tokenLifetimes(client.doc);
    const contents: RefreshContents = {
      poolId: pool.id,
      clientId: client.id,
      sub: user.id,
      originJti,
      authTime,
      generation: 0,
      issuedAt: now,
      ...(ctx.deviceKey === undefined ? {} : { deviceKey: ctx.deviceKey }),
      ...(ctx.scopes === undefined ? {} : { scopes: ctx.scopes }),
    };
    const source = ctx.triggerSource ?? (ctx.scopes === undefined ? 'TokenGeneration_Authentication' : 'TokenGeneration_HostedAuth');
    const trigger = { source, skip: ctx.preTokenGeneration === false, ...(ctx.clientMetadata === undefined ? {} : { clientMetadata: ctx.clientMetadata }) };
    const [tokens, refresh] = await Promise.all([this.mint(pool, client, user, contents, now, trigger, undefined, ctx.nonce), sealRefresh(contents, this.refreshKey)]);
    // Written after the pre token generation trigger answered: a refused sign-in leaves no session behind.
    await this.deps.store.tokens.insertFamily({
      origin_jti: originJti,
      pool_id: pool.id,
      client_id: client.id,
      user_id: user.id,
      created_at: now,
      expires_at: now + life.refreshSeconds * 1000,
    });
    return { ...tokens, RefreshToken: refresh };
  }

  /**
   * REFRESH_TOKEN_AUTH / GetTokensFromRefreshToken: verifies the refresh token (this pool and client, not
   * revoked or expired, user present, enabled and not signed out globally since) and issues new ID and
   * access tokens, plus a new refresh token when the client rotates them.
   */
  async refresh(pool: Pool, client: AppClient, refreshToken: string, ctx: { deviceKey?: string } = {}): Promise<IssuedTokens> {
    const now = this.now();
    const c = await openRefresh(refreshToken, this.refreshKey);
    if (!c || c.poolId !== pool.id || c.clientId !== client.id) throw invalidRefresh();
    const [joined, groups] = await Promise.all([this.deps.store.tokens.findFamilyWithUser(c.originJti), this.groupsOf(c.sub)]);
    if (!joined) {
      // Tell a deleted user (whose families went with it) from a revoked or unknown family.
      if (!(await this.deps.store.users.findBySub(pool.id, c.sub))) throw new CognitoError('UserNotFoundException', 'User does not exist.');
      throw revokedRefresh();
    }
    const { user, family } = joined;
    if (family.revoked_at !== null || user.id !== c.sub || user.pool_id !== pool.id) throw revokedRefresh();
    if (user.tokens_revoked_before !== null && family.created_at < user.tokens_revoked_before) throw revokedRefresh();
    if (user.enabled !== 1) throw notAuthorized('User is disabled.');
    if (now >= family.expires_at) throw notAuthorized('Refresh Token has expired');
    // Device tracking binds a session to its device: every refresh must name it, and a forgotten device's
    // sessions end (DG amazon-cognito-user-pools-device-tracking; Cognito answers "Invalid Refresh Token").
    if (c.deviceKey !== undefined && (ctx.deviceKey !== c.deviceKey || !(await this.deps.store.devices.find(c.sub, c.deviceKey)))) throw invalidRefresh();
    const session: RefreshContents = { ...c, issuedAt: now };
    const rotation = rotationOf(client.doc);
    const generation = await this.checkGeneration(family, c.generation, rotation, now, tokenLifetimes(client.doc).refreshSeconds);
    const tokens = await this.mint(pool, client, user, session, now, { source: 'TokenGeneration_RefreshTokens' }, groups);
    if (generation === undefined) return tokens;
    return { ...tokens, RefreshToken: await sealRefresh({ ...session, generation }, this.refreshKey) };
  }

  /**
   * Which generation of the family this use may proceed with. Without rotation the token must be of the
   * family's current generation (undefined: no new refresh token). With rotation, the current token moves
   * the family on by one (a conditional update: of concurrent uses one rotates, the others arrive as the
   * previous generation), and the previous token keeps working for RetryGracePeriodSeconds, getting the
   * current generation; anything older is refused
   * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html).
   */
  private async checkGeneration(
    family: RefreshTokenRow,
    generation: number,
    rotation: { enabled: boolean; graceMs: number },
    now: number,
    lifetimeSeconds: number,
  ): Promise<number | undefined> {
    if (!rotation.enabled) {
      if (generation !== family.generation) throw invalidRefresh();
      return undefined;
    }
    let current = family;
    if (generation === current.generation) {
      if (await this.deps.store.tokens.rotateFamily(family.origin_jti, generation, now, now + lifetimeSeconds * 1000)) return generation + 1;
      const reread = await this.deps.store.tokens.findFamily(family.origin_jti);
      if (!reread || reread.revoked_at !== null) throw revokedRefresh();
      current = reread;
    }
    const inGrace = generation === current.generation - 1 && current.rotated_at !== null && now - current.rotated_at < rotation.graceMs;
    if (!inGrace) throw new CognitoError('RefreshTokenReuseException', 'Refresh token has been reused.');
    return current.generation;
  }

  /**
   * The user a refresh token was issued to, if it opens and belongs to this pool and client; undefined
   * otherwise (REFRESH_TOKEN_AUTH checks SECRET_HASH against this user's username before `refresh`).
   */
  async refreshTokenUser(pool: Pool, client: AppClient, refreshToken: string): Promise<UserRow | undefined> {
    const c = await openRefresh(refreshToken, this.refreshKey);
    if (!c || c.poolId !== pool.id || c.clientId !== client.id) return undefined;
    return this.deps.store.users.findBySub(pool.id, c.sub);
  }

  /**
   * RevokeToken, after the caller authenticated the client: revokes the refresh token's family, so neither
   * it nor any ID or access token issued from it is honoured again. A JWT is no refresh token
   * (UnsupportedTokenTypeException); another client's token is refused; a token that does not open is ignored,
   * as OAuth revocation ignores unknown tokens (RFC 7009 §2.2).
   */
  async revoke(client: AppClient, token: string): Promise<void> {
    if (token.split('.').length === 3) throw new CognitoError('UnsupportedTokenTypeException', 'Unsupported token type.');
    const c = await openRefresh(token, this.refreshKey);
    if (!c) return;
    if (c.clientId !== client.id || c.poolId !== client.poolId) throw new CognitoError('UnauthorizedException', 'Invalid client.');
    await this.deps.store.tokens.revokeFamily(c.originJti, this.now());
  }

  /** For operations authorized by an access token: verified, unrevoked, of an existing user. */
  verifyAccessToken(accessToken: string, requiredScope?: string): Promise<{ pool: Pool; user: UserRow; claims: Record<string, unknown> }> {
    return this.access.verify(accessToken, requiredScope);
  }

  /** Signs the ID and access tokens of one session at `now`, after the pre token generation trigger (`trigger`). */
  private async mint(
    pool: Pool,
    client: AppClient,
    user: UserRow,
    c: RefreshContents,
    now: number,
    trigger: Pick<TokenCall, 'source' | 'clientMetadata'> & { skip?: boolean },
    known?: GroupClaimSource[],
    nonce?: string,
  ): Promise<Omit<IssuedTokens, 'RefreshToken'>> {
    const life = tokenLifetimes(client.doc);
    const iat = Math.floor(now / 1000);
    const groups = known ?? (await this.groupsOf(user.id));
    const base = {
      issuer: this.issuer(pool.id),
      clientId: client.id,
      sub: user.id,
      username: user.username,
      originJti: c.originJti,
      eventId: this.deps.random.uuid(),
      authTime: c.authTime,
      iat,
    };
    const idSession: SessionClaims = { ...base, jti: this.deps.random.uuid(), exp: iat + life.idSeconds };
    const accessSession: SessionClaims = { ...base, jti: this.deps.random.uuid(), exp: iat + life.accessSeconds };
    const readable = Array.isArray(client.doc.ReadAttributes) ? client.doc.ReadAttributes.filter((x): x is string => typeof x === 'string') : undefined;
    const [idKey, accessKey] = await Promise.all([this.keys.forSigning(pool.id, 'id'), this.keys.forSigning(pool.id, 'access')]);
    const built = {
      id: idTokenClaims(idSession, parseAttributes(user.attributes), readable, groups, c.scopes === undefined || nonce === undefined ? {} : { nonce }),
      access: accessTokenClaims(accessSession, groups, c.deviceKey, c.scopes?.join(' ')),
    };
    const { skip, ...call } = trigger;
    const claims = skip === true ? built : await preTokenGeneration(this.deps, pool, { ...call, clientId: client.id, user, groups }, built);
    const AccessToken = signJwt(claims.access, accessKey.key, accessKey.kid);
    // Tokens from the OAuth token endpoint bind the ID token to its access token (OIDC Core 3.3.2.11).
    const IdToken = signJwt(c.scopes === undefined ? claims.id : { at_hash: atHash(AccessToken), ...claims.id }, idKey.key, idKey.kid);
    return { IdToken, AccessToken, ExpiresIn: life.accessSeconds, TokenType: 'Bearer' };
  }

  private async groupsOf(userId: string): Promise<GroupClaimSource[]> {
    const rows = await this.deps.store.groups.groupsOfUser(userId, undefined, MAX_GROUPS);
    return rows.map((g) => ({ name: g.group_name, roleArn: g.role_arn, precedence: g.precedence }));
  }
}
