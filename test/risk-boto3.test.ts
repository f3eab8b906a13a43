/** Threat protection through boto3 (test/py/threat_workflow.py), happy and error paths, on every store dialect. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const SCRIPT = `${PY_DIR}threat_workflow.py`;
const TIMEOUT_MS = 120_000;

for (const kind of storeKinds()) {
  describe(`threat protection through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('risk configuration, breached password at sign-up, risk decisions, auth events and feedback', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [SCRIPT], serverClientEnv(t), { timeoutMs: TIMEOUT_MS });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all threat protection steps passed/, r.output);
    });
  });
}
