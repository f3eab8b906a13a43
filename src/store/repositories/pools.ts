import type { Kysely } from 'kysely';
import { prepare } from '../prepared.js';
import type { ClientRow, Database, PoolRow } from '../schema.js';

/** User pools, app clients and client secrets. Each method is one statement, hence atomic. */
export class PoolRepository {
  /** Read on every sign-in request of a client (SECRET_HASH), precompiled (prepared.ts). */
  private readonly clientSecrets;

  constructor(private readonly db: Kysely<Database>) {
    this.clientSecrets = prepare(db, (clientId: string) =>
      db.selectFrom('client_secrets').selectAll().where('client_id', '=', clientId).orderBy('created_at').orderBy('secret_id'),
    );
  }

  async insertPool(row: PoolRow): Promise<void> {
    await this.db.insertInto('user_pools').values(row).execute();
  }

  async findPool(id: string): Promise<PoolRow | undefined> {
    return this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updatePool(id: string, name: string, doc: string, updatedAt: number): Promise<void> {
    await this.db.updateTable('user_pools').set({ name, doc, updated_at: updatedAt }).where('id', '=', id).execute();
  }

  /** Deletes the pool and, by cascade, everything in it. */
  async deletePool(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('user_pools').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Pools of a region in id order, starting after `afterId` (keyset pagination). */
  async listPools(region: string, afterId: string | undefined, limit: number): Promise<PoolRow[]> {
    let q = this.db.selectFrom('user_pools').selectAll().where('region', '=', region);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }

  async countUsers(poolId: string): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async insertClient(row: ClientRow): Promise<void> {
    await this.db.insertInto('user_pool_clients').values(row).execute();
  }

  async findClient(clientId: string): Promise<ClientRow | undefined> {
    return this.db.selectFrom('user_pool_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  async updateClient(clientId: string, name: string, doc: string, updatedAt: number): Promise<void> {
    await this.db
      .updateTable('user_pool_clients')
      .set({ client_name: name, doc, updated_at: updatedAt })
      .where('client_id', '=', clientId)
      .execute();
  }

  async deleteClient(clientId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('user_pool_clients').where('client_id', '=', clientId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listClients(poolId: string, afterId: string | undefined, limit: number): Promise<ClientRow[]> {
    let q = this.db.selectFrom('user_pool_clients').selectAll().where('pool_id', '=', poolId);
    if (afterId !== undefined) q = q.where('client_id', '>', afterId);
    return q.orderBy('client_id').limit(limit).execute();
  }

  async insertClientSecret(s: { secretId: string; clientId: string; secretEnc: string; createdAt: number }): Promise<void> {
    await this.db
      .insertInto('client_secrets')
      .values({ secret_id: s.secretId, client_id: s.clientId, secret_enc: s.secretEnc, created_at: s.createdAt })
      .execute();
  }

  async listClientSecrets(clientId: string): Promise<Database['client_secrets'][]> {
    return this.clientSecrets(clientId);
  }

  async deleteClientSecret(clientId: string, secretId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('client_secrets')
      .where('client_id', '=', clientId)
      .where('secret_id', '=', secretId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
