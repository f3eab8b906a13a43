// Seeds a pool straight into Tessera's SQLite file through the project's own code in dist/ (the store's
// insertMany, and the same attribute, search-column, alias and username-key functions AdminCreateUser
// uses), with the server stopped. One Argon2id hash, computed once with the project's hasher, is shared by
// every seeded user: a million hashes would take hours, and the hash's cost is measured on its own.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { person } from './names.mjs';
import { ROOT } from './servers.mjs';

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

export const SEED_PASSWORD = 'Bench-Passw0rd!';

/** The project functions a seeded row is built with; loaded from dist/ so that rows match the API's. */
async function loadProjectCode() {
  const [store, hashing, poolConfig, input, attrs, records, lookup] = await Promise.all([
    dist('store/store.js'),
    dist('crypto/password-hash.js'),
    dist('domain/pool-config.js'),
    dist('domain/input.js'),
    dist('domain/user-attributes.js'),
    dist('services/user-records.js'),
    dist('services/user-lookup.js'),
  ]);
  return {
    openStore: store.openStore,
    argon2idHasher: hashing.argon2idHasher,
    schemaOf: poolConfig.schemaOf,
    jsonObject: poolConfig.jsonObject,
    toJson: input.toJson,
    applyAttributeWrites: attrs.applyAttributeWrites,
    searchColumns: records.searchColumns,
    aliasesFor: records.aliasesFor,
    usernameKey: lookup.usernameKey,
  };
}

/**
 * The row that AdminCreateUser (Username = the email, in a pool whose UsernameAttributes is email: the
 * stored username is the sub) followed by AdminSetUserPassword(Permanent) leaves for user i.
 */
function seededUser(code, pool, schema, i, sub, passwordHash, now) {
  const p = person(i);
  const writes = [
    { name: 'email', value: p.email },
    { name: 'email_verified', value: 'true' },
    { name: 'given_name', value: p.given },
    { name: 'family_name', value: p.family },
  ];
  const attrs = code.applyAttributeWrites(schema, {}, writes, 'create');
  const row = {
    id: sub,
    pool_id: pool.id,
    username: sub,
    username_key: code.usernameKey(pool, sub),
    status: 'CONFIRMED',
    enabled: 1,
    created_at: now,
    updated_at: now,
    password_hash: passwordHash,
    password_set_at: now,
    attributes: JSON.stringify(attrs),
    ...code.searchColumns(attrs),
    tokens_revoked_before: null,
    srp_salt: null,
    srp_verifier_enc: null,
  };
  const aliases = code.aliasesFor(pool, attrs).map((alias) => ({ userId: sub, poolId: pool.id, alias }));
  return { row, aliases };
}

/**
 * Cost of one Argon2id hash with the project's hasher and settings: the median of `n`, one at a time; and
 * hashes per second with four at a time (libuv's default thread pool) on all cores.
 */
export async function measureHash(n = 15) {
  const { argon2idHasher } = await dist('crypto/password-hash.js');
  const hasher = argon2idHasher();
  await hasher.hash(SEED_PASSWORD); // warm the thread pool
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await hasher.hash(`${SEED_PASSWORD}${i}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  // Throughput with every thread-pool thread hashing at once: the ceiling for AdminCreateUser here.
  let count = 0;
  const until = performance.now() + 2000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (performance.now() < until) {
      await hasher.hash(`${SEED_PASSWORD}${count}`);
      count++;
    }
  }));
  const perSecondAllCores = (count / (performance.now() - t0)) * 1000;
  return { medianMs: times[Math.floor(n / 2)] ?? NaN, minMs: times[0] ?? NaN, perSecondAllCores };
}

/**
 * SRP credentials (salt and sealed verifier, as every password set stores them) for seeded users, built by
 * the project's own `srpCredentials` with the data directory's server key. One modular exponentiation each
 * (about 0.7 ms), so only the users the sign-in benchmark signs in with SRP get them.
 */
async function srpSealer(dataDir) {
  const [{ SecretBox }, { systemRandom }, { srpCredentials }, { readFileSync }] = await Promise.all([
    dist('crypto/secret-box.js'),
    dist('integrations/runtime.js'),
    dist('services/credentials.js'),
    import('node:fs'),
  ]);
  const key = Buffer.from(readFileSync(join(dataDir, 'server.key'), 'utf8').trim(), 'base64');
  const deps = { random: systemRandom, secrets: new SecretBox(key, systemRandom) };
  return (pool, username) => srpCredentials(deps, pool, username, SEED_PASSWORD);
}

/**
 * Inserts users [from, n) into the pool, `batch` users per transaction. With `srp`, users [0, srp.users)
 * also get SRP credentials for SEED_PASSWORD (the server key is read from `srp.dataDir`).
 * @param {{dbPath: string, poolId: string, n: number, from?: number, batch?: number, onProgress?: (done: number) => void,
 *          srp?: {users: number, dataDir: string}}} o
 */
export async function seedUsers(o) {
  const code = await loadProjectCode();
  const passwordHash = await code.argon2idHasher().hash(SEED_PASSWORD);
  const srpFor = o.srp ? await srpSealer(o.srp.dataDir) : undefined;
  const { sql } = await import('kysely');
  const store = await code.openStore({ sqlitePath: o.dbPath });
  const db = store.dialect.db;
  const t0 = performance.now();
  try {
    // A bulk load that a crash may lose: no rollback journal, no fsync, a large page cache, for this
    // connection only. The file goes back to WAL mode at the end, and the server opens it with its own
    // settings (WAL, synchronous=NORMAL).
    await sql`PRAGMA journal_mode = OFF`.execute(db);
    await sql`PRAGMA synchronous = OFF`.execute(db);
    await sql`PRAGMA cache_size = -1048576`.execute(db);
    const poolRow = await store.pools.findPool(o.poolId);
    if (!poolRow) throw new Error(`no pool ${o.poolId} in ${o.dbPath}`);
    const pool = {
      id: poolRow.id,
      region: poolRow.region,
      name: poolRow.name,
      doc: code.jsonObject(code.toJson(JSON.parse(poolRow.doc))),
      createdAt: poolRow.created_at,
      updatedAt: poolRow.updated_at,
    };
    const schema = code.schemaOf(pool.doc);
    const batch = o.batch ?? 50000;
    const now = Date.now();
    // Subs are random UUIDs handed out in sorted order: most users indexes end in username_key (the sub in
    // an email-as-username pool), so sorted subs turn random B-tree inserts into appends. The data is what
    // a million AdminCreateUser calls would leave; only the index pages come out fuller.
    const from = o.from ?? 0;
    const subs = Array.from({ length: o.n - from }, () => randomUUID()).sort();
    for (let start = from; start < o.n; start += batch) {
      const end = Math.min(o.n, start + batch);
      const rows = [];
      const aliases = [];
      for (let i = start; i < end; i++) {
        const u = seededUser(code, pool, schema, i, subs[i - from] ?? '', passwordHash, now);
        if (srpFor && i < (o.srp?.users ?? 0)) Object.assign(u.row, srpFor(pool, u.row.username));
        rows.push(u.row);
        aliases.push(...u.aliases);
      }
      await store.users.insertMany(rows, aliases);
      o.onProgress?.(end);
    }
    await sql`PRAGMA journal_mode = WAL`.execute(db);
  } finally {
    await store.close();
  }
  const ms = performance.now() - t0;
  return { ms, usersPerSecond: ((o.n - (o.from ?? 0)) / ms) * 1000 };
}
