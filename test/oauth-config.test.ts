import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceServerCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool } from './helpers/pools.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222';

for (const kind of storeKinds()) {
  describe(`user pool domains and resource servers (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let otherPool: string;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      poolId = await createPool(c, 'oauth-config');
      otherPool = await createPool(c, 'other');
    });
    after(() => t.close());

    it('creates, describes, updates and deletes a prefix domain; DescribeUserPool shows it', async () => {
      const created = await c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-1' }));
      assert.equal(created.ManagedLoginVersion, 1);
      assert.equal(created.CloudFrontDomain, undefined, 'only custom domains have an alias target');
      const d = await c.send(new DescribeUserPoolDomainCommand({ Domain: 'tessera-test-1' }));
      assert.equal(d.DomainDescription?.UserPoolId, poolId);
      assert.equal(d.DomainDescription?.Domain, 'tessera-test-1');
      assert.equal(d.DomainDescription?.Status, 'ACTIVE');
      assert.match(d.DomainDescription?.AWSAccountId ?? '', /^\d{12}$/);
      assert.equal((await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Domain, 'tessera-test-1');

      const u = await c.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-1', ManagedLoginVersion: 2 }));
      assert.equal(u.ManagedLoginVersion, 2);
      assert.equal((await c.send(new DescribeUserPoolDomainCommand({ Domain: 'tessera-test-1' }))).DomainDescription?.ManagedLoginVersion, 2);

      await c.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-1' }));
      assert.deepEqual((await c.send(new DescribeUserPoolDomainCommand({ Domain: 'tessera-test-1' }))).DomainDescription, {});
      assert.equal((await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Domain, undefined);
    });

    it('keeps a custom domain beside the prefix one, with its certificate', async () => {
      await c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-2' }));
      const custom = await c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.example.com', CustomDomainConfig: { CertificateArn: CERT } }));
      assert.equal(custom.CloudFrontDomain, '127.0.0.1', 'the alias target is Tessera itself');
      const pool = (await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
      assert.equal(pool?.Domain, 'tessera-test-2');
      assert.equal(pool?.CustomDomain, 'auth.example.com');
      const other = `${CERT.slice(0, -5)}OTHER`;
      await c.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.example.com', CustomDomainConfig: { CertificateArn: other } }));
      const d = await c.send(new DescribeUserPoolDomainCommand({ Domain: 'auth.example.com' }));
      assert.equal(d.DomainDescription?.CustomDomainConfig?.CertificateArn, other);
      await c.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.example.com' }));
      await c.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-2' }));
    });

    it('refuses taken names, a second prefix, reserved words and unknown domains as Cognito does', async () => {
      await c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-3' }));
      await assert.rejects(c.send(new CreateUserPoolDomainCommand({ UserPoolId: otherPool, Domain: 'tessera-test-3' })), {
        name: 'InvalidParameterException',
        message: 'Domain already associated with another user pool.',
      });
      await assert.rejects(c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-4' })), {
        name: 'InvalidParameterException',
        message: 'User pool already has a domain configured.',
      });
      await assert.rejects(c.send(new CreateUserPoolDomainCommand({ UserPoolId: otherPool, Domain: 'auth.example.org' })), {
        name: 'InvalidParameterException',
        message:
          'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
      });
      await assert.rejects(c.send(new CreateUserPoolDomainCommand({ UserPoolId: otherPool, Domain: 'my-cognito-login' })), {
        name: 'InvalidParameterException',
        message: 'Domain cannot contain reserved word: cognito',
      });
      await assert.rejects(c.send(new DeleteUserPoolDomainCommand({ UserPoolId: otherPool, Domain: 'tessera-test-3' })), {
        name: 'InvalidParameterException',
        message: 'No such domain or user pool exists.',
      });
      await assert.rejects(c.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'nope', ManagedLoginVersion: 2 })), {
        name: 'InvalidParameterException',
      });
      await assert.rejects(c.send(new CreateUserPoolDomainCommand({ UserPoolId: 'us-east-1_missing1', Domain: 'free-name' })), { name: 'ResourceNotFoundException' });
      // A domain of another region's pool is invisible, like the pool.
      assert.deepEqual((await t.client('eu-west-1').send(new DescribeUserPoolDomainCommand({ Domain: 'tessera-test-3' }))).DomainDescription, {});
      await c.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tessera-test-3' }));
    });

    it('creates, describes, lists (paged), updates and deletes resource servers', async () => {
      const scopes = [
        { ScopeName: 'read', ScopeDescription: 'Read things' },
        { ScopeName: 'write', ScopeDescription: 'Write things' },
      ];
      const r = await c.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes }));
      assert.deepEqual(r.ResourceServer, { UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes });
      await c.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'billing', Name: 'Billing' }));
      await c.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'catalog', Name: 'Catalog' }));
      const d = await c.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }));
      assert.deepEqual(d.ResourceServer, r.ResourceServer);

      const first = await c.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2 }));
      assert.deepEqual(first.ResourceServers?.map((s) => s.Identifier), ['billing', 'catalog']);
      assert.ok(first.NextToken);
      const second = await c.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.ResourceServers?.map((s) => s.Identifier), ['https://api.example.com']);
      assert.equal(second.NextToken, undefined);

      const u = await c.send(
        new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'billing', Name: 'Billing v2', Scopes: [{ ScopeName: 'pay', ScopeDescription: 'Pay' }] }),
      );
      assert.deepEqual(u.ResourceServer?.Scopes, [{ ScopeName: 'pay', ScopeDescription: 'Pay' }]);
      assert.equal((await c.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'billing' }))).ResourceServer?.Name, 'Billing v2');

      await c.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'catalog' }));
      await assert.rejects(c.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'catalog' })), {
        name: 'ResourceNotFoundException',
      });
    });

    it('refuses a duplicate identifier, unknown servers, bad names and other pools', async () => {
      await c.send(new CreateResourceServerCommand({ UserPoolId: otherPool, Identifier: 'dup', Name: 'Dup' }));
      await assert.rejects(c.send(new CreateResourceServerCommand({ UserPoolId: otherPool, Identifier: 'dup', Name: 'Dup' })), {
        name: 'InvalidParameterException',
        message: `dup already exists in user pool ${otherPool}.`,
      });
      await assert.rejects(c.send(new UpdateResourceServerCommand({ UserPoolId: otherPool, Identifier: 'none', Name: 'x' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new DeleteResourceServerCommand({ UserPoolId: otherPool, Identifier: 'none' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'dup' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(
        c.send(new CreateResourceServerCommand({ UserPoolId: otherPool, Identifier: 'slash', Name: 'x', Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'x' }] })),
        { name: 'InvalidParameterException', message: /validation error/ },
      );
      await assert.rejects(c.send(new ListResourceServersCommand({ UserPoolId: otherPool, NextToken: 'garbage' })), { name: 'InvalidParameterException' });
    });
  });
}
