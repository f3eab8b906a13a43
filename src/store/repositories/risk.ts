import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The client id under which a pool-wide risk configuration is kept (Cognito itself answers "ALL" there). */
export const POOL_WIDE = 'ALL';

export interface RiskConfigRow {
  doc: string;
  updatedAt: number;
}

/**
 * Threat-protection settings (risk_configurations, one row per pool and per app client that overrides it)
 * and the sign-in contexts each user has been seen from (sign_in_contexts: hashed IPs and devices, for the
 * "new IP" / "new device" risk signals). Each method is one statement.
 */
export class RiskRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(poolId: string, clientId: string): Promise<RiskConfigRow | undefined> {
    const r = await this.db
      .selectFrom('risk_configurations')
      .select(['doc', 'updated_at'])
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return r && { doc: r.doc, updatedAt: Number(r.updated_at) };
  }

  /** Replaces the configuration of the pool (client POOL_WIDE) or of one client: last writer wins. */
  async put(poolId: string, clientId: string, doc: string, at: number): Promise<void> {
    await this.db
      .insertInto('risk_configurations')
      .values({ pool_id: poolId, client_id: clientId, doc, updated_at: at })
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet({ doc, updated_at: at }))
      .execute();
  }

  async remove(poolId: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('risk_configurations').where('pool_id', '=', poolId).where('client_id', '=', clientId).execute();
  }

  /** Whether the user has signed in successfully from this context before (kind 'ip' or 'device'). */
  async seen(userId: string, kind: string, valueKey: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('sign_in_contexts')
      .select('last_seen')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('value_key', '=', valueKey)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Whether a successful sign-in context of the user is on record (the first sign-in has nothing to compare). */
  async hasHistory(userId: string): Promise<boolean> {
    const r = await this.db.selectFrom('sign_in_contexts').select('kind').where('user_id', '=', userId).limit(1).executeTakeFirst();
    return r !== undefined;
  }

  /** Records a context after a successful sign-in (an upsert, so concurrent sign-ins do not collide). */
  async remember(userId: string, kind: string, valueKey: string, at: number): Promise<void> {
    await this.db
      .insertInto('sign_in_contexts')
      .values({ user_id: userId, kind, value_key: valueKey, last_seen: at })
      .onConflict((oc) => oc.columns(['user_id', 'kind', 'value_key']).doUpdateSet({ last_seen: at }))
      .execute();
  }
}
