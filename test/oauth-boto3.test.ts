/** User pool domains, resource servers and a client_credentials token through boto3 (test/py/oauth_config.py). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const TIMEOUT_MS = 120_000;

for (const kind of storeKinds()) {
  describe(`OAuth configuration through boto3 (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('domains, resource servers, a custom-scope client and its token; Cognito errors where refused', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [`${PY_DIR}oauth_config.py`], serverClientEnv(t), { timeoutMs: TIMEOUT_MS, cwd: PY_DIR });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all oauth configuration steps passed/, r.output);
    });
  });
}
