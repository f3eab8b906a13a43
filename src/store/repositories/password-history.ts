import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Most previous passwords kept per user: Cognito's largest PasswordHistorySize. */
export const MAX_PASSWORD_HISTORY = 24;

/**
 * Argon2id hashes of passwords a user has replaced, newest first, for the PasswordHistorySize policy.
 * Each method is one statement.
 */
export class PasswordHistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The `limit` most recently replaced password hashes. */
  async recent(userId: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.db
      .selectFrom('password_history')
      .select('password_hash')
      .where('user_id', '=', userId)
      .orderBy('replaced_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.password_hash);
  }

  /** Records a replaced password (a duplicate time for the same user is ignored). */
  async add(userId: string, passwordHash: string, replacedAt: number): Promise<void> {
    await this.db
      .insertInto('password_history')
      .values({ user_id: userId, replaced_at: replacedAt, password_hash: passwordHash })
      .onConflict((oc) => oc.columns(['user_id', 'replaced_at']).doNothing())
      .execute();
  }

  /** Keeps only the newest MAX_PASSWORD_HISTORY entries of a user. */
  async prune(userId: string): Promise<void> {
    const keep = await this.db
      .selectFrom('password_history')
      .select('replaced_at')
      .where('user_id', '=', userId)
      .orderBy('replaced_at', 'desc')
      .offset(MAX_PASSWORD_HISTORY)
      .limit(1)
      .executeTakeFirst();
    if (keep) await this.db.deleteFrom('password_history').where('user_id', '=', userId).where('replaced_at', '<=', keep.replaced_at).execute();
  }
}
