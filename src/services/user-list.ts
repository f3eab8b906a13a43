import { invalidParameter } from '../domain/errors.js';
import { parseUserFilter, type UserFilter } from '../domain/list-users-filter.js';
import { schemaOf } from '../domain/pool-config.js';
import { checkReadableNames } from '../domain/user-attributes.js';
import type { ListedUser } from '../store/schema.js';
import type { UserCursor, UserSearch } from '../store/repositories/users.js';
import type { ServiceDeps } from './context.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { Pool } from './pools.js';
import { usernameKey } from './user-lookup.js';
import { toView, type UserView } from './user-records.js';

export interface ListUsersRequest {
  filter: string | undefined;
  attributesToGet: string[] | undefined;
  /** 1..60; 0 or absent means 60 (the model allows 0). */
  limit: number | undefined;
  paginationToken: string | undefined;
}

export interface UserPage {
  users: UserView[];
  paginationToken?: string;
}

const MAX_LIMIT = 60;
const TOKEN_KIND = 'users';

/**
 * ListUsers: one keyset page over the (pool, column, username_key) index of the filtered attribute, or over
 * (pool, username_key) without a filter. Never an offset, never a scan of the pool.
 */
export async function listUsers(deps: ServiceDeps, pool: Pool, req: ListUsersRequest): Promise<UserPage> {
  const filter = parseUserFilter(req.filter);
  if (req.attributesToGet !== undefined) checkReadableNames(schemaOf(pool.doc), req.attributesToGet);
  const limit = req.limit === undefined || req.limit === 0 ? MAX_LIMIT : req.limit;
  const after = req.paginationToken === undefined ? undefined : decodeCursor(req.paginationToken);
  const search = filter === undefined ? undefined : searchOf(pool, filter);
  if (search === 'nothing') return { users: [] };
  const rows = await deps.store.users.listUsers(pool.id, search, after, limit + 1);
  const page = rows.slice(0, limit);
  const users = page.map((r) => onlyAttributes(toView(r), req.attributesToGet));
  const last = page[page.length - 1];
  return rows.length > limit && last ? { users, paginationToken: encodeToken(TOKEN_KIND, cursorOf(search, last)) } : { users };
}

/** The store search for a filter; 'nothing' when no user can match, undefined when every user does. */
function searchOf(pool: Pool, f: UserFilter): UserSearch | undefined | 'nothing' {
  switch (f.attribute) {
    case 'username':
      return { column: 'username_key', op: f.op, value: usernameKey(pool, f.value) };
    case 'cognito:user_status':
      return { column: 'status', op: f.op, value: f.value.toUpperCase() };
    case 'sub':
      return { column: 'id', op: f.op, value: f.value };
    case 'status': {
      // Enabled/Disabled is stored as enabled = 1/0: a prefix selects one of the two words, both or none.
      const words = ['Enabled', 'Disabled'].filter((w) => (f.op === 'eq' ? w === f.value : w.startsWith(f.value)));
      if (words.length === 2) return undefined;
      return words[0] === undefined ? 'nothing' : { column: 'enabled', op: 'eq', value: words[0] === 'Enabled' ? 1 : 0 };
    }
    default:
      return { column: f.attribute, op: f.op, value: f.value };
  }
}

/** Keyset position after `row`: its username_key, plus the sort value when a prefix search orders by it. */
function cursorOf(search: UserSearch | undefined, row: ListedUser): UserCursor {
  const sortedByValue = search !== undefined && search.op === 'prefix' && search.column !== 'username_key';
  return { value: sortedByValue ? row[search.column] : null, key: row.username_key };
}

function decodeCursor(token: string): UserCursor {
  const pos = decodeToken(token, TOKEN_KIND, 'any');
  if (typeof pos === 'object' && pos !== null && 'key' in pos && 'value' in pos) {
    const { key, value } = pos;
    if (typeof key === 'string' && (value === null || typeof value === 'string' || typeof value === 'number')) return { key, value };
  }
  throw invalidParameter('Invalid pagination token.');
}

function onlyAttributes(user: UserView, names: readonly string[] | undefined): UserView {
  return names === undefined ? user : { ...user, attributes: user.attributes.filter((a) => names.includes(a.Name)) };
}
