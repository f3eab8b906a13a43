import type { Kysely } from 'kysely';
import type { AuthEventRow, Database } from '../schema.js';

/** Where a listing page starts: after this event in newest-first (created_at, id) order. */
export interface AuthEventCursor {
  createdAt: number;
  id: string;
}

/**
 * Users' authentication events (auth_events): every sign-in, its risk decision, its challenge results and
 * the feedback given on it. Each method is one statement; rows go with their user (cascade).
 */
export class AuthEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AuthEventRow): Promise<void> {
    await this.db.insertInto('auth_events').values(row).execute();
  }

  /** Sets the outcome of an event once its later steps are known (MFA passed or failed). */
  async finish(id: string, response: string, challenges: string): Promise<void> {
    await this.db.updateTable('auth_events').set({ response, challenges }).where('id', '=', id).execute();
  }

  async find(userId: string, id: string): Promise<AuthEventRow | undefined> {
    return this.db.selectFrom('auth_events').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  }

  /** A user's events newest first, `limit` of them after `after` (keyset pagination). */
  async list(userId: string, limit: number, after?: AuthEventCursor): Promise<AuthEventRow[]> {
    let q = this.db.selectFrom('auth_events').selectAll().where('user_id', '=', userId);
    if (after) {
      q = q.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
    }
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** The responses of the user's latest sign-in events since `since`, newest first (for the failure signal). */
  async recentSignIns(userId: string, since: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('auth_events')
      .select('response')
      .where('user_id', '=', userId)
      .where('event_type', '=', 'SignIn')
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.response);
  }

  /** The user's newest sign-in still waiting for its last challenge, if it began after `since`. */
  async latestInProgress(userId: string, since: number): Promise<{ id: string; challenges: string } | undefined> {
    return this.db
      .selectFrom('auth_events')
      .select(['id', 'challenges'])
      .where('user_id', '=', userId)
      .where('response', '=', 'InProgress')
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Stores feedback on one of the user's events; false when the user has no event with this id. */
  async setFeedback(userId: string, id: string, value: string, provider: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('auth_events')
      .set({ feedback_value: value, feedback_provider: provider, feedback_at: at })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
