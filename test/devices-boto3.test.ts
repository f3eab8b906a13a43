/**
 * Device tracking through boto3 (test/py/devices_workflow.py, with its own device SRP client), happy and error
 * paths, on every store dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const SCRIPT = `${PY_DIR}devices_workflow.py`;
const TIMEOUT_MS = 120_000;

for (const kind of storeKinds()) {
  describe(`devices through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('confirm, device SRP sign-in, status, refresh binding, forget, Admin twins', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [SCRIPT], serverClientEnv(t), { timeoutMs: TIMEOUT_MS });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all device steps passed/, r.output);
    });
  });
}
