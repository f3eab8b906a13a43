/**
 * Every sign-in flow through boto3 (test/py/signin_workflow.py, with its own SRP client), happy and error
 * paths, on every store dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const SCRIPT = `${PY_DIR}signin_workflow.py`;
const TIMEOUT_MS = 180_000;

for (const kind of storeKinds()) {
  describe(`sign-in through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('every flow, SECRET_HASH on and off, PreventUserExistenceErrors on and off, lockout and recovery', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [SCRIPT], serverClientEnv(t), { timeoutMs: TIMEOUT_MS });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all sign-in steps passed/, r.output);
    });
  });
}
