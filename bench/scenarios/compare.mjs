// Scenario 6: the same workload against Tessera and its peers (moto_server, cognito-local), or against any
// endpoint. A fresh pool; its first users created through AdminCreateUser (measured); the rest of the pool
// loaded in bulk where the server has a way (both peers' AdminCreateUser cost O(n) per call, so 10,000
// API calls take 5 to 20 minutes); then AdminGetUser, ListUsers (= and ^=) and AdminCreateUser at full size.
// Prints ratios Tessera/peer.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../lib/client.mjs';
import { runLoad } from '../lib/load.mjs';
import { person } from '../lib/names.mjs';
import { freePort, memoryOf, settle, watch } from '../lib/procs.mjs';
import { fmt, grid, progress } from '../lib/report.mjs';
import { measureHash, seedUsers } from '../lib/seed.mjs';
import {
  CREDENTIALS,
  cognitoLocalEntry,
  motoAvailable,
  startCognitoLocal,
  startMoto,
  startMotoLoadable,
  startTessera,
} from '../lib/servers.mjs';
import { TEMP_PASSWORD, operations, supports } from '../lib/workload.mjs';

/** Users created through AdminCreateUser from an empty pool before the bulk load (when there is one). */
const API_SEEDED = 1000;
/** Longest API seeding may take on a server without a bulk path (--endpoint). */
const SEED_LIMIT_MS = 300000;

const tempDir = (prefix) => mkdtempSync(join(tmpdir(), prefix));

/**
 * A server under test with a bulk loader. `server` may change (a loader that restarts it).
 * @typedef {{server: import('../lib/procs.mjs').Running, topUp?: (poolId: string, from: number, to: number) => Promise<void>, stop: () => Promise<void>}} Instance
 */

const PEERS = {
  tessera: {
    available: () => undefined,
    /** Writes are safe to send concurrently. */
    createConcurrency: (o) => o.createConcurrency,
    startCold: async (port) => {
      const dir = tempDir('tessera-bench-');
      const s = await startTessera({ dataDir: dir, port });
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
      return s.startupMs;
    },
    /** Bulk path: the store's insertMany with the server stopped (as in scenario 1). @returns {Promise<Instance>} */
    launch: async (port) => {
      const dir = tempDir('tessera-bench-');
      const inst = {
        server: await startTessera({ dataDir: dir, port }),
        async topUp(poolId, from, to) {
          await inst.server.stop();
          await seedUsers({ dbPath: join(dir, 'tessera.db'), poolId, from, n: to });
          inst.server = await startTessera({ dataDir: dir, port: await freePort() });
        },
        async stop() {
          await inst.server.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return inst;
    },
  },
  moto: {
    available: () => (motoAvailable() ? undefined : 'moto_server not found (pip install "moto[server]")'),
    /** moto's in-memory backend fails concurrent AdminCreateUser calls ("OrderedDict mutated during iteration"). */
    createConcurrency: () => 1,
    startCold: async (port) => {
      const s = await startMoto({ port });
      await s.stop();
      return s.startupMs;
    },
    /** Bulk path: moto_launcher.py builds the users in moto's own process. @returns {Promise<Instance>} */
    launch: async (port) => {
      const inst = {
        server: await startMotoLoadable({ port }),
        async topUp(poolId, from, to) {
          const dir = tempDir('moto-bench-');
          const file = join(dir, 'people.json');
          const people = [];
          for (let i = from; i < to; i++) {
            const p = person(i);
            people.push({ email: p.email, given: p.given, family: p.family });
          }
          writeFileSync(file, JSON.stringify(people));
          const answer = inst.server.waitFor(/^(seeded \d+|error .*)$/m);
          inst.server.send(`seed ${poolId} ${file}`);
          const [line] = await answer;
          rmSync(dir, { recursive: true, force: true });
          if (!line.startsWith('seeded')) throw new Error(`moto bulk load: ${line}`);
        },
        stop: () => inst.server.stop(),
      };
      return inst;
    },
  },
  'cognito-local': {
    available: () => (cognitoLocalEntry() ? undefined : 'cognito-local not installed (npm install)'),
    createConcurrency: (o) => o.createConcurrency,
    startCold: async (port) => {
      const dir = tempDir('cognito-local-bench-');
      const s = await startCognitoLocal({ port, dir });
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
      return s.startupMs;
    },
    /**
     * Bulk path: its pool file (.cognito/db/<pool>.json), written with the server stopped, each new user a
     * copy of one it created through the API. @returns {Promise<Instance>}
     */
    launch: async (port) => {
      const dir = tempDir('cognito-local-bench-');
      const inst = {
        server: await startCognitoLocal({ port, dir }),
        async topUp(poolId, from, to) {
          await inst.server.stop();
          const file = join(dir, '.cognito', 'db', `${poolId}.json`);
          const db = JSON.parse(readFileSync(file, 'utf8'));
          const template = Object.values(db.Users ?? {})[0];
          if (!template) throw new Error(`cognito-local bulk load: no user to copy in ${file}`);
          const values = (i, sub) => {
            const p = person(i);
            return { email: p.email, email_verified: 'true', given_name: p.given, family_name: p.family, sub };
          };
          for (let i = from; i < to; i++) {
            const sub = randomUUID();
            const v = values(i, sub);
            db.Users[sub] = { ...template, Username: sub, Attributes: template.Attributes.map((a) => ({ Name: a.Name, Value: v[a.Name] ?? a.Value })) };
          }
          writeFileSync(file, JSON.stringify(db, null, 2));
          inst.server = await startCognitoLocal({ port: await freePort(), dir });
        },
        async stop() {
          await inst.server.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return inst;
    },
  },
};

const clientFor = (server, o, creds = CREDENTIALS) => createClient({ endpoint: server.endpoint, ...creds, maxSockets: o.concurrency });

/**
 * The workload on one server: pool, API seeding (AdminCreateUser from empty), bulk top-up, three reads and
 * AdminCreateUser at full size. `inst.server.pid` is undefined for an outside endpoint.
 * @param {Instance} inst
 */
async function workload(inst, label, o, createConcurrency, creds) {
  const out = {};
  let client = clientFor(inst.server, o, creds);
  try {
    const created = await client.call('CreateUserPool', {
      PoolName: `bench-${Date.now()}`,
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
    });
    const poolId = created.UserPool.Id;
    const viaApi = inst.topUp ? Math.min(o.users, API_SEEDED) : o.users;
    const seeding = operations(client, poolId, viaApi, 0).createUser;
    await settle(o);
    const bar = progress(`${label}: creating ${fmt.int(viaApi)} users through AdminCreateUser`);
    const seed = await runLoad({
      concurrency: createConcurrency,
      total: viaApi,
      durationMs: SEED_LIMIT_MS,
      request: seeding.request,
      check: seeding.check,
      onProgress: (d) => bar.update(fmt.int(d)),
    });
    bar.done();
    out.createEmpty = { ...seed, concurrency: createConcurrency };
    if (seed.errors > 0) throw new Error(`${label}: AdminCreateUser failed ${seed.errors} times; first: ${seed.firstError}`);
    let n = seed.count;
    if (inst.topUp && n < o.users) {
      const t = performance.now();
      await inst.topUp(poolId, n, o.users);
      out.bulkLoadMs = performance.now() - t;
      n = o.users;
      client.close();
      client = clientFor(inst.server, o, creds);
    } else if (n < o.users) {
      process.stdout.write(`  ${label}: API seeding stopped after ${SEED_LIMIT_MS / 1000} s at ${fmt.int(n)} users\n`);
    }
    out.users = n;

    const pid = inst.server.pid;
    const ops = operations(client, poolId, n);
    for (const key of ['getUser', 'listEmail', 'listPrefix']) {
      const op = ops[key];
      const unsupported = await supports(op);
      if (unsupported !== undefined) {
        out[key] = { unsupported };
        process.stdout.write(`  ${label}: ${op.name} not supported: ${unsupported}\n`);
        continue;
      }
      process.stdout.write(`  ${label}: ${op.name}...\n`);
      await settle(o);
      const w = pid === undefined ? undefined : watch(pid);
      const r = await runLoad({ concurrency: o.concurrency, durationMs: o.durationMs, warmupMs: o.warmupMs, request: op.request, check: op.check });
      out[key] = { ...r, ...(w ? w.stop() : {}), clientCpuPct: r.clientCpuPct };
    }
    process.stdout.write(`  ${label}: AdminCreateUser at ${fmt.int(n)} users...\n`);
    const create = ops.createUser;
    await settle(o);
    const w = pid === undefined ? undefined : watch(pid);
    const r = await runLoad({ concurrency: createConcurrency, durationMs: o.durationMs, warmupMs: o.warmupMs, request: create.request, check: create.check });
    out.createFull = { ...r, ...(w ? w.stop() : {}), clientCpuPct: r.clientCpuPct, concurrency: createConcurrency };
    out.peakRssMb = pid === undefined ? NaN : (memoryOf(pid)?.peakMb ?? NaN);
    return out;
  } finally {
    client.close();
  }
}

const cell = (r) => {
  if (r === undefined) return '-';
  if (r.unsupported !== undefined) return 'not supported';
  if (r.count === 0) return `failed: ${r.firstError ?? 'no answer'}`.slice(0, 60);
  return `${fmt.int(r.rps)}/s, p50 ${fmt.ms(r.p50)}, p99 ${fmt.ms(r.p99)}`;
};

function printComparison(per, argon2, o) {
  const names = Object.keys(per);
  const peers = names.filter((n) => n !== 'tessera');
  const t = per.tessera;
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? fmt.ratio(a / b) : '-');
  const rpsRatio = (key, peer) => {
    if (per[peer]?.[key]?.unsupported !== undefined) return `${peer}: not supported`;
    if (t?.[key]?.unsupported !== undefined) return 'tessera: not supported';
    return ratio(t?.[key]?.rps, per[peer]?.[key]?.rps);
  };
  const hash = `+ Argon2id ${fmt.ms(argon2.medianMs)}/user`;
  const rows = [['', ...names, ...(t ? peers.map((p) => `tessera/${p}`) : [])]];
  const line = (label, value, rat) => rows.push([label, ...names.map((n) => value(per[n])), ...(t ? peers.map(rat) : [])]);
  line('start-up, best of 5', (r) => fmt.ms(r.startup.bestMs), (p) => ratio(t.startup.bestMs, per[p].startup.bestMs));
  line(`AdminCreateUser, first ${fmt.int(Math.min(API_SEEDED, o.users))}`, (r) => cell(r.createEmpty), (p) => `${rpsRatio('createEmpty', p)} (${hash})`);
  line(`AdminCreateUser at ${fmt.int(o.users)}`, (r) => cell(r.createFull), (p) => `${rpsRatio('createFull', p)} (${hash})`);
  line('AdminGetUser (by email)', (r) => cell(r.getUser), (p) => rpsRatio('getUser', p));
  line('ListUsers email =', (r) => cell(r.listEmail), (p) => rpsRatio('listEmail', p));
  line('ListUsers family_name ^=', (r) => cell(r.listPrefix), (p) => rpsRatio('listPrefix', p));
  line('peak RSS (VmHWM)', (r) => fmt.mb(r.peakRssMb), (p) => ratio(t.peakRssMb, per[p].peakRssMb));
  const phases = ['getUser', 'listEmail', 'listPrefix', 'createFull'];
  line('CPU of other processes, max of phases', (r) => fmt.pct(Math.max(...phases.map((k) => r[k]?.otherCpuPct ?? 0))), () => '');
  grid(`[6] Comparison at ${fmt.int(o.users)} users (reads: ${o.concurrency} clients × ${o.durationMs / 1000} s; creates: ${names.map((n) => `${n} ${per[n].createFull?.concurrency ?? '-'}`).join(', ')} clients)`, rows, [
    'tessera/peer: throughput ratio (> 1: Tessera faster); for start-up and RSS, < 1: Tessera faster/smaller.',
    `Tessera hashes each temporary password with Argon2id (${fmt.ms(argon2.medianMs)} of CPU each, measured; at most ${fmt.int(argon2.perSecondAllCores)} hashes/s on all cores); the peers store it in plaintext.`,
    `Pools: the first ${fmt.int(Math.min(API_SEEDED, o.users))} users through AdminCreateUser, the rest bulk-loaded (${names.map((n) => `${n} ${fmt.ms(per[n].bulkLoadMs)}`).join(', ')}).`,
    'moto runs with one writer (it fails concurrent AdminCreateUser); moto and cognito-local log every request, as they do by default.',
    ...names.flatMap((n) => ['getUser', 'listEmail', 'listPrefix'].filter((k) => per[n][k]?.unsupported).map((k) => `${n} ${k}: ${per[n][k].unsupported}`)),
  ]);
}

export async function runComparison(o) {
  await settle(o);
  const argon2 = await measureHash();
  const per = {};
  for (const name of o.peers) {
    const peer = PEERS[name];
    if (!peer) throw new Error(`unknown peer '${name}' (tessera, moto, cognito-local)`);
    const missing = peer.available();
    if (missing) {
      process.stdout.write(`  skipping ${name}: ${missing}\n`);
      continue;
    }
    process.stdout.write(`\n${name}:\n`);
    const starts = [];
    for (let k = 0; k < 5; k++) {
      await settle({ quietWaitMs: Math.min(o.quietWaitMs, 10000) });
      starts.push(await peer.startCold(await freePort()));
    }
    starts.sort((a, b) => a - b);
    process.stdout.write(`  ${name}: start-up ${starts.map((s) => fmt.ms(s)).join(', ')}\n`);
    const inst = await peer.launch(await freePort());
    try {
      const r = await workload(inst, name, o, peer.createConcurrency(o), CREDENTIALS);
      per[name] = { ...r, startup: { runs: starts, bestMs: starts[0], medianMs: starts[2] } };
    } finally {
      await inst.stop();
    }
  }
  printComparison(per, argon2, o);
  return { users: o.users, argon2, servers: per };
}

export async function runEndpoint(o) {
  const creds = o.accessKeyId && o.secretAccessKey ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey, region: CREDENTIALS.region } : CREDENTIALS;
  process.stdout.write(`\n${o.endpoint}:\n`);
  const inst = { server: { endpoint: o.endpoint, pid: undefined }, stop: async () => {} };
  const r = await workload(inst, o.endpoint, o, o.createConcurrency, creds);
  grid(`[6] ${o.endpoint} at ${fmt.int(r.users)} users (reads: ${o.concurrency} clients × ${o.durationMs / 1000} s; creates: ${o.createConcurrency} clients)`, [
    ['operation', 'result'],
    [`AdminCreateUser, first ${fmt.int(r.users)} (seeding)`, cell(r.createEmpty)],
    [`AdminCreateUser at ${fmt.int(r.users)}`, cell(r.createFull)],
    ['AdminGetUser (by email)', cell(r.getUser)],
    ['ListUsers email =', cell(r.listEmail)],
    ['ListUsers family_name ^=', cell(r.listPrefix)],
  ], [`temporary password used: ${TEMP_PASSWORD}`]);
  return { endpoint: o.endpoint, users: o.users, ...r };
}
