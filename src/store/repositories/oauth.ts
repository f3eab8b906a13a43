import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export type DomainRow = Database['user_pool_domains'];
export type ResourceServerRow = Database['resource_servers'];
export type UiCustomizationRow = Database['ui_customizations'];
export type BrandingRow = Database['managed_login_brandings'];

/**
 * User pool domains and resource servers (the OAuth 2.0 side of a pool). Each method is one statement.
 * A domain name is the primary key, so two pools racing for one name end with one winner (UniqueViolation
 * for the other); `(pool_id, kind)` is unique, so a pool has at most one prefix and one custom domain.
 */
export class OAuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertDomain(row: DomainRow): Promise<void> {
    await this.db.insertInto('user_pool_domains').values(row).execute();
  }

  async findDomain(domain: string): Promise<DomainRow | undefined> {
    return this.db.selectFrom('user_pool_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
  }

  async domainsOfPool(poolId: string): Promise<DomainRow[]> {
    return this.db.selectFrom('user_pool_domains').selectAll().where('pool_id', '=', poolId).orderBy('domain').execute();
  }

  /** Replaces the settings of a pool's domain; false when the pool has no such domain. */
  async updateDomain(poolId: string, domain: string, doc: string, updatedAt: number): Promise<boolean> {
    const r = await this.db
      .updateTable('user_pool_domains')
      .set({ doc, updated_at: updatedAt })
      .where('pool_id', '=', poolId)
      .where('domain', '=', domain)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteDomain(poolId: string, domain: string): Promise<boolean> {
    const r = await this.db.deleteFrom('user_pool_domains').where('pool_id', '=', poolId).where('domain', '=', domain).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async insertResourceServer(row: ResourceServerRow): Promise<void> {
    await this.db.insertInto('resource_servers').values(row).execute();
  }

  async findResourceServer(poolId: string, identifier: string): Promise<ResourceServerRow | undefined> {
    return this.db
      .selectFrom('resource_servers')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
  }

  /** Resource servers of a pool in identifier order, after `afterId` (keyset pagination). */
  async listResourceServers(poolId: string, afterId: string | undefined, limit: number): Promise<ResourceServerRow[]> {
    let q = this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId);
    if (afterId !== undefined) q = q.where('identifier', '>', afterId);
    return q.orderBy('identifier').limit(limit).execute();
  }

  async countResourceServers(poolId: string): Promise<number> {
    const r = await this.db
      .selectFrom('resource_servers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async updateResourceServer(poolId: string, identifier: string, name: string, scopes: string, updatedAt: number): Promise<boolean> {
    const r = await this.db
      .updateTable('resource_servers')
      .set({ name, scopes, updated_at: updatedAt })
      .where('pool_id', '=', poolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteResourceServer(poolId: string, identifier: string): Promise<boolean> {
    const r = await this.db.deleteFrom('resource_servers').where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Inserts or replaces a pool's or client's branding (one statement; the creation time is kept). */
  async putUiCustomization(row: UiCustomizationRow): Promise<UiCustomizationRow> {
    await this.db
      .insertInto('ui_customizations')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['pool_id', 'client_id']).doUpdateSet({ css: row.css, image: row.image, image_type: row.image_type, css_version: row.css_version, updated_at: row.updated_at }),
      )
      .execute();
    return (await this.findUiCustomization(row.pool_id, row.client_id)) ?? row;
  }

  async findUiCustomization(poolId: string, clientId: string): Promise<UiCustomizationRow | undefined> {
    return this.db.selectFrom('ui_customizations').selectAll().where('pool_id', '=', poolId).where('client_id', '=', clientId).executeTakeFirst();
  }

  /**
   * A new branding style. `(pool_id, client_id)` is unique, so of two racing creations for one client one
   * fails (UniqueViolation, answered as ManagedLoginBrandingExistsException).
   */
  async insertBranding(row: BrandingRow): Promise<void> {
    await this.db.insertInto('managed_login_brandings').values(row).execute();
  }

  async findBranding(poolId: string, id: string): Promise<BrandingRow | undefined> {
    return this.db.selectFrom('managed_login_brandings').selectAll().where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
  }

  async findBrandingByClient(poolId: string, clientId: string): Promise<BrandingRow | undefined> {
    return this.db.selectFrom('managed_login_brandings').selectAll().where('pool_id', '=', poolId).where('client_id', '=', clientId).executeTakeFirst();
  }

  /**
   * Replaces a style's content if it is still the version read (`updated_at` as compare-and-set): a concurrent
   * update makes this one report false (ConcurrentModificationException) rather than lose the other's change.
   */
  async updateBranding(row: BrandingRow, readAt: number): Promise<boolean> {
    const r = await this.db
      .updateTable('managed_login_brandings')
      .set({ use_cognito_provided: row.use_cognito_provided, settings: row.settings, assets: row.assets, updated_at: row.updated_at })
      .where('pool_id', '=', row.pool_id)
      .where('id', '=', row.id)
      .where('updated_at', '=', readAt)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteBranding(poolId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('managed_login_brandings').where('pool_id', '=', poolId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
