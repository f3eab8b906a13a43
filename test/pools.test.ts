import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

for (const kind of storeKinds()) {
  describe(`user pools (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('creates, describes, lists and deletes a pool', async () => {
      const c = t.client();
      const created = await c.send(new CreateUserPoolCommand({ PoolName: 'p1', UsernameAttributes: ['email'] }));
      const id = created.UserPool?.Id ?? '';
      assert.match(id, /^us-east-1_[0-9a-zA-Z]{9}$/);
      const d = await c.send(new DescribeUserPoolCommand({ UserPoolId: id }));
      assert.equal(d.UserPool?.Name, 'p1');
      assert.deepEqual(d.UserPool?.UsernameAttributes, ['email']);
      assert.ok(d.UserPool?.CreationDate instanceof Date);
      const list = await c.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      assert.ok(list.UserPools?.some((p) => p.Id === id));
      await c.send(new DeleteUserPoolCommand({ UserPoolId: id }));
      await assert.rejects(c.send(new DescribeUserPoolCommand({ UserPoolId: id })), { name: 'ResourceNotFoundException' });
    });
  });
}
