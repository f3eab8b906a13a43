// A closed-loop phase whose throughput is also given per core of server CPU (the sign-in targets are stated
// that way: the generator shares the machine), and its standard report table.
import { runLoad } from './load.mjs';
import { settle, watch } from './procs.mjs';
import { below, fmt, table } from './report.mjs';

export const RSS_TARGET = below(300, ' MB');

/** Runs `op` from `concurrency` clients with the server watched; adds `perCore` (answers/s per server core). */
export async function measurePerCore(server, op, concurrency, o) {
  await settle(o);
  process.stdout.write(`\n  running ${op.name}: ${concurrency} clients...\n`);
  const w = watch(server.pid);
  const r = await runLoad({ concurrency, durationMs: o.durationMs, warmupMs: o.warmupMs, request: op.request });
  const s = w.stop();
  return { ...r, ...s, clientCpuPct: r.clientCpuPct, perCore: r.rps / Math.max(0.01, s.serverCpuPct / 100) };
}

/** The table for one such phase; `unit` names what is counted (e.g. 'sign-ins'). */
export function perCoreReport(title, r, perCoreTarget, unit = 'sign-ins') {
  return table(title, [
    [`${unit} per second`, fmt.rate(r.rps, '/s')],
    ['per core of server CPU', fmt.rate(r.perCore, '/s/core'), perCoreTarget, r.perCore],
    ['p50 / p99 latency', `${fmt.ms(r.p50)} / ${fmt.ms(r.p99)}`],
    ['peak RSS (server)', fmt.mb(r.peakRssMb), RSS_TARGET, r.peakRssMb],
    ['CPU: server / generator / other', `${fmt.pct(r.serverCpuPct)} / ${fmt.pct(r.clientCpuPct)} / ${fmt.pct(r.otherCpuPct)}`],
  ], r.errors ? [`${r.errors} errors; first: ${r.firstError}`] : []);
}
