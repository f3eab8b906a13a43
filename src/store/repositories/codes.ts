import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface StoredCode {
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  attempts: number;
}

/**
 * One-time codes sent to users (user_codes: one pending code per user and purpose, only its hash kept) and
 * the bookkeeping around them (code_requests: how many codes were sent in the current window, and a value
 * waiting for its verification). Each method is one statement; consuming a code is a conditional delete,
 * so of concurrent callers with the right code exactly one succeeds.
 */
export class CodeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(userId: string, purpose: string): Promise<StoredCode | undefined> {
    const r = await this.db
      .selectFrom('user_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return r && { codeHash: r.code_hash, createdAt: r.created_at, expiresAt: r.expires_at, attempts: r.attempts };
  }

  /** Deletes the code if it is still the one read (same hash): true for exactly one of concurrent consumers. */
  async consume(userId: string, purpose: string, codeHash: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('user_codes')
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Counts a wrong guess against the code read (a replaced code starts again from zero). */
  async countFailure(userId: string, purpose: string, codeHash: string): Promise<void> {
    await this.db
      .updateTable('user_codes')
      .set({ attempts: sql`attempts + 1` })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .execute();
  }

  /**
   * Records a request for a new code unless `limit` requests were recorded in the window that started at
   * most `windowMs` before `now` (a new window starts after that). Insert or conditional update in one
   * statement; false when the limit is reached. `pending` is kept with the request (or cleared when null).
   */
  async recordRequest(userId: string, purpose: string, now: number, windowMs: number, limit: number, pending: string | null): Promise<boolean> {
    const fresh = now - windowMs;
    const r = await this.db
      .insertInto('code_requests')
      .values({ user_id: userId, purpose, window_start: now, requests: 1, pending_value: pending })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'purpose'])
          .doUpdateSet({
            window_start: sql`case when code_requests.window_start <= ${fresh} then ${now} else code_requests.window_start end`,
            requests: sql`case when code_requests.window_start <= ${fresh} then 1 else code_requests.requests + 1 end`,
            pending_value: pending,
          })
          .where((eb) => eb.or([eb('code_requests.window_start', '<=', fresh), eb('code_requests.requests', '<', limit)])),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** The value waiting for verification under `purpose` (UpdateUserAttributes that keeps the old value). */
  async pendingValue(userId: string, purpose: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('code_requests')
      .select('pending_value')
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return r?.pending_value ?? undefined;
  }

  async clearPending(userId: string, purpose: string): Promise<void> {
    await this.db.updateTable('code_requests').set({ pending_value: null }).where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  }

  /** Drops a pending code (e.g. when the attribute it verifies is deleted). */
  async discard(userId: string, purpose: string): Promise<void> {
    await this.db.deleteFrom('user_codes').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  }
}
