import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parsePayload, TIMEOUT_REASON, type FunctionRunner, type InvokeOptions, type InvokeOutcome } from './invoker.js';

/**
 * The code each worker runs (plain JavaScript, so it works from the esbuild bundle and from sources alike):
 * import the module once, then for each `{id, event, ...}` message call `handler(event, context, callback)`
 * (async or callback style, as Lambda's Node.js runtime does) and post back `{id, payload}` (the JSON answer)
 * or `{id, error}`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let loaded;
function handlerOf(mod) {
  if (typeof mod.handler === 'function') return mod.handler;
  if (mod.default && typeof mod.default.handler === 'function') return mod.default.handler;
  throw new Error('handler is undefined or not exported');
}
parentPort.on('message', (m) => {
  let done = false;
  const finish = (err, value) => {
    if (done) return;
    done = true;
    if (err !== null && err !== undefined) {
      const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
      parentPort.postMessage({ id: m.id, error: String(message) });
      return;
    }
    let text;
    try { text = JSON.stringify(value === undefined ? null : value); } catch (e) { text = undefined; }
    parentPort.postMessage(text === undefined ? { id: m.id, unserializable: true } : { id: m.id, payload: text });
  };
  (async () => {
    loaded ??= import(workerData.url).then(handlerOf);
    const handler = await loaded;
    const started = Date.now();
    const context = {
      functionName: workerData.name, awsRequestId: m.requestId, callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, m.timeoutMs - (Date.now() - started)),
    };
    const r = handler(m.event, context, finish);
    if (r && typeof r.then === 'function') r.then((v) => finish(null, v), (e) => finish(e));
  })().catch((e) => finish(e));
});
`;

/**
 * Workers per module: at most this many run at once (more invocations wait for one to come free rather than
 * start a worker each: a fresh worker costs ~40 ms of CPU, so under concurrent sign-ins spawning per
 * invocation made a module trigger ~25× dearer than a warm one; bench `--triggers`), and all of them may be
 * kept warm when idle (like Lambda's execution environments), for IDLE_MS.
 */
const WORKERS_PER_MODULE = 8;
const IDLE_MS = 60_000;

/** Environment a handler sees: the server's, without Tessera's own settings (keys among them). */
function handlerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TESSERA_')) env[k] = v;
  return env;
}

export function moduleUrl(ref: string): string {
  if (ref.startsWith('file:')) return ref;
  return pathToFileURL(isAbsolute(ref) ? ref : resolve(ref)).href;
}

interface Idle {
  worker: Worker;
  timer: NodeJS.Timeout;
  /** Drops the worker from the idle list if it dies while parked (e.g. a handler's late process.exit). */
  onExit: () => void;
}

/**
 * A trigger as an ES module exporting `handler`, run in worker threads: a throw is the function's error, a
 * hang ends the worker (terminated when the time is up), and `process.exit()` in a handler ends only its
 * worker. A worker that answered is kept warm for the next invocation of the same module (module state
 * survives between invocations, as in a warm Lambda); one that failed to answer is never reused. Workers share
 * the server's process, so module handlers are trusted code; a webhook is the isolated choice.
 */
export class ModuleRunner implements FunctionRunner {
  private readonly idle = new Map<string, Idle[]>();
  /** Invocations running per module, and those waiting for one of its workers. */
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private seq = 0;

  constructor(private readonly requestId: () => string) {}

  async invoke(ref: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome> {
    const url = moduleUrl(ref);
    // The wait counts against the time allowed: a module whose workers all hang cannot hold callers longer.
    if (!(await this.slot(url, opts.timeoutMs))) return { kind: 'invoke-failed', reason: TIMEOUT_REASON, retryable: true };
    try {
      return await this.run(url, event, opts);
    } finally {
      this.release(url);
    }
  }

  /** A place among the module's running invocations, within `waitMs`; false when none came free in time. */
  private slot(url: string, waitMs: number): Promise<boolean> {
    const n = this.running.get(url) ?? 0;
    if (n < WORKERS_PER_MODULE) {
      this.running.set(url, n + 1);
      return Promise.resolve(true);
    }
    const queue = this.waiting.get(url) ?? [];
    this.waiting.set(url, queue);
    return new Promise((resolveSlot) => {
      const handOver = () => {
        clearTimeout(timer);
        resolveSlot(true);
      };
      const timer = setTimeout(() => {
        const i = queue.indexOf(handOver);
        if (i >= 0) queue.splice(i, 1);
        resolveSlot(false);
      }, waitMs);
      queue.push(handOver);
    });
  }

  /** The place goes to the next waiting invocation (which takes the worker just parked), else is freed. */
  private release(url: string): void {
    const next = this.waiting.get(url)?.shift();
    if (next) next();
    else this.running.set(url, Math.max(0, (this.running.get(url) ?? 1) - 1));
  }

  private run(url: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome> {
    const worker = this.take(url) ?? this.spawn(url);
    const id = ++this.seq;
    return new Promise((resolvePromise) => {
      let settled = false;
      const settle = (outcome: InvokeOutcome, reusable: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (reusable) this.park(url, worker);
        else void worker.terminate();
        resolvePromise(outcome);
      };
      const onMessage = (m: unknown) => {
        if (typeof m === 'object' && m !== null && 'id' in m && m.id === id) settle(fromWorker(m), true);
      };
      const onError = (err: Error) => settle({ kind: 'function-error', message: err.message }, false);
      // Lambda's wording for a runtime that exits before answering (Runtime.ExitError).
      const onExit = (code: number) => settle({ kind: 'function-error', message: `Runtime exited with error: exit status ${code}` }, false);
      const timer = setTimeout(() => settle({ kind: 'invoke-failed', reason: TIMEOUT_REASON, retryable: true }, false), opts.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, event, requestId: this.requestId(), timeoutMs: opts.timeoutMs });
    });
  }

  private spawn(url: string): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url, name: url.slice(url.lastIndexOf('/') + 1) },
      env: handlerEnv(),
      stdin: false,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    // Idle workers must not keep the server's process alive; a pending invocation's timer does that.
    worker.unref();
    return worker;
  }

  private take(url: string): Worker | undefined {
    const entry = this.idle.get(url)?.pop();
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    entry.worker.off('exit', entry.onExit);
    return entry.worker;
  }

  private park(url: string, worker: Worker): void {
    const list = this.idle.get(url) ?? [];
    if (list.length >= WORKERS_PER_MODULE) {
      void worker.terminate();
      return;
    }
    const drop = () => {
      const i = list.findIndex((e) => e.worker === worker);
      if (i >= 0) list.splice(i, 1);
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      drop();
      void worker.terminate();
    }, IDLE_MS);
    timer.unref();
    worker.once('exit', drop);
    list.push({ worker, timer, onExit: drop });
    this.idle.set(url, list);
  }
}

function fromWorker(m: object): InvokeOutcome {
  if ('error' in m && typeof m.error === 'string') return { kind: 'function-error', message: m.error };
  if ('payload' in m && typeof m.payload === 'string') return parsePayload(m.payload);
  return { kind: 'bad-output' };
}
