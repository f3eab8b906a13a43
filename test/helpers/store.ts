/**
 * Stores for the store-contract suites, one per dialect: an in-memory SQLite, or a fresh database on the test
 * PostgreSQL server (TESSERA_TEST_DATABASE), dropped again on close.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';
import type { UserRow } from '../../src/store/schema.js';

/** Runs one statement on the admin connection (CREATE/DROP DATABASE cannot run in a transaction or pool). */
async function adminQuery(admin: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh database on the test PostgreSQL server, named `<prefix>_<random>`; `drop` removes it. */
export async function freshPostgresDatabase(prefix = 't'): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TESSERA_TEST_DATABASE;
  if (!admin) throw new Error('TESSERA_TEST_DATABASE is not set (run tests through npm test)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface TestStore {
  store: Store;
  /** Closes the store and, on PostgreSQL, drops its database. */
  close(): Promise<void>;
}

/** Opens a migrated store on the given dialect; `prefix` names the PostgreSQL database (for finding leftovers). */
export async function openTestStore(kind: 'sqlite' | 'postgres', prefix = 't'): Promise<TestStore> {
  if (kind === 'sqlite') {
    const store = await openStore({ sqlitePath: ':memory:' });
    return { store, close: () => store.close() };
  }
  const db = await freshPostgresDatabase(prefix);
  const store = await openStore({ databaseUrl: db.url, sqlitePath: ':memory:' });
  return {
    store,
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
}

/**
 * A confirmed user row with no password, no attributes and every optional column empty, for the store
 * contract suites; `extra` overrides any column.
 */
export function blankUserRow(poolId: string, username: string, now: number, extra: Partial<UserRow> = {}): UserRow {
  return {
    id: randomUUID(),
    pool_id: poolId,
    username,
    username_key: username,
    status: 'CONFIRMED',
    enabled: 1,
    created_at: now,
    updated_at: now,
    password_hash: null,
    password_set_at: null,
    attributes: '{}',
    email: null,
    phone_number: null,
    name: null,
    given_name: null,
    family_name: null,
    preferred_username: null,
    tokens_revoked_before: null,
    srp_salt: null,
    srp_verifier_enc: null,
    ...extra,
  };
}
