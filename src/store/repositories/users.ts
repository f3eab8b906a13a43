import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { prepare } from '../prepared.js';
import type { MfaSettings } from './user-mfa.js';
import type { Database, ListedUser, UserRow } from '../schema.js';

type UsersQuery = SelectQueryBuilder<Database, 'users', ListedUser>;

/** Columns a listing reads: not the password hash and SRP verifier (about a kilobyte a row, and secret). */
export const LISTED_COLUMNS = [
  'id',
  'pool_id',
  'username',
  'username_key',
  'status',
  'enabled',
  'created_at',
  'updated_at',
  'password_set_at',
  'attributes',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'tokens_revoked_before',
] as const;

export type AliasKind = 'email' | 'phone_number' | 'preferred_username';

/** A user and their MFA settings read together (AdminGetUser answers both); `mfa` undefined when never set. */
export interface UserWithMfa {
  row: UserRow;
  mfa: MfaSettings | undefined;
}

/** The three ways a request names a user, as one interface (user-lookup.ts decides the order). */
export interface UserLookups<T> {
  byAlias(poolId: string, kind: AliasKind, key: string): Promise<T | undefined>;
  byUsername(poolId: string, usernameKey: string): Promise<T | undefined>;
  bySub(poolId: string, sub: string): Promise<T | undefined>;
}

/** user_mfa's switches under names that cannot clash with the users columns. */
const MFA_FLAGS = [
  'user_mfa.user_id as mfa_user_id',
  'user_mfa.sms_enabled as mfa_sms',
  'user_mfa.totp_enabled as mfa_totp',
  'user_mfa.email_enabled as mfa_email',
  'user_mfa.preferred as mfa_preferred',
] as const;

interface MfaFlagColumns {
  mfa_user_id: string | null;
  mfa_sms: number | null;
  mfa_totp: number | null;
  mfa_email: number | null;
  mfa_preferred: string | null;
}

function splitMfa(r: (UserRow & MfaFlagColumns) | undefined): UserWithMfa | undefined {
  if (r === undefined) return undefined;
  const { mfa_user_id, mfa_sms, mfa_totp, mfa_email, mfa_preferred, ...row } = r;
  const mfa = mfa_user_id === null ? undefined : { sms: mfa_sms === 1, totp: mfa_totp === 1, email: mfa_email === 1, preferred: mfa_preferred };
  return { row, mfa };
}
export interface Alias {
  kind: AliasKind;
  key: string;
}

/** A uniqueness constraint refused the write: the username, or an alias held by another user. */
export class UniqueViolation extends Error {
  constructor(readonly what: 'username' | AliasKind) {
    super(`unique violation: ${what}`);
  }
}

/** A compare-and-set write found the row changed since it was read. */
class StaleWrite extends Error {}

/** Columns a targeted update may set: never the identity, the pool or the creation time. */
export type UserFields = Partial<Omit<UserRow, 'id' | 'pool_id' | 'username' | 'username_key' | 'created_at'>>;

/** An alias taken from its holder: the holder as read, as it will be written, and the alias. */
export interface Displacement {
  before: UserRow;
  after: UserRow;
  alias: Alias;
}

/** Columns ListUsers can search, each indexed as (pool_id, column, username_key). */
export type SearchColumn =
  | 'username_key'
  | 'email'
  | 'phone_number'
  | 'name'
  | 'given_name'
  | 'family_name'
  | 'preferred_username'
  | 'status'
  | 'enabled'
  | 'id';

export interface UserSearch {
  column: SearchColumn;
  /** 'eq' exact match; 'prefix' starts-with (a byte-wise range scan). */
  op: 'eq' | 'prefix';
  value: string | number;
}

/** Keyset position: the sort value and username_key of the last row returned. */
export interface UserCursor {
  value: string | number | null;
  key: string;
}

/** Smallest string greater than every string starting with `prefix` (for range scans); undefined if none. */
export function prefixUpperBound(prefix: string): string | undefined {
  const cps = [...prefix];
  while (cps.length > 0) {
    const last = cps.pop();
    if (last === undefined) break;
    const cp = last.codePointAt(0) ?? 0;
    if (cp < 0x10ffff) return cps.join('') + String.fromCodePoint(cp === 0xd7ff ? 0xe000 : cp + 1);
  }
  return undefined;
}

/**
 * Users and their aliases. Username and alias uniqueness are database constraints: concurrent writers race
 * on the constraint and exactly one wins; the loser gets a UniqueViolation.
 */
export class UserRepository {
  private readonly db: Kysely<Database>;
  /** The lookups every request by user name makes, compiled once (see prepared.ts). */
  private readonly byUsername;
  private readonly bySub;
  private readonly byAlias;

  /** findByAlias, findByUsername and findBySub as one interface. */
  readonly plain: UserLookups<UserRow> = {
    byAlias: (poolId, kind, key) => this.findByAlias(poolId, kind, key),
    byUsername: (poolId, key) => this.findByUsername(poolId, key),
    bySub: (poolId, sub) => this.findBySub(poolId, sub),
  };
  /** The same lookups with the user's MFA switches joined in (AdminGetUser: one read, not two). */
  readonly withMfa: UserLookups<UserWithMfa>;

  constructor(private readonly dialect: StoreDialect) {
    const db = dialect.db;
    this.db = db;
    const usersWithMfa = () => db.selectFrom('users').leftJoin('user_mfa', 'user_mfa.user_id', 'users.id').selectAll('users').select(MFA_FLAGS);
    const aliasWithMfa = prepare(db, (poolId: string, kind: string, key: string) =>
      db
        .selectFrom('user_aliases')
        .innerJoin('users', 'users.id', 'user_aliases.user_id')
        .leftJoin('user_mfa', 'user_mfa.user_id', 'users.id')
        .selectAll('users')
        .select(MFA_FLAGS)
        .where('user_aliases.pool_id', '=', poolId)
        .where('user_aliases.alias_kind', '=', kind as AliasKind)
        .where('user_aliases.alias_key', '=', key),
    );
    const usernameWithMfa = prepare(db, (poolId: string, key: string) => usersWithMfa().where('users.pool_id', '=', poolId).where('users.username_key', '=', key));
    const subWithMfa = prepare(db, (poolId: string, sub: string) => usersWithMfa().where('users.id', '=', sub).where('users.pool_id', '=', poolId));
    this.withMfa = {
      byAlias: async (poolId, kind, key) => splitMfa((await aliasWithMfa(poolId, kind, key))[0]),
      byUsername: async (poolId, key) => splitMfa((await usernameWithMfa(poolId, key))[0]),
      bySub: async (poolId, sub) => splitMfa((await subWithMfa(poolId, sub))[0]),
    };
    this.byUsername = prepare(db, (poolId: string, key: string) =>
      db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', key),
    );
    this.bySub = prepare(db, (poolId: string, sub: string) =>
      db.selectFrom('users').selectAll().where('id', '=', sub).where('pool_id', '=', poolId),
    );
    this.byAlias = prepare(db, (poolId: string, kind: string, key: string) =>
      db
        .selectFrom('user_aliases')
        .innerJoin('users', 'users.id', 'user_aliases.user_id')
        .selectAll('users')
        .where('user_aliases.pool_id', '=', poolId)
        // The kind is a parameter here: the builder's type asks for an AliasKind literal.
        .where('user_aliases.alias_kind', '=', kind as AliasKind)
        .where('user_aliases.alias_key', '=', key),
    );
  }

  /** Inserts the user and its aliases in one transaction: all of it or none of it. */
  async createUser(row: UserRow, aliases: readonly Alias[]): Promise<void> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        for (const a of aliases) {
          await this.insertAlias(trx, row.pool_id, row.id, a);
        }
      });
    } catch (err) {
      if (err instanceof UniqueViolation) throw err;
      if (this.dialect.isUniqueViolation(err)) throw new UniqueViolation('username');
      throw err;
    }
  }

  private async insertAlias(trx: Kysely<Database>, poolId: string, userId: string, a: Alias): Promise<void> {
    try {
      await trx
        .insertInto('user_aliases')
        .values({ pool_id: poolId, alias_kind: a.kind, alias_key: a.key, user_id: userId })
        .execute();
    } catch (err) {
      if (this.dialect.isUniqueViolation(err)) throw new UniqueViolation(a.kind);
      throw err;
    }
  }

  /**
   * Writes the changed user row and, when `aliases` is given, replaces the user's aliases, in one
   * transaction. An alias held by someone else aborts the whole write with UniqueViolation.
   */
  async saveUser(row: UserRow, aliases?: readonly Alias[]): Promise<void> {
    const { id, pool_id: _pool, created_at: _c, ...changes } = row;
    if (aliases === undefined) {
      await this.db.updateTable('users').set(changes).where('id', '=', id).execute();
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set(changes).where('id', '=', id).execute();
      await trx.deleteFrom('user_aliases').where('user_id', '=', id).execute();
      for (const a of aliases) await this.insertAlias(trx, row.pool_id, id, a);
    });
  }

  async findByUsername(poolId: string, usernameKey: string): Promise<UserRow | undefined> {
    return (await this.byUsername(poolId, usernameKey))[0];
  }

  async findBySub(poolId: string, sub: string): Promise<UserRow | undefined> {
    return (await this.bySub(poolId, sub))[0];
  }

  async findByAlias(poolId: string, kind: AliasKind, key: string): Promise<UserRow | undefined> {
    return (await this.byAlias(poolId, kind, key))[0];
  }

  /** Deletes the user; aliases and group memberships go with it by cascade. */
  async deleteUser(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * One page of a pool's users, ordered by (search column, username_key), or by username_key alone.
   * Uses the (pool_id, column, username_key) index; never an offset.
   */
  async listUsers(poolId: string, search: UserSearch | undefined, after: UserCursor | undefined, limit: number): Promise<ListedUser[]> {
    let q = this.db.selectFrom('users').select(LISTED_COLUMNS).where('pool_id', '=', poolId);
    if (search === undefined || search.column === 'username_key') {
      if (search?.op === 'eq') q = q.where('username_key', '=', String(search.value));
      if (search?.op === 'prefix') q = this.prefix(q, 'username_key', String(search.value));
      if (after) q = q.where('username_key', '>', after.key);
      return q.orderBy('username_key').limit(limit).execute();
    }
    const col = search.column;
    if (search.op === 'eq') {
      q = q.where(col, '=', search.value);
      if (after) q = q.where('username_key', '>', after.key);
      return q.orderBy('username_key').limit(limit).execute();
    }
    q = this.prefix(q, col, String(search.value));
    if (after) {
      const v = after.value;
      q = q.where((eb) =>
        eb.or([eb(col, '>', v), eb.and([eb(col, '=', v), eb('username_key', '>', after.key)])]),
      );
    }
    return q.orderBy(col).orderBy('username_key').limit(limit).execute();
  }

  private prefix(q: UsersQuery, col: SearchColumn, prefix: string): UsersQuery {
    let r = q.where(col, '>=', prefix);
    const upper = prefixUpperBound(prefix);
    if (upper !== undefined) r = r.where(col, '<', upper);
    return r;
  }

  /** Bulk insert for seeding and imports: rows and aliases in one transaction. */
  async insertMany(rows: readonly UserRow[], aliases: ReadonlyArray<{ userId: string; poolId: string; alias: Alias }>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('users').values(rows.slice(i, i + 500)).execute();
      for (let i = 0; i < aliases.length; i += 1000) {
        await trx
          .insertInto('user_aliases')
          .values(aliases.slice(i, i + 1000).map((a) => ({ pool_id: a.poolId, alias_kind: a.alias.kind, alias_key: a.alias.key, user_id: a.userId })))
          .execute();
      }
    });
  }

  /**
   * Sets some columns of one user; when `onlyIfStatus` is given, only while the user's status is one of
   * those. Condition and write are one statement, so concurrent status changes cannot interleave.
   * Returns whether the user was changed.
   */
  async updateFields(id: string, fields: UserFields, onlyIfStatus?: readonly string[]): Promise<boolean> {
    let q = this.db.updateTable('users').set(fields).where('id', '=', id);
    if (onlyIfStatus !== undefined) q = q.where('status', 'in', onlyIfStatus);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Writes `row`'s attributes, searchable columns and updated_at, and replaces the user's aliases, in one
   * transaction, but only while the stored attributes are still `expected` (compare-and-set: after a
   * concurrent attribute write it changes nothing and returns false). An alias held by another user aborts
   * it with UniqueViolation.
   */
  async saveAttributes(row: UserRow, expected: string, aliases: readonly Alias[]): Promise<boolean> {
    return this.unlessStale(async (trx) => {
      await this.casAttributes(trx, row, expected);
      await trx.deleteFrom('user_aliases').where('user_id', '=', row.id).execute();
      for (const a of aliases) await this.insertAlias(trx, row.pool_id, row.id, a);
    });
  }

  /**
   * createUser that first takes aliases from other users (AdminCreateUser's ForceAliasCreation): each
   * displaced holder gets its new attributes (compare-and-set on the old ones) and loses that alias row,
   * then the user and its aliases are inserted; all in one transaction. Returns false, having changed
   * nothing, when a holder was modified meanwhile.
   */
  async createUserDisplacing(row: UserRow, aliases: readonly Alias[], displaced: readonly Displacement[]): Promise<boolean> {
    try {
      return await this.unlessStale(async (trx) => {
        for (const d of displaced) {
          await this.casAttributes(trx, d.after, d.before.attributes);
          await trx
            .deleteFrom('user_aliases')
            .where('pool_id', '=', d.after.pool_id)
            .where('alias_kind', '=', d.alias.kind)
            .where('alias_key', '=', d.alias.key)
            .where('user_id', '=', d.after.id)
            .execute();
        }
        await trx.insertInto('users').values(row).execute();
        for (const a of aliases) await this.insertAlias(trx, row.pool_id, row.id, a);
      });
    } catch (err) {
      if (err instanceof UniqueViolation) throw err;
      if (this.dialect.isUniqueViolation(err)) throw new UniqueViolation('username');
      throw err;
    }
  }

  private async casAttributes(trx: Kysely<Database>, row: UserRow, expected: string): Promise<void> {
    const r = await trx
      .updateTable('users')
      .set({
        attributes: row.attributes,
        email: row.email,
        phone_number: row.phone_number,
        name: row.name,
        given_name: row.given_name,
        family_name: row.family_name,
        preferred_username: row.preferred_username,
        updated_at: row.updated_at,
      })
      .where('id', '=', row.id)
      .where('attributes', '=', expected)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new StaleWrite();
  }

  /** Runs `work` in a transaction; a StaleWrite inside rolls it back and makes the result false. */
  private async unlessStale(work: (trx: Kysely<Database>) => Promise<void>): Promise<boolean> {
    try {
      await this.db.transaction().execute(work);
      return true;
    } catch (err) {
      if (err instanceof StaleWrite) return false;
      throw err;
    }
  }

  /** Stores the user's pending code for `purpose`, replacing any earlier one (so only the latest works). */
  async putCode(code: { user_id: string; purpose: string; code_hash: string; created_at: number; expires_at: number }): Promise<void> {
    await this.db
      .insertInto('user_codes')
      .values({ ...code, attempts: 0 })
      .onConflict((oc) =>
        oc.columns(['user_id', 'purpose']).doUpdateSet({ code_hash: code.code_hash, created_at: code.created_at, expires_at: code.expires_at, attempts: 0 }),
      )
      .execute();
  }

  /** Records a global sign-out: tokens issued before `at` are no longer honoured. */
  async revokeTokensBefore(id: string, at: number): Promise<void> {
    await this.db.updateTable('users').set({ tokens_revoked_before: at }).where('id', '=', id).execute();
  }

  /** Exposed for the store contract tests: number of alias rows a user holds. */
  async countAliases(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('user_aliases')
      .select(sql<number>`count(*)`.as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
