import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
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

for (const kind of storeKinds()) {
  describe(`user pool settings (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('adds custom attributes, which then appear in the schema; a duplicate is refused', async () => {
      const c = t.client();
      const id = (await c.send(new CreateUserPoolCommand({ PoolName: 'custom', Schema: [{ Name: 'team', AttributeDataType: 'String' }] }))).UserPool?.Id ?? '';
      await c.send(
        new AddCustomAttributesCommand({
          UserPoolId: id,
          CustomAttributes: [{ Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '9' } }],
        }),
      );
      const schema = (await c.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.SchemaAttributes ?? [];
      assert.ok(schema.some((a) => a.Name === 'custom:team' && a.AttributeDataType === 'String'));
      const level = schema.find((a) => a.Name === 'custom:level');
      assert.deepEqual(level?.NumberAttributeConstraints, { MinValue: '1', MaxValue: '9' });
      assert.ok(schema.some((a) => a.Name === 'email' && a.Required === false), 'standard attributes are listed too');
      await assert.rejects(
        c.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [{ Name: 'team', AttributeDataType: 'String' }] })),
        { name: 'InvalidParameterException', message: 'Existing attribute already has name custom:team.' },
      );
      await assert.rejects(
        c.send(new AddCustomAttributesCommand({ UserPoolId: 'us-east-1_missing', CustomAttributes: [{ Name: 'x' }] })),
        { name: 'ResourceNotFoundException' },
      );
    });

    it('UpdateUserPool resets omitted settings to defaults and keeps the schema; deletion protection blocks DeleteUserPool', async () => {
      const c = t.client();
      const id = (
        await c.send(
          new CreateUserPoolCommand({
            PoolName: 'upd',
            AliasAttributes: ['email'],
            Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
            DeletionProtection: 'ACTIVE',
          }),
        )
      ).UserPool?.Id ?? '';
      await c.send(new UpdateUserPoolCommand({ UserPoolId: id, DeletionProtection: 'ACTIVE', AutoVerifiedAttributes: ['email'] }));
      const p = (await c.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool;
      assert.equal(p?.Policies?.PasswordPolicy?.MinimumLength, 8, 'omitted policy went back to the default');
      assert.deepEqual(p?.AliasAttributes, ['email'], 'creation-time settings are kept');
      assert.deepEqual(p?.AutoVerifiedAttributes, ['email']);
      await assert.rejects(c.send(new DeleteUserPoolCommand({ UserPoolId: id })), {
        name: 'InvalidParameterException',
        message: 'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      });
      await c.send(new UpdateUserPoolCommand({ UserPoolId: id }));
      await c.send(new DeleteUserPoolCommand({ UserPoolId: id }));
    });

    it('pages ListUserPools and keeps regions apart', async () => {
      const c = t.client();
      for (let i = 0; i < 5; i++) await c.send(new CreateUserPoolCommand({ PoolName: `page${i}` }));
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        const page = await c.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: token }));
        assert.ok((page.UserPools?.length ?? 0) <= 2);
        for (const p of page.UserPools ?? []) seen.add(p.Id ?? '');
        token = page.NextToken;
      } while (token);
      assert.ok(seen.size >= 5);
      const west = t.client('eu-west-1');
      assert.equal((await west.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length, 0);
      const any = [...seen][0] ?? '';
      await assert.rejects(west.send(new DescribeUserPoolCommand({ UserPoolId: any })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new ListUserPoolsCommand({ MaxResults: 61 })), { name: 'InvalidParameterException' });
      await assert.rejects(c.send(new CreateUserPoolCommand({ PoolName: 'both', AliasAttributes: ['email'], UsernameAttributes: ['email'] })), {
        name: 'InvalidParameterException',
      });
    });
  });
}
