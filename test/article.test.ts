/**
 * The administrator workflow of "A Detailed Look at AWS Cognito" (pool settings, groups, CSV import, filtered
 * and paged listings, disable and delete), run by real clients against a real server: boto3
 * (test/py/article_workflow.py) and the AWS CLI (test/py/cli_workflow.sh), on every store dialect.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const PY_DIR = fileURLToPath(new URL('./py/', import.meta.url));
const TIMEOUT_MS = 300_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** The environment a real administrator's machine would have, pointed at the test server and nothing else. */
function clientEnv(t: TestServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_')) env[k] = v;
  }
  return {
    ...env,
    TESSERA_ENDPOINT: t.endpoint,
    AWS_ACCESS_KEY_ID: t.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: t.region,
    // No profile, config file or instance metadata may leak into the run.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONUNBUFFERED: '1',
  };
}

/** Runs a client script asynchronously (the server answers it from this same event loop). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: PY_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (output += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

function assertPassed(name: string, r: Run): void {
  assert.equal(r.code, 0, `${name} exited with ${r.code ?? r.signal}:\n${r.output}`);
}

for (const kind of storeKinds()) {
  // The two clients work on pools of their own, so they run side by side.
  describe(`article workflow through boto3 and the AWS CLI (${kind})`, { concurrency: true }, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('boto3: pool, groups, app client, CSV import, filters, pages, disable/delete, errors', { timeout: TIMEOUT_MS }, async () => {
      const r = await run('python3', [`${PY_DIR}article_workflow.py`], clientEnv(t));
      assertPassed('article_workflow.py', r);
      assert.match(r.output, /all steps passed/, r.output);
    });

    it('AWS CLI: the shorter workflow with --filter, --query and paging', { timeout: TIMEOUT_MS }, async () => {
      const r = await run('bash', [`${PY_DIR}cli_workflow.sh`], clientEnv(t));
      assertPassed('cli_workflow.sh', r);
      assert.match(r.output, /all CLI steps passed/, r.output);
    });
  });
}
