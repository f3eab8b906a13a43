import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * What differs between the two databases, as capability flags and factories (the Kysely dialect-adapter
 * idea). Nothing outside this file asks which database it is talking to.
 */
export interface StoreDialect {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /** Column type for text compared byte-wise, so that range scans give prefix search in both dialects. */
  readonly sortableText: RawBuilder<unknown>;
  /** Column type for an auto-incrementing integer key. */
  readonly serialKey: 'integer' | 'bigserial';
  /** Where the data is, for the start-up banner (no credentials). */
  readonly describe: string;
  /** True when `err` is a violated primary-key or unique constraint (how uniqueness races are decided). */
  isUniqueViolation(err: unknown): boolean;
  close(): Promise<void>;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

export async function openSqlite(path: string): Promise<StoreDialect> {
  const { default: SQLite } = await import('better-sqlite3');
  const native = new SQLite(path);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  native.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  return {
    kind: 'sqlite',
    db,
    sortableText: sql`text`,
    serialKey: 'integer',
    describe: path === ':memory:' ? 'SQLite (in memory)' : `SQLite ${path}`,
    isUniqueViolation: (err) => {
      const code = errorCode(err);
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },
    close: () => db.destroy(),
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<StoreDialect> {
  const pg = await import('pg');
  const Pool = pg.default.Pool;
  const types = pg.default.types;
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    types: {
      // int8 and numeric as JS numbers: every bigint we store is an epoch-ms time or a counter.
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (v: string) => Number(v) : types.getTypeParser(oid, format ?? 'text'),
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/[^@/]*@/, '//');
  return {
    kind: 'postgres',
    db,
    sortableText: sql`text collate "C"`,
    serialKey: 'bigserial',
    describe: `PostgreSQL ${safe}`,
    isUniqueViolation: (err) => errorCode(err) === '23505',
    close: () => db.destroy(),
  };
}
