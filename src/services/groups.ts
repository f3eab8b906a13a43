import { CognitoError, resourceNotFound } from '../domain/errors.js';
import type { Input } from '../domain/input.js';
import { GroupExists } from '../store/repositories/groups.js';
import type { GroupRow } from '../store/schema.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { Pool, PoolService } from './pools.js';
import { requireUser } from './user-lookup.js';
import { toView, type UserView } from './user-records.js';

/** Cognito quotas: groups per user pool, and groups a user can belong to
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html). */
export const MAX_GROUPS_PER_POOL = 10_000;
export const MAX_GROUPS_PER_USER = 100;
const DEFAULT_PAGE = 60;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const groupNotFound = (): CognitoError => resourceNotFound('Group not found.');

/** User pool groups and group membership. */
export class GroupService {

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  async create(ctx: CallerContext, input: Input): Promise<GroupRow> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    if ((await this.deps.store.groups.countGroups(pool.id)) >= MAX_GROUPS_PER_POOL) {
      throw new CognitoError('LimitExceededException', `A user pool can have at most ${MAX_GROUPS_PER_POOL} groups.`);
    }
    const now = this.deps.clock.now().getTime();
    const row: GroupRow = {
      pool_id: pool.id,
      group_name: input.str('GroupName'),
      description: input.optStr('Description') ?? null,
      role_arn: input.optStr('RoleArn') ?? null,
      precedence: input.optNum('Precedence') ?? null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.store.groups.insertGroup(row);
    } catch (err) {
      if (err instanceof GroupExists) throw new CognitoError('GroupExistsException', `A group with the name ${row.group_name} already exists.`);
      throw err;
    }
    return row;
  }

  async get(ctx: CallerContext, poolId: string, name: string): Promise<GroupRow> {
    const pool = await this.pools.get(ctx, poolId);
    return this.requireGroup(pool, name);
  }

  /** UpdateGroup changes the members it is given and keeps the others. */
  async update(ctx: CallerContext, input: Input): Promise<GroupRow> {
    const current = await this.get(ctx, input.str('UserPoolId'), input.str('GroupName'));
    const row: GroupRow = {
      ...current,
      description: input.optStr('Description') ?? current.description,
      role_arn: input.optStr('RoleArn') ?? current.role_arn,
      precedence: input.optNum('Precedence') ?? current.precedence,
      updated_at: this.deps.clock.now().getTime(),
    };
    await this.deps.store.groups.updateGroup(row);
    return row;
  }

  async delete(ctx: CallerContext, poolId: string, name: string): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    if (!(await this.deps.store.groups.deleteGroup(pool.id, name))) throw groupNotFound();
  }

  async list(ctx: CallerContext, poolId: string, limit: number | undefined, token: string | undefined): Promise<Page<GroupRow>> {
    const pool = await this.pools.get(ctx, poolId);
    const kind = `groups:${pool.id}`;
    return paginate(kind, limit, token, (after, n) => this.deps.store.groups.listGroups(pool.id, after, n), (g) => g.group_name);
  }

  /** AdminAddUserToGroup: idempotent, so re-adding a member never counts against the per-user limit. */
  async addUser(ctx: CallerContext, poolId: string, username: string, groupName: string): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    const group = await this.requireGroup(pool, groupName);
    const user = await requireUser(this.deps, pool, username);
    const groups = this.deps.store.groups;
    if (await groups.isMember(pool.id, group.group_name, user.id)) return;
    if ((await groups.countGroupsOfUser(user.id)) >= MAX_GROUPS_PER_USER) {
      throw new CognitoError('LimitExceededException', `A user can be a member of at most ${MAX_GROUPS_PER_USER} groups.`);
    }
    await groups.addMember(pool.id, group.group_name, user.id);
  }

  /** AdminRemoveUserFromGroup: removing a user who is not a member succeeds. */
  async removeUser(ctx: CallerContext, poolId: string, username: string, groupName: string): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    const group = await this.requireGroup(pool, groupName);
    const user = await requireUser(this.deps, pool, username);
    await this.deps.store.groups.removeMember(pool.id, group.group_name, user.id);
  }

  async groupsOfUser(ctx: CallerContext, poolId: string, username: string, limit: number | undefined, token: string | undefined): Promise<Page<GroupRow>> {
    const pool = await this.pools.get(ctx, poolId);
    const user = await requireUser(this.deps, pool, username);
    const kind = `user-groups:${user.id}`;
    return paginate(kind, limit, token, (after, n) => this.deps.store.groups.groupsOfUser(user.id, after, n), (g) => g.group_name);
  }

  async usersInGroup(ctx: CallerContext, poolId: string, groupName: string, limit: number | undefined, token: string | undefined): Promise<Page<UserView>> {
    const pool = await this.pools.get(ctx, poolId);
    const group = await this.requireGroup(pool, groupName);
    const kind = `group-users:${pool.id}:${group.group_name}`;
    const page = await paginate(kind, limit, token, (after, n) => this.deps.store.groups.membersOfGroup(pool.id, group.group_name, after, n), (u) => u.id);
    return { ...page, items: page.items.map((u) => toView(u)) };
  }

  private async requireGroup(pool: Pool, name: string): Promise<GroupRow> {
    const g = await this.deps.store.groups.findGroup(pool.id, name);
    if (!g) throw groupNotFound();
    return g;
  }
}

/** Keyset pagination: fetch one extra row to know whether a next page exists. Limit 0 means the default. */
async function paginate<T>(
  kind: string,
  limit: number | undefined,
  token: string | undefined,
  fetch: (after: string | undefined, n: number) => Promise<T[]>,
  keyOf: (row: T) => string,
): Promise<Page<T>> {
  const size = limit === undefined || limit === 0 ? DEFAULT_PAGE : limit;
  const after = token === undefined ? undefined : decodeToken(token, kind);
  const rows = await fetch(after, size + 1);
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return rows.length > size && last !== undefined ? { items, nextToken: encodeToken(kind, keyOf(last)) } : { items };
}
