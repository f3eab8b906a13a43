/**
 * Every sign-in flow through boto3 (test/py/signin_workflow.py, with its own SRP client), happy and error
 * paths, on every store dialect.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const SCRIPT = fileURLToPath(new URL('./py/signin_workflow.py', import.meta.url));
const TIMEOUT_MS = 180_000;

function clientEnv(t: TestServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    TESSERA_ENDPOINT: t.endpoint,
    AWS_ACCESS_KEY_ID: t.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: t.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONUNBUFFERED: '1',
  };
}

function runPython(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (output += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

for (const kind of storeKinds()) {
  describe(`sign-in through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('every flow, SECRET_HASH on and off, PreventUserExistenceErrors on and off, lockout and recovery', { timeout: TIMEOUT_MS }, async () => {
      const r = await runPython(clientEnv(t));
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all sign-in steps passed/, r.output);
    });
  });
}
