import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export type PoolCertificateRow = Database['pool_certificates'];

/** SAML signing certificates, one per pool. */
export class CertificateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts the pool's certificate unless it already has one (one statement, decided by the primary
   * key), then returns the one that is stored: concurrent first requests all end with the same certificate.
   */
  async insertOrGet(row: PoolCertificateRow): Promise<PoolCertificateRow> {
    await this.db.insertInto('pool_certificates').values(row).onConflict((oc) => oc.column('pool_id').doNothing()).execute();
    const stored = await this.find(row.pool_id);
    if (!stored) throw new Error(`pool certificate for ${row.pool_id} vanished (pool deleted meanwhile?)`);
    return stored;
  }

  async find(poolId: string): Promise<PoolCertificateRow | undefined> {
    return this.db.selectFrom('pool_certificates').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
  }
}
