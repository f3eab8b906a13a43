import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parsePayload, TIMEOUT_REASON, type FunctionRunner, type InvokeOptions, type InvokeOutcome } from './invoker.js';

/**
 * The code each worker runs (plain JavaScript, so it works from the esbuild bundle and from sources alike):
 * import the module, call `handler(event, context, callback)` (async or callback style, as Lambda's Node.js
 * runtime does), post back either the JSON answer or `{errorMessage}`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let done = false;
function finish(err, value) {
  if (done) return;
  done = true;
  if (err !== null && err !== undefined) {
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
    parentPort.postMessage({ error: String(message) });
  } else {
    let text;
    try { text = JSON.stringify(value === undefined ? null : value); } catch (e) { text = undefined; }
    parentPort.postMessage(text === undefined ? { unserializable: true } : { payload: text });
  }
}
(async () => {
  const mod = await import(workerData.url);
  const handler = typeof mod.handler === 'function' ? mod.handler : mod.default && typeof mod.default.handler === 'function' ? mod.default.handler : undefined;
  if (!handler) { finish(new Error('handler is undefined or not exported')); return; }
  const started = Date.now();
  const context = {
    functionName: workerData.name, awsRequestId: workerData.requestId, callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, workerData.timeoutMs - (Date.now() - started)),
  };
  const r = handler(workerData.event, context, finish);
  if (r && typeof r.then === 'function') r.then((v) => finish(null, v), (e) => finish(e));
})().catch((e) => finish(e));
`;

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

/**
 * A trigger as an ES module exporting `handler`, run in its own worker thread per invocation: a throw is the
 * function's error, a hang is ended (the worker terminated) when the time is up, and `process.exit()` in a
 * worker ends only that worker. The worker shares the server's process, so module handlers are trusted code;
 * use a webhook for code that must not see the server's memory or files.
 */
export class ModuleRunner implements FunctionRunner {
  constructor(private readonly requestId: () => string) {}

  invoke(ref: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome> {
    const url = moduleUrl(ref);
    return new Promise((resolvePromise) => {
      let settled = false;
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { url, event, name: url.slice(url.lastIndexOf('/') + 1), requestId: this.requestId(), timeoutMs: opts.timeoutMs },
        env: handlerEnv(),
        stdin: false,
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
      const settle = (outcome: InvokeOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolvePromise(outcome);
      };
      const timer = setTimeout(() => settle({ kind: 'invoke-failed', reason: TIMEOUT_REASON, retryable: true }), opts.timeoutMs);
      worker.on('message', (m: unknown) => settle(fromWorker(m)));
      worker.on('error', (err) => settle({ kind: 'function-error', message: err.message }));
      // Lambda's wording for a runtime that exits before answering (Runtime.ExitError).
      worker.on('exit', (code) => settle({ kind: 'function-error', message: `Runtime exited with error: exit status ${code}` }));
    });
  }
}

function fromWorker(m: unknown): InvokeOutcome {
  if (typeof m !== 'object' || m === null) return { kind: 'bad-output' };
  if ('error' in m && typeof m.error === 'string') return { kind: 'function-error', message: m.error };
  if ('payload' in m && typeof m.payload === 'string') return parsePayload(m.payload);
  return { kind: 'bad-output' };
}
