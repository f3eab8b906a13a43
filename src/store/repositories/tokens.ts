import type { Kysely } from 'kysely';
import { prepare } from '../prepared.js';
import type { Database, RefreshTokenRow, SigningKeyRow, UserRow } from '../schema.js';

export type TokenUse = 'id' | 'access';

/**
 * Token signing keys and refresh-token families. Every method is one statement (hence atomic); races are
 * decided by primary keys and conditional updates, never by read-then-write.
 */
export class TokenRepository {
  /** Read by every refresh and every access-token operation, precompiled (prepared.ts). */
  private readonly familyWithUser;

  constructor(private readonly db: Kysely<Database>) {
    this.familyWithUser = prepare(db, (originJti: string) =>
      db
        .selectFrom('refresh_tokens')
        .innerJoin('users', 'users.id', 'refresh_tokens.user_id')
        .selectAll('users')
        .select([
          'refresh_tokens.origin_jti as f_origin_jti',
          'refresh_tokens.pool_id as f_pool_id',
          'refresh_tokens.client_id as f_client_id',
          'refresh_tokens.created_at as f_created_at',
          'refresh_tokens.expires_at as f_expires_at',
          'refresh_tokens.revoked_at as f_revoked_at',
          'refresh_tokens.generation as f_generation',
          'refresh_tokens.rotated_at as f_rotated_at',
        ])
        .where('refresh_tokens.origin_jti', '=', originJti),
    );
  }

  /** Every key of a pool, newest generation first (active and retired). */
  async keysOfPool(poolId: string): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).orderBy('generation', 'desc').execute();
  }

  /**
   * Inserts a key unless its (pool, use, generation) exists already: of several nodes creating the first
   * key (or rotating) at once, exactly one insert takes effect; everyone then reads the winner.
   */
  async insertKeyIfAbsent(row: SigningKeyRow): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'token_use', 'generation']).doNothing())
      .execute();
  }

  /** Marks every key of a pool and use older than `generation` retired (keeps the first retirement time). */
  async retireKeysBefore(poolId: string, use: TokenUse, generation: number, at: number): Promise<void> {
    await this.db
      .updateTable('signing_keys')
      .set({ retired_at: at })
      .where('pool_id', '=', poolId)
      .where('token_use', '=', use)
      .where('generation', '<', generation)
      .where('retired_at', 'is', null)
      .execute();
  }

  /** Drops retired keys no token can still need (retired before `before`). */
  async deleteKeysRetiredBefore(poolId: string, before: number): Promise<void> {
    await this.db.deleteFrom('signing_keys').where('pool_id', '=', poolId).where('retired_at', '<', before).execute();
  }

  async insertFamily(row: Omit<RefreshTokenRow, 'generation' | 'rotated_at' | 'revoked_at'>): Promise<void> {
    await this.db.insertInto('refresh_tokens').values({ ...row, revoked_at: null, rotated_at: null }).execute();
  }

  async findFamily(originJti: string): Promise<RefreshTokenRow | undefined> {
    return this.db.selectFrom('refresh_tokens').selectAll().where('origin_jti', '=', originJti).executeTakeFirst();
  }

  /**
   * A family and its user in one read (every refresh and every access-token operation needs both).
   * Undefined when either is missing; callers that must tell which look the user up separately.
   */
  async findFamilyWithUser(originJti: string): Promise<{ family: RefreshTokenRow; user: UserRow } | undefined> {
    const [r] = await this.familyWithUser(originJti);
    if (!r) return undefined;
    const { f_origin_jti, f_pool_id, f_client_id, f_created_at, f_expires_at, f_revoked_at, f_generation, f_rotated_at, ...user } = r;
    const family: RefreshTokenRow = {
      origin_jti: f_origin_jti,
      pool_id: f_pool_id,
      client_id: f_client_id,
      user_id: user.id,
      created_at: f_created_at,
      expires_at: f_expires_at,
      revoked_at: f_revoked_at,
      generation: f_generation,
      rotated_at: f_rotated_at,
    };
    return { family, user };
  }

  /**
   * Rotation: moves the family from `generation` to `generation + 1` (and a new expiry) only if it is still
   * at `generation` and not revoked. Of concurrent refreshes with the same token exactly one rotates.
   */
  async rotateFamily(originJti: string, generation: number, at: number, expiresAt: number): Promise<boolean> {
    const r = await this.db
      .updateTable('refresh_tokens')
      .set({ generation: generation + 1, rotated_at: at, expires_at: expiresAt })
      .where('origin_jti', '=', originJti)
      .where('generation', '=', generation)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revokes one family (RevokeToken). Returns whether it was revoked by this call. */
  async revokeFamily(originJti: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: at })
      .where('origin_jti', '=', originJti)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revokes every family of a user (GlobalSignOut, DeleteUser). */
  async revokeFamiliesOfUser(userId: string, at: number): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }
}
