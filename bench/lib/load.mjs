// Closed-loop load: N workers, each sending its next request as soon as the previous one is answered.
// Latency is recorded per request after a warm-up; the answer is a summary, not the raw samples.

/** @param {Float64Array} sorted @param {number} q */
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

class Samples {
  constructor() {
    this.buf = new Float64Array(1 << 16);
    this.n = 0;
  }
  /** @param {number} v */
  push(v) {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  summary() {
    const s = this.buf.slice(0, this.n).sort();
    let sum = 0;
    for (const v of s) sum += v;
    return { p50: quantile(s, 0.5), p90: quantile(s, 0.9), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN, mean: s.length ? sum / s.length : NaN };
  }
}

/**
 * Runs `request(seq, worker)` from `concurrency` workers for `durationMs` (after `warmupMs` unrecorded),
 * or until `total` requests have been started when `total` is given.
 * @param {{concurrency: number, durationMs?: number, warmupMs?: number, total?: number,
 *          request: (seq: number, worker: number) => Promise<unknown>,
 *          check?: (answer: any) => number | void, onProgress?: (done: number) => void}} o
 */
export async function runLoad(o) {
  const warmupMs = o.warmupMs ?? 0;
  const samples = new Samples();
  let seq = 0;
  let done = 0;
  let errors = 0;
  let rows = 0;
  /** @type {string | undefined} */
  let firstError;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const deadline = o.durationMs === undefined ? Infinity : measureFrom + o.durationMs;
  let measuredStart = warmupMs === 0 ? t0 : NaN;
  const cpu0 = { v: process.cpuUsage() };

  const worker = async (w) => {
    for (;;) {
      const now = performance.now();
      if (now >= deadline) return;
      if (o.total !== undefined && seq >= o.total) return;
      if (Number.isNaN(measuredStart) && now >= measureFrom) {
        measuredStart = now;
        cpu0.v = process.cpuUsage();
      }
      const s = seq++;
      const start = performance.now();
      try {
        const answer = await o.request(s, w);
        const r = o.check ? o.check(answer) : undefined;
        if (start >= measureFrom) {
          samples.push(performance.now() - start);
          done++;
          if (typeof r === 'number') rows += r;
        }
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
        if (errors > 1000 && errors > done) throw new Error(`too many errors; first: ${firstError}`);
      }
      if (o.onProgress && (s & 1023) === 0) o.onProgress(s);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - (Number.isNaN(measuredStart) ? t0 : measuredStart);
  const cpu = process.cpuUsage(cpu0.v);
  return {
    count: done,
    errors,
    firstError,
    elapsedMs,
    rps: (done / elapsedMs) * 1000,
    rowsPerAnswer: done ? rows / done : 0,
    clientCpuPct: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
    ...samples.summary(),
  };
}

/**
 * Open loop: requests are sent at a fixed rate whatever the answers do, and each latency is counted from
 * the moment its request was due (so a stalled server shows as latency, not as fewer samples: no
 * coordinated omission). Stops early, marked overloaded, when more than `maxInFlight` are outstanding.
 * @param {{rate: number, durationMs: number, warmupMs?: number, maxInFlight?: number,
 *          request: (seq: number) => Promise<unknown>, check?: (answer: any) => number | void}} o
 */
export async function runRate(o) {
  const warmupMs = o.warmupMs ?? 0;
  const interval = 1000 / o.rate;
  const samples = new Samples();
  const maxInFlight = o.maxInFlight ?? 2048;
  let inFlight = 0;
  let done = 0;
  let errors = 0;
  let overloaded = false;
  /** @type {string | undefined} */
  let firstError;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const end = measureFrom + o.durationMs;
  let cpu0 = process.cpuUsage();
  let seq = 0;
  let next = t0;
  let measuring = false;

  await new Promise((resolve) => {
    const finish = () => {
      if (inFlight === 0 && (next >= end || overloaded)) resolve(undefined);
    };
    const fire = (due) => {
      inFlight++;
      const s = seq++;
      (async () => {
        try {
          const answer = await o.request(s);
          if (o.check) o.check(answer);
          if (due >= measureFrom) {
            samples.push(performance.now() - due);
            done++;
          }
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
        inFlight--;
        finish();
      })();
    };
    const tick = () => {
      const now = performance.now();
      if (!measuring && now >= measureFrom) {
        measuring = true;
        cpu0 = process.cpuUsage();
      }
      while (next <= now && next < end) {
        if (inFlight >= maxInFlight) {
          overloaded = true;
          break;
        }
        fire(next);
        next += interval;
      }
      if (next < end && !overloaded) setTimeout(tick, Math.max(0, Math.min(1, next - performance.now())));
      else finish();
    };
    tick();
  });
  const elapsedMs = Math.min(performance.now(), end) - measureFrom;
  const cpu = process.cpuUsage(cpu0);
  return {
    rate: o.rate,
    count: done,
    errors,
    firstError,
    overloaded,
    elapsedMs,
    rps: (done / elapsedMs) * 1000,
    clientCpuPct: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
    ...samples.summary(),
  };
}
