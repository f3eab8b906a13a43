/**
 * The administrator workflow of "A Detailed Look at AWS Cognito" (pool settings, groups, CSV import, filtered
 * and paged listings, disable and delete), run by real clients against a real server: boto3
 * (test/py/article_workflow.py) and the AWS CLI (test/py/cli_workflow.sh), on every store dialect.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PY_DIR, runScript, serverClientEnv, type ScriptRun } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const TIMEOUT_MS = 300_000;

function assertPassed(name: string, r: ScriptRun): void {
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
      const r = await runScript('python3', [`${PY_DIR}article_workflow.py`], serverClientEnv(t), { timeoutMs: TIMEOUT_MS, cwd: PY_DIR });
      assertPassed('article_workflow.py', r);
      assert.match(r.output, /all steps passed/, r.output);
    });

    it('AWS CLI: the shorter workflow with --filter, --query and paging', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('bash', [`${PY_DIR}cli_workflow.sh`], serverClientEnv(t), { timeoutMs: TIMEOUT_MS, cwd: PY_DIR });
      assertPassed('cli_workflow.sh', r);
      assert.match(r.output, /all CLI steps passed/, r.output);
    });
  });
}
