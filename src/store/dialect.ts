import { Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder, type SqliteDatabase, type SqliteStatement } from 'kysely';
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

const STATEMENT_CACHE_SIZE = 512;

/**
 * Kysely prepares every query anew; preparing costs more than running the small indexed lookups that make
 * up most requests. Queries are generated from a fixed set of builders (values are parameters), so caching
 * statements by SQL text is bounded in practice; the bound is a backstop. Safe because better-sqlite3 runs
 * statements synchronously and Kysely serialises access to its single connection.
 */
function withStatementCache(native: SqliteDatabase): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => native.close(),
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text);
      if (stmt === undefined) {
        stmt = native.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

export async function openSqlite(path: string): Promise<StoreDialect> {
  const { default: SQLite } = await import('better-sqlite3');
  const native = new SQLite(path);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  native.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(native) }) });
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
  // An idle client losing its connection (a database restart) emits 'error' on the pool; without a listener
  // that would crash the process. The next query simply gets a fresh connection.
  pool.on('error', () => undefined);
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
