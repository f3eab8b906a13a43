import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

for (const kind of storeKinds()) {
  describe(`tags (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let arn: string;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      const pool = await c.send(new CreateUserPoolCommand({ PoolName: 'tagged', UserPoolTags: { team: 'identity' } }));
      poolId = pool.UserPool?.Id ?? '';
      arn = pool.UserPool?.Arn ?? '';
    });
    after(() => t.close());

    it('tags, lists and untags a pool; DescribeUserPool shows the same tags', async () => {
      assert.deepEqual((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { team: 'identity' });
      await c.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'test', team: 'platform' } }));
      assert.deepEqual((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { team: 'platform', env: 'test' });
      await c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team', 'not-there'] }));
      assert.deepEqual((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { env: 'test' });
      const d = await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(d.UserPool?.UserPoolTags, { env: 'test' });
    });

    it('refuses unknown resources and more than 50 tags', async () => {
      const missing = arn.replace(poolId, 'us-east-1_missing00');
      await assert.rejects(c.send(new ListTagsForResourceCommand({ ResourceArn: missing })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new TagResourceCommand({ ResourceArn: missing, Tags: { a: 'b' } })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new UntagResourceCommand({ ResourceArn: missing, TagKeys: ['a'] })), { name: 'ResourceNotFoundException' });
      const otherAccount = arn.replace(/:\d{12}:/, ':000000000000:');
      await assert.rejects(c.send(new ListTagsForResourceCommand({ ResourceArn: otherAccount })), { name: 'ResourceNotFoundException' });
      const many: Record<string, string> = {};
      for (let i = 0; i < 51; i++) many[`k${i}`] = 'v';
      await assert.rejects(c.send(new TagResourceCommand({ ResourceArn: arn, Tags: many })), { name: 'InvalidParameterException' });
      assert.deepEqual((await c.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { env: 'test' }, 'a refused TagResource changes nothing');
    });
  });
}
