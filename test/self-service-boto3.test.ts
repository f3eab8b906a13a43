/** The self-service operations through boto3 (test/py/self_service.py), unsigned as an app sends them. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const TIMEOUT_MS = 120_000;

for (const kind of storeKinds()) {
  describe(`self-service through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('sign up, confirm, sign in, attributes, passwords, revoke and sign out, with SECRET_HASH', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [`${PY_DIR}self_service.py`], serverClientEnv(t), { timeoutMs: TIMEOUT_MS, cwd: PY_DIR });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all self-service steps passed/, r.output);
    });
  });
}
