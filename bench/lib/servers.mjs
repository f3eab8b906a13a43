// How to start each server under test. Each one gets its own process (the load generator competes with it
// for the machine's cores) and is ready when it has answered a signed ListUserPools on a fresh connection.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from './client.mjs';
import { startServer } from './procs.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REGION = 'us-east-1';
/** The benchmark's own administrator key, handed to Tessera through its environment. */
export const CREDENTIALS = { accessKeyId: 'AKIATESSERABENCH0001', secretAccessKey: 'bench-secret-key-0123456789abcdefghijklmnop', region: REGION };

/** One signed ListUserPools on a new connection: the first answered API request. */
export async function probe(endpoint) {
  const c = createClient({ endpoint, ...CREDENTIALS, maxSockets: 1, keepAlive: false });
  try {
    await c.call('ListUserPools', { MaxResults: 1 });
  } finally {
    c.close();
  }
}

/** The environment without the caller's TESSERA_* settings (the server rejects unknown ones). */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TESSERA_')) env[k] = v;
  return { ...env, ...extra };
}

let tesseraWorkers = 1;
/** `--workers N` of the benchmark: every Tessera it starts runs `serve --workers N`. */
export function setTesseraWorkers(n) {
  tesseraWorkers = n;
}

/** @param {{dataDir: string, port: number, extraArgs?: string[], nodeArgs?: string[], env?: Record<string, string>}} o */
export function startTessera(o) {
  return startServer({
    name: 'tessera',
    cmd: process.execPath,
    args: [...(o.nodeArgs ?? []), join(ROOT, 'bin/tessera.js'), 'serve', '--data', o.dataDir, '--port', String(o.port), ...(tesseraWorkers > 1 ? ['--workers', String(tesseraWorkers)] : []), ...(o.extraArgs ?? [])],
    env: cleanEnv({ TESSERA_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, TESSERA_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, ...(o.env ?? {}) }),
    cwd: ROOT,
    port: o.port,
    probe,
  });
}

/** moto's server (python): the real interpreter, not a pyenv shim, so the shim's start-up is not counted. */
function motoCommand() {
  try {
    const real = execFileSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (real && existsSync(real)) return real;
  } catch {
    // no pyenv: use whatever is on PATH
  }
  return 'moto_server';
}

export function motoAvailable() {
  try {
    execFileSync(motoCommand(), ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `moto_server -H 127.0.0.1 -p PORT`, as its users run it. @param {{port: number}} o */
export function startMoto(o) {
  return startServer({ name: 'moto', cmd: motoCommand(), args: ['-H', '127.0.0.1', '-p', String(o.port)], env: cleanEnv({}), port: o.port, probe });
}

/** The python that runs moto_server (its script's #! line). */
function motoPython() {
  try {
    const first = readFileSync(motoCommand(), 'utf8').split('\n', 1)[0] ?? '';
    if (first.startsWith('#!')) return first.slice(2).trim().split(/\s+/)[0] ?? 'python3';
  } catch {
    // not a script we can read
  }
  return 'python3';
}

/**
 * moto's server entry point run by bench/lib/moto_launcher.py, which can also bulk-load users (`seed`
 * command on stdin): same server code, minus minutes of O(n) AdminCreateUser calls. @param {{port: number}} o
 */
export function startMotoLoadable(o) {
  const launcher = join(ROOT, 'bench/lib/moto_launcher.py');
  return startServer({ name: 'moto', cmd: motoPython(), args: [launcher, '-H', '127.0.0.1', '-p', String(o.port)], env: cleanEnv({}), port: o.port, probe, stdin: true });
}

export function cognitoLocalEntry() {
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    return join(dirname(require.resolve('cognito-local/package.json')), 'lib/bin/start.js');
  } catch {
    return undefined;
  }
}

/** cognito-local keeps its data in ./.cognito under its working directory. @param {{port: number, dir: string}} o */
export function startCognitoLocal(o) {
  const entry = cognitoLocalEntry();
  if (!entry) throw new Error('cognito-local is not installed (npm install)');
  return startServer({
    name: 'cognito-local',
    cmd: process.execPath,
    args: [entry],
    env: cleanEnv({ PORT: String(o.port), HOST: '127.0.0.1' }),
    cwd: o.dir,
    port: o.port,
    probe,
  });
}
