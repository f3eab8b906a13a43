import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';

/**
 * `tessera serve --workers N`: N server processes share the port through node:cluster, so one machine's
 * cores all serve requests. This is safe because nodes are interchangeable (all cross-request state lives
 * in the store; per-process caches last a second). The primary prepares the store once (migrations, the
 * generated root key), then forks; it restarts a worker that dies, and on SIGTERM/SIGINT it asks every worker
 * to drain and exits when they have.
 */
export interface ClusterHooks {
  /** Runs once in the primary before forking (migrations, root key); returns the lines to print. */
  prepare(): Promise<string[]>;
  /** Runs in each worker: start serving, return the address. */
  serveWorker(): Promise<string>;
  /** Runs in each worker on SIGTERM: drain and close. */
  closeWorker(): Promise<void>;
}

interface ReadyMessage {
  tessera: 'ready';
  address: string;
}

function isReady(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && 'tessera' in m && m.tessera === 'ready' && 'address' in m && typeof m.address === 'string';
}

export async function runWorker(hooks: ClusterHooks): Promise<void> {
  const address = await hooks.serveWorker();
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    hooks.closeWorker().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const ready: ReadyMessage = { tessera: 'ready', address };
  process.send?.(ready);
}

export async function runPrimary(config: Config, hooks: ClusterHooks, started: number): Promise<void> {
  const out = process.stdout;
  const lines = await hooks.prepare();
  let stopping = false;
  let announced = false;
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('message', (m: unknown) => {
      if (!isReady(m) || announced) return;
      announced = true;
      out.write(`Tessera listening on ${m.address} with ${config.workers} worker processes (public URL ${config.publicUrl})\n`);
      for (const line of lines) out.write(line);
      out.write(`Ready in ${Math.round(performance.now() - started)} ms\n`);
    });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`worker ${w.process.pid ?? '?'} exited (${signal ?? code}); starting another\n`);
      fork();
    });
    return w;
  };
  for (let i = 0; i < config.workers; i++) fork();
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    out.write(`${signal}: draining requests in ${config.workers} workers\n`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const w of workers) {
      w.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(0);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export const isClusterWorker = (): boolean => cluster.isWorker;
