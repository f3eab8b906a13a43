// Servers under test as child processes: spawn, wait for the first answered API request, read their memory
// and CPU from /proc, stop them. Everything listens on 127.0.0.1.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The process and its descendants (a `serve --workers N` primary and its workers). */
function processTree(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const kids = readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim();
      if (kids) out.push(...kids.split(/\s+/).map(Number));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * VmHWM (peak resident set) and VmRSS in MB, summed over the process and its workers; undefined once it
 * has gone.
 */
export function memoryOf(pid) {
  let peakMb = 0;
  let rssMb = 0;
  for (const p of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      peakMb += kb('VmHWM') / 1024;
      rssMb += kb('VmRSS') / 1024;
    } catch {
      if (p === pid) return undefined;
    }
  }
  return { peakMb, rssMb };
}

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process and its workers have used so far. */
export function cpuSecondsOf(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14 and 15 of the line)
    } catch {
      if (p === pid) return NaN;
    }
  }
  return total;
}

/**
 * A running server under test.
 * @typedef {{name: string, pid: number, endpoint: string, startupMs: number, child: import('node:child_process').ChildProcess,
 *            stop: () => Promise<void>, output: () => string}} Running
 */

/**
 * Spawns `cmd args` and polls `probe(endpoint)` every 2 ms until it resolves; start-up is the time from
 * spawn to that first answer.
 * @param {{name: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string, port: number,
 *          probe: (endpoint: string) => Promise<unknown>, timeoutMs?: number, stdin?: boolean}} o
 * @returns {Promise<Running>}
 */
export async function startServer(o) {
  const endpoint = `http://127.0.0.1:${o.port}`;
  const t0 = performance.now();
  const child = spawn(o.cmd, o.args, { env: o.env ?? process.env, cwd: o.cwd, stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let out = '';
  /** Lines the caller waits for (see waitFor), kept apart from the capped log. */
  const waiters = [];
  const keep = (c) => {
    const text = c.toString();
    out += text;
    if (out.length > 20000) out = out.slice(-10000);
    for (const w of [...waiters]) {
      const m = w.re.exec(text);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));
  const deadline = t0 + (o.timeoutMs ?? 60000);
  for (;;) {
    if (exited) throw new Error(`${o.name} exited during start-up:\n${out}`);
    try {
      await o.probe(endpoint);
      break;
    } catch {
      if (performance.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${o.name} did not answer within ${o.timeoutMs ?? 60000} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const startupMs = performance.now() - t0;
  const pid = child.pid ?? -1;
  return {
    name: o.name,
    pid,
    endpoint,
    startupMs,
    child,
    output: () => out,
    /** Writes a line to the child's stdin (started with stdin: true). */
    send: (line) => child.stdin?.write(`${line}\n`),
    /** Resolves with the first match of `re` in output written from now on. */
    waitFor: (re, timeoutMs = 120000) =>
      new Promise((resolve, reject) => {
        const w = { re, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (waiters.includes(w)) reject(new Error(`${o.name}: no ${re} within ${timeoutMs} ms:\n${out.slice(-2000)}`));
        }, timeoutMs).unref();
      }),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds the whole machine has been busy (all cores, /proc/stat). */
function machineBusySeconds() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - idle) / TICKS;
  } catch {
    return NaN;
  }
}

/**
 * Watches a server process during one scenario: its peak resident set (sampled every 100 ms, and VmHWM
 * for the lifetime peak), its CPU, and the whole machine's CPU (so that other work on the machine shows).
 * @param {number} pid
 */
export function watch(pid) {
  const t0 = performance.now();
  const cpu0 = cpuSecondsOf(pid);
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  let peakRss = memoryOf(pid)?.rssMb ?? NaN;
  const timer = setInterval(() => {
    const m = memoryOf(pid);
    if (m && !(m.rssMb <= peakRss)) peakRss = m.rssMb;
  }, 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      const m = memoryOf(pid);
      if (m && !(m.rssMb <= peakRss)) peakRss = m.rssMb;
      const self = process.cpuUsage(self0);
      const serverPct = ((cpuSecondsOf(pid) - cpu0) / seconds) * 100;
      const clientPct = ((self.user + self.system) / 1e6 / seconds) * 100;
      const machinePct = ((machineBusySeconds() - machine0) / seconds) * 100;
      return {
        peakRssMb: peakRss,
        lifetimePeakRssMb: m?.peakMb ?? NaN,
        serverCpuPct: serverPct,
        clientCpuPct: clientPct,
        otherCpuPct: Math.max(0, machinePct - serverPct - clientPct),
      };
    },
  };
}

/**
 * Waits (at most `maxMs`) until the rest of the machine is nearly idle: two consecutive half-seconds with
 * less than a quarter of a core busy. Call it between phases, when the server under test is idle. Returns
 * the busy share seen last (percent of one core), so a busy machine can be reported beside the figures.
 */
export async function waitForQuiet(maxMs) {
  const deadline = performance.now() + maxMs;
  let quiet = 0;
  let busyPct = NaN;
  for (;;) {
    const b0 = machineBusySeconds();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    busyPct = ((machineBusySeconds() - b0) / ((performance.now() - t0) / 1000)) * 100;
    quiet = busyPct < 25 ? quiet + 1 : 0;
    if (quiet >= 2 || performance.now() > deadline) return busyPct;
  }
}

/** Before a phase: let whatever else runs on the machine finish, and say so when it does not. */
export async function settle(o) {
  if (!(o.quietWaitMs > 0)) return;
  const busy = await waitForQuiet(o.quietWaitMs);
  if (busy >= 25) process.stdout.write(`  (the machine is busy: ${Math.round(busy)} % of a core used by other processes; figures will suffer)\n`);
}
