/**
 * Runs the real-client scripts of test/py (boto3, the AWS CLI) against a test server, asynchronously: the
 * server answers them from this same event loop, so a synchronous spawn would deadlock.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './server.js';

/** test/py/, with its trailing slash. */
export const PY_DIR = fileURLToPath(new URL('../py/', import.meta.url));

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  stdout: string;
  stderr: string;
}

/** Spawns `command args` with exactly `env`, killing it after `timeoutMs`; `cwd` defaults to this process's. */
export function runScript(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs: number; cwd?: string },
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    let output = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      const s = b.toString('utf8');
      stdout += s;
      output += s;
    });
    child.stderr.on('data', (b: Buffer) => {
      const s = b.toString('utf8');
      stderr += s;
      output += s;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, stdout, stderr });
    });
  });
}

/**
 * A clean AWS client environment: this process's variables without any AWS_*, no profile, config file or
 * instance metadata, unbuffered Python output, then `vars`.
 */
export function awsClientEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONUNBUFFERED: '1',
    ...vars,
  };
}

/** The environment a real administrator's machine would have, pointed at the test server and nothing else. */
export function serverClientEnv(t: TestServer): NodeJS.ProcessEnv {
  return awsClientEnv({
    TESSERA_ENDPOINT: t.endpoint,
    AWS_ACCESS_KEY_ID: t.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: t.region,
  });
}
