import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { prepare } from '../prepared.js';
import type { Database, GroupRow, ListedUser } from '../schema.js';
import { LISTED_COLUMNS } from './users.js';

export class GroupExists extends Error {}

/** Groups and memberships. Group names are unique per pool by primary key. */
export class GroupRepository {
  private readonly db: Kysely<Database>;
  /** First pages of a user's groups by page size, precompiled: every token issue reads one (prepared.ts). */
  private readonly firstGroupPages = new Map<number, (userId: string) => Promise<GroupRow[]>>();

  constructor(private readonly dialect: StoreDialect) {
    this.db = dialect.db;
  }

  /** Throws GroupExists when the name is taken (decided by the primary key, race-free). */
  async insertGroup(row: GroupRow): Promise<void> {
    try {
      await this.db.insertInto('groups').values(row).execute();
    } catch (err) {
      if (this.dialect.isUniqueViolation(err)) throw new GroupExists(row.group_name);
      throw err;
    }
  }

  async findGroup(poolId: string, name: string): Promise<GroupRow | undefined> {
    return this.db
      .selectFrom('groups')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('group_name', '=', name)
      .executeTakeFirst();
  }

  async updateGroup(row: GroupRow): Promise<void> {
    await this.db
      .updateTable('groups')
      .set({ description: row.description, role_arn: row.role_arn, precedence: row.precedence, updated_at: row.updated_at })
      .where('pool_id', '=', row.pool_id)
      .where('group_name', '=', row.group_name)
      .execute();
  }

  /** Deletes the group and its memberships (cascade). */
  async deleteGroup(poolId: string, name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('groups').where('pool_id', '=', poolId).where('group_name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listGroups(poolId: string, after: string | undefined, limit: number): Promise<GroupRow[]> {
    let q = this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId);
    if (after !== undefined) q = q.where('group_name', '>', after);
    return q.orderBy('group_name').limit(limit).execute();
  }

  async countGroups(poolId: string): Promise<number> {
    const r = await this.db
      .selectFrom('groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async countGroupsOfUser(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('user_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Whether the user is a member (AdminAddUserToGroup is idempotent, so re-adding must not hit the limit). */
  async isMember(poolId: string, group: string, userId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('user_groups')
      .select('user_id')
      .where('pool_id', '=', poolId)
      .where('group_name', '=', group)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Idempotent: adding a member twice is not an error (as in Cognito). */
  async addMember(poolId: string, group: string, userId: string): Promise<void> {
    await this.db
      .insertInto('user_groups')
      .values({ pool_id: poolId, group_name: group, user_id: userId })
      .onConflict((oc) => oc.columns(['pool_id', 'group_name', 'user_id']).doNothing())
      .execute();
  }

  async removeMember(poolId: string, group: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('user_groups')
      .where('pool_id', '=', poolId)
      .where('group_name', '=', group)
      .where('user_id', '=', userId)
      .execute();
  }

  /** The user's groups in name order (keyset after `after`). */
  async groupsOfUser(userId: string, after: string | undefined, limit: number): Promise<GroupRow[]> {
    if (after === undefined) return this.firstGroupPage(limit)(userId);
    return this.groupsQuery(userId).where('user_groups.group_name', '>', after).orderBy('user_groups.group_name').limit(limit).execute();
  }

  private firstGroupPage(limit: number): (userId: string) => Promise<GroupRow[]> {
    let page = this.firstGroupPages.get(limit);
    if (page === undefined) {
      page = prepare(this.db, (userId: string) => this.groupsQuery(userId).orderBy('user_groups.group_name').limit(limit));
      this.firstGroupPages.set(limit, page);
    }
    return page;
  }

  private groupsQuery(userId: string) {
    return this.db
      .selectFrom('user_groups')
      .innerJoin('groups', (j) =>
        j.onRef('groups.pool_id', '=', 'user_groups.pool_id').onRef('groups.group_name', '=', 'user_groups.group_name'),
      )
      .selectAll('groups')
      .where('user_groups.user_id', '=', userId);
  }

  /** Members of a group in user-id order (keyset after `afterUserId`). */
  async membersOfGroup(poolId: string, group: string, afterUserId: string | undefined, limit: number): Promise<ListedUser[]> {
    let q = this.db
      .selectFrom('user_groups')
      .innerJoin('users', 'users.id', 'user_groups.user_id')
      .select(LISTED_COLUMNS.map((c) => `users.${c}` as const))
      .where('user_groups.pool_id', '=', poolId)
      .where('user_groups.group_name', '=', group);
    if (afterUserId !== undefined) q = q.where('user_groups.user_id', '>', afterUserId);
    return q.orderBy('user_groups.user_id').limit(limit).execute();
  }
}
