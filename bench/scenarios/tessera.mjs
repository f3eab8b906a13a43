// Scenarios 1–5 on Tessera alone: seed a big pool through the store, then start-up, AdminGetUser, ListUsers
// (= and ^=) and AdminCreateUser against the server in its own process, each with its targets.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../lib/client.mjs';
import { runLoad, runRate } from '../lib/load.mjs';
import { freePort, settle, watch } from '../lib/procs.mjs';
import { atLeast, below, fmt, progress, table } from '../lib/report.mjs';
import { measureHash, seedUsers } from '../lib/seed.mjs';
import { CREDENTIALS, startTessera } from '../lib/servers.mjs';
import { operations } from '../lib/workload.mjs';

export const TARGETS = {
  seedSeconds: below(180, ' s'),
  getUserRps: atLeast(5000, ' req/s'),
  p99Ms: below(10, ' ms'),
  createRps: atLeast(200, ' users/s'),
  startupMs: below(300, ' ms'),
  rssMb: below(300, ' MB'),
};
/** AdminGetUser's throughput target is also the rate its latency is checked at in the open-loop phase. */
const GET_USER_RATE = 5000;

/** A closed-loop phase with the server watched. */
async function closed(server, op, o) {
  await settle(o);
  const w = watch(server.pid);
  const r = await runLoad({ concurrency: o.concurrency, durationMs: o.durationMs, warmupMs: o.warmupMs, request: op.request, check: op.check });
  return { ...r, ...w.stop(), clientCpuPct: r.clientCpuPct };
}

/** An open-loop phase at `rate` with the server watched. */
async function open(server, op, rate, o) {
  await settle(o);
  const w = watch(server.pid);
  const r = await runRate({ rate, durationMs: o.durationMs, warmupMs: o.warmupMs, request: op.request, check: op.check });
  return { ...r, ...w.stop(), clientCpuPct: r.clientCpuPct };
}

const errorNote = (r) => (r.errors ? [`${r.errors} errors; first: ${r.firstError}`] : []);
const cpuRow = (r) => ['CPU, saturated: server / generator / other', `${fmt.pct(r.serverCpuPct)} / ${fmt.pct(r.clientCpuPct)} / ${fmt.pct(r.otherCpuPct)}`];

const latency = (r) => (r.overloaded ? 'overloaded' : `${fmt.ms(r.p50)} / ${fmt.ms(r.p99)}`);
const p99Of = (r) => (r.overloaded ? Infinity : r.p99);

/**
 * One read operation at three operating points: saturated (closed loop, `concurrency` clients: the
 * throughput), unloaded (one client: the service time) and an open loop at a fixed rate (the throughput
 * target when the server reaches it, else half its maximum: latency under realistic load, queueing included).
 */
async function readScenario(server, read, o, phase, results) {
  const { key, op, title, rateTarget } = read;
  process.stdout.write(`\n  running ${op.name}: ${o.concurrency} clients, 1 client, then a fixed rate...\n`);
  const c = await closed(server, op, { ...phase, concurrency: o.concurrency });
  const one = await closed(server, op, { ...phase, durationMs: Math.max(1000, phase.durationMs / 2), concurrency: 1 });
  const reachable = rateTarget !== undefined && c.rps >= rateTarget;
  const rate = reachable ? rateTarget : Math.max(100, Math.round(c.rps / 2 / 100) * 100);
  const r = await open(server, op, rate, phase);
  results[key] = { closed: c, single: one, open: r };
  const peak = Math.max(c.peakRssMb, one.peakRssMb, r.peakRssMb);
  return table(`${title}, ${o.durationMs / 1000} s per phase`, [
    [`throughput, ${o.concurrency} clients`, fmt.rate(c.rps), rateTarget !== undefined ? TARGETS.getUserRps : undefined, c.rps],
    [`p50 / p99, ${o.concurrency} clients (saturated)`, latency(c), TARGETS.p99Ms, p99Of(c)],
    ['p50 / p99, 1 client (unloaded)', latency(one), TARGETS.p99Ms, p99Of(one)],
    [`p50 / p99 at ${fmt.int(rate)} req/s (open loop${reachable ? '' : ', half the max'})`, latency(r), TARGETS.p99Ms, p99Of(r)],
    ...(key === 'getUser' ? [] : [['users per answer (mean)', c.rowsPerAnswer.toFixed(1)]]),
    ['peak RSS (server)', fmt.mb(peak), TARGETS.rssMb, peak],
    cpuRow(c),
    ['CPU of other processes: saturated / 1 client / open loop', `${fmt.pct(c.otherCpuPct)} / ${fmt.pct(one.otherCpuPct)} / ${fmt.pct(r.otherCpuPct)}`],
  ], [
    ...(rateTarget !== undefined && !reachable ? [`the ${fmt.int(rateTarget)} req/s target is above the maximum, so the open loop ran at half the maximum`] : []),
    ...errorNote(c), ...errorNote(one), ...errorNote(r),
  ]);
}

/**
 * @param {{users: number, durationMs: number, warmupMs: number, concurrency: number, createConcurrency: number,
 *          quietWaitMs: number, dataDir?: string, keep: boolean, profileDir?: string}} o
 */
export async function runTesseraSuite(o) {
  const results = { users: o.users };
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  mkdirSync(dataDir, { recursive: true });
  const dbPath = join(dataDir, 'tessera.db');
  try {
    // The pool itself through the API, on a fresh data directory.
    let server = await startTessera({ dataDir, port: await freePort() });
    results.firstStartMs = server.startupMs;
    let client = createClient({ endpoint: server.endpoint, ...CREDENTIALS });
    const created = await client.call('CreateUserPool', {
      PoolName: 'bench',
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
    });
    const poolId = created.UserPool.Id;
    client.close();
    await server.stop();

    // 1. Seeding
    await settle(o);
    const bar = progress(`seeding ${fmt.int(o.users)} users`);
    const seed = await seedUsers({ dbPath, poolId, n: o.users, onProgress: (d) => bar.update(`${fmt.int(d)}`) });
    bar.done();
    const dbBytes = ['', '-wal'].reduce((sum, ext) => {
      try {
        return sum + statSync(dbPath + ext).size;
      } catch {
        return sum;
      }
    }, 0);
    results.seed = { ...seed, dbMb: dbBytes / 1048576 };
    results.tables = {};
    results.tables.seed = table(`[1] Seeding ${fmt.int(o.users)} users into SQLite through the store (insertMany, 50,000 per transaction)`, [
      ['rate', fmt.rate(seed.usersPerSecond, 'users/s')],
      ['time', `${(seed.ms / 1000).toFixed(1)} s`, TARGETS.seedSeconds, seed.ms / 1000],
      ['database file', fmt.mb(results.seed.dbMb)],
    ], ['one shared Argon2id hash; rows built by the same functions AdminCreateUser uses; no fsync while seeding']);

    // 5a. Start-up on the seeded data directory: five cold starts (new process each time).
    const starts = [];
    for (let k = 0; k < 5; k++) {
      await settle({ quietWaitMs: Math.min(o.quietWaitMs, 10000) });
      const s = await startTessera({ dataDir, port: await freePort() });
      const ready = /Ready in (\d+) ms/.exec(s.output());
      starts.push({ ms: s.startupMs, selfReportedMs: ready ? Number(ready[1]) : NaN });
      await s.stop();
    }
    const sorted = starts.map((s) => s.ms).sort((a, b) => a - b);
    results.startup = { runs: starts, bestMs: sorted[0], medianMs: sorted[2] };

    // The server under load.
    server = await startTessera({ dataDir, port: await freePort(), nodeArgs: o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [] });
    client = createClient({ endpoint: server.endpoint, ...CREDENTIALS, maxSockets: o.concurrency });
    const ops = operations(client, poolId, o.users);
    const phase = { durationMs: o.durationMs, warmupMs: o.warmupMs, quietWaitMs: o.quietWaitMs };

    // 2. AdminGetUser; 3. ListUsers, = and ^=
    const reads = [
      { key: 'getUser', op: ops.getUser, title: '[2] AdminGetUser by email (the sign-in alias)', rateTarget: GET_USER_RATE },
      { key: 'listEmail', op: ops.listEmail, title: '[3] ListUsers email = "..." (one match)' },
      { key: 'listPrefix', op: ops.listPrefix, title: '[3] ListUsers family_name ^= "..." (a few dozen matches)' },
    ];
    for (const read of reads) results.tables[read.key] = await readScenario(server, read, o, phase, results);
    // 4. AdminCreateUser. First Argon2id alone: the cost of the one thing AdminCreateUser cannot avoid.
    await settle(o);
    results.argon2 = await measureHash();
    process.stdout.write(`\n  running AdminCreateUser (${o.createConcurrency} clients)...\n`);
    const create = await closed(server, ops.createUser, { ...phase, concurrency: o.createConcurrency });
    results.createUser = create;
    results.tables.createUser = table(`[4] AdminCreateUser (Argon2id-hashed temporary password), ${o.createConcurrency} signed clients, ${o.durationMs / 1000} s`, [
      ['throughput', fmt.rate(create.rps, 'users/s'), TARGETS.createRps, create.rps],
      ['p50 latency', fmt.ms(create.p50)],
      ['p99 latency', fmt.ms(create.p99)],
      ['one Argon2id hash (one core)', fmt.ms(results.argon2.medianMs)],
      ['Argon2id alone, all cores (ceiling)', fmt.rate(results.argon2.perSecondAllCores, 'hashes/s')],
      ['peak RSS (server)', fmt.mb(create.peakRssMb), TARGETS.rssMb, create.peakRssMb],
      cpuRow(create),
    ], errorNote(create));

    const hwm = create.lifetimePeakRssMb;
    client.close();
    await server.stop();
    results.peakRssMb = hwm;

    // 5. Start-up and memory
    results.tables.startup = table('[5] Start-up to the first answered request, and memory', [
      [`start-up, ${fmt.int(o.users)}-user data dir (best of 5)`, fmt.ms(results.startup.bestMs), TARGETS.startupMs, results.startup.bestMs],
      ['start-up (median of 5)', fmt.ms(results.startup.medianMs)],
      ["  of which the server's own 'Ready in'", fmt.ms(Math.min(...starts.map((s) => s.selfReportedMs)))],
      ['start-up, empty data dir (first start)', fmt.ms(results.firstStartMs)],
      ['peak RSS under load (VmHWM)', fmt.mb(hwm), TARGETS.rssMb, hwm],
    ], ['start-up: spawn of `node bin/tessera.js serve` until a signed ListUserPools on a new connection is answered']);
    return results;
  } finally {
    if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
    else process.stdout.write(`\nData kept in ${dataDir}\n`);
  }
}
