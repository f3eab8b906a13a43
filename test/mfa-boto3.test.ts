/** A user's MFA through boto3 (test/py/mfa_workflow.py), happy and error paths, on every store dialect. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const TIMEOUT_MS = 120_000;

for (const kind of storeKinds()) {
  describe(`MFA through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('software token, preferences, legacy settings, SOFTWARE_TOKEN_MFA and SMS_MFA sign-in', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [`${PY_DIR}mfa_workflow.py`], serverClientEnv(t), { timeoutMs: TIMEOUT_MS });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all MFA steps passed/, r.output);
    });
  });
}
