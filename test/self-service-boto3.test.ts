/** The self-service operations through boto3 (test/py/self_service.py), unsigned as an app sends them. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const PY_DIR = fileURLToPath(new URL('./py/', import.meta.url));
const TIMEOUT_MS = 120_000;

function runPython(script: string, t: TestServer): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    TESSERA_ENDPOINT: t.endpoint,
    AWS_ACCESS_KEY_ID: t.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: t.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONUNBUFFERED: '1',
  });
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script], { env, cwd: PY_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
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
  describe(`self-service through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('sign up, confirm, sign in, attributes, passwords, revoke and sign out, with SECRET_HASH', { timeout: TIMEOUT_MS }, async () => {
      const r = await runPython(`${PY_DIR}self_service.py`, t);
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all self-service steps passed/, r.output);
    });
  });
}
