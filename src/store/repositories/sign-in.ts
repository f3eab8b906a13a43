import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import type { Database } from '../schema.js';

export interface FailureState {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** How often a node deletes used sign-in states whose expiry has passed. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Sign-in state shared by every node on the same store: one-time states already used (so a secret block
 * or challenge session works once, whichever node sees it) and the failed sign-ins behind the lockout.
 */
export class SignInRepository {
  private readonly db: Kysely<Database>;
  private lastSweep = 0;

  constructor(private readonly dialect: StoreDialect) {
    this.db = dialect.db;
  }

  /**
   * Marks a one-time state as used. Atomic: of concurrent calls with the same id exactly one gets true
   * (the primary key decides). `expiresAt` is when the state stops being valid anyway; the row is deleted
   * some time after that.
   */
  async useOnce(id: string, expiresAt: number, now: number): Promise<boolean> {
    if (now - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.db.deleteFrom('auth_states_used').where('expires_at', '<', now).execute();
    }
    try {
      await this.db.insertInto('auth_states_used').values({ id, expires_at: expiresAt }).execute();
      return true;
    } catch (err) {
      if (this.dialect.isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Whether a one-time state was used already (for the error a second use gets). */
  async wasUsed(id: string): Promise<boolean> {
    return (await this.db.selectFrom('auth_states_used').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async failuresOf(userId: string): Promise<FailureState | undefined> {
    const r = await this.db.selectFrom('sign_in_failures').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return r && { failures: r.failures, lastFailureAt: r.last_failure_at, lockedUntil: r.locked_until };
  }

  /**
   * Counts one failed sign-in and returns the new count, in one statement (concurrent failures all count).
   * A failure more than `idleMs` after the previous one starts counting afresh.
   */
  async recordFailure(userId: string, now: number, idleMs: number): Promise<number> {
    const stale = sql<boolean>`sign_in_failures.last_failure_at <= ${now - idleMs}`;
    const r = await this.db
      .insertInto('sign_in_failures')
      .values({ user_id: userId, failures: 1, last_failure_at: now, locked_until: 0 })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          failures: sql<number>`case when ${stale} then 1 else sign_in_failures.failures + 1 end`,
          locked_until: sql<number>`case when ${stale} then 0 else sign_in_failures.locked_until end`,
          last_failure_at: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(r.failures);
  }

  /** Extends the user's lockout to `until` (never shortens it: concurrent failures may arrive out of order). */
  async lockUntil(userId: string, until: number): Promise<void> {
    await this.db.updateTable('sign_in_failures').set({ locked_until: until }).where('user_id', '=', userId).where('locked_until', '<', until).execute();
  }

  /**
   * Stores SRP credentials for a user who has none (a password set before SRP support), only while that is
   * still so: a password set meanwhile brought its own, which must not be replaced by the older one's.
   */
  async addSrpCredentials(userId: string, srpSalt: string, srpVerifierEnc: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ srp_salt: srpSalt, srp_verifier_enc: srpVerifierEnc })
      .where('id', '=', userId)
      .where('srp_verifier_enc', 'is', null)
      .execute();
  }

  /** After a successful sign-in. */
  async clearFailures(userId: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('user_id', '=', userId).execute();
  }
}
