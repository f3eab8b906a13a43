import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserPoolClientSecretCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

for (const kind of storeKinds()) {
  describe(`app clients (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      const pool = await c.send(
        new CreateUserPoolCommand({
          PoolName: 'clients',
          Schema: [
            { Name: 'email', AttributeDataType: 'String', Required: true },
            { Name: 'tier', AttributeDataType: 'String' },
          ],
        }),
      );
      poolId = pool.UserPool?.Id ?? '';
      // Custom scopes name a resource server of the pool.
      const scopes = ['read', 'x'].map((n) => ({ ScopeName: n, ScopeDescription: n }));
      await c.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'api', Scopes: scopes }));
    });
    after(() => t.close());

    const create = async (extra: Partial<CreateUserPoolClientCommandInput> = {}) => {
      const r = await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...extra }));
      return r.UserPoolClient ?? {};
    };
    const rejects = (extra: Partial<CreateUserPoolClientCommandInput>, name: string, message?: string | RegExp) =>
      assert.rejects(create(extra), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.equal(err.name, name);
        if (typeof message === 'string') assert.equal(err.message, message);
        else if (message) assert.match(err.message, message);
        return true;
      });

    it('creates a public client with Cognito defaults and describes it', async () => {
      const created = await create();
      assert.match(created.ClientId ?? '', /^[a-z0-9]{26}$/);
      assert.equal(created.ClientSecret, undefined);
      assert.equal(created.RefreshTokenValidity, 30);
      assert.equal(created.AccessTokenValidity, undefined);
      assert.deepEqual(created.TokenValidityUnits, {});
      assert.deepEqual(created.ExplicitAuthFlows, ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
      assert.equal(created.EnableTokenRevocation, true);
      assert.equal(created.AuthSessionValidity, 3);
      assert.equal(created.PreventUserExistenceErrors, 'LEGACY');
      assert.equal(created.AllowedOAuthFlowsUserPoolClient, false);
      assert.ok(created.CreationDate instanceof Date);
      const d = await c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
      assert.deepEqual(d.UserPoolClient, created);
    });

    it('generates a 51-character secret that Describe returns, stored sealed', async () => {
      const created = await create({ GenerateSecret: true });
      assert.match(created.ClientSecret ?? '', /^[a-z0-9]{51}$/);
      const d = await c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
      assert.equal(d.UserPoolClient?.ClientSecret, created.ClientSecret);
      const rows = await t.app.store.pools.listClientSecrets(created.ClientId ?? '');
      assert.equal(rows.length, 1);
      assert.ok(!rows[0]?.secret_enc.includes(created.ClientSecret ?? '-'), 'secret is not stored in plaintext');
      assert.deepEqual(await t.app.services.clients.secretsOf(created.ClientId ?? ''), [created.ClientSecret]);
    });

    it('accepts a given ClientSecret, but not together with GenerateSecret', async () => {
      const secret = 'my_own_secret_value_1234567890';
      const created = await create({ ClientSecret: secret });
      assert.equal(created.ClientSecret, secret);
      await rejects({ ClientSecret: secret, GenerateSecret: true }, 'InvalidParameterException');
    });

    it('refuses an unknown pool and an unknown client', async () => {
      await assert.rejects(
        c.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_nope12345', ClientName: 'x' })),
        { name: 'ResourceNotFoundException' },
      );
      await assert.rejects(c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'abcdefghijklmnopqrstuvwxyz' })), {
        name: 'ResourceNotFoundException',
        message: 'User pool client abcdefghijklmnopqrstuvwxyz does not exist.',
      });
    });

    it('validates ExplicitAuthFlows', async () => {
      await rejects({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'ALLOW_USER_SRP_AUTH'] }, 'InvalidParameterException', "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.");
      await rejects({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }, 'InvalidParameterException', 'REFRESH_TOKEN_AUTH should always be allowed.');
      const legacy = await create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] });
      assert.deepEqual(legacy.ExplicitAuthFlows, ['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);
      const rotating = await create({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } });
      assert.deepEqual(rotating.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    });

    it('checks token validity ranges in their units', async () => {
      const ok = await create({ AccessTokenValidity: 5, IdTokenValidity: 1, RefreshTokenValidity: 60, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'days', RefreshToken: 'minutes' } });
      assert.deepEqual(ok.TokenValidityUnits, { AccessToken: 'minutes', IdToken: 'days', RefreshToken: 'minutes' });
      assert.equal(ok.AccessTokenValidity, 5);
      const zero = await create({ RefreshTokenValidity: 0 });
      assert.equal(zero.RefreshTokenValidity, 30);
      const tooShort = 'Invalid range for token validity.';
      await rejects({ AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } }, 'InvalidParameterException', tooShort);
      await rejects({ IdTokenValidity: 25 }, 'InvalidParameterException', tooShort);
      await rejects({ RefreshTokenValidity: 3651 }, 'InvalidParameterException', tooShort);
      await rejects({ RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } }, 'InvalidParameterException', tooShort);
    });

    it('checks read and write attributes against the pool schema', async () => {
      const ok = await create({ ReadAttributes: ['email', 'custom:tier', 'email_verified'], WriteAttributes: ['email', 'custom:tier'] });
      assert.deepEqual(ok.ReadAttributes, ['email', 'custom:tier', 'email_verified']);
      assert.deepEqual(ok.WriteAttributes, ['email', 'custom:tier']);
      await rejects({ ReadAttributes: ['custom:nope'] }, 'InvalidParameterException', 'Invalid read attributes specified while creating a client');
      await rejects({ WriteAttributes: ['email', 'email_verified'] }, 'InvalidParameterException', 'Invalid write attributes specified while creating a client');
      // email is required in this pool, so every client that writes attributes must be able to write it.
      await rejects({ WriteAttributes: ['name'] }, 'InvalidParameterException', 'Invalid write attributes specified while creating a client');
    });

    it('stores OAuth settings and validates them as Cognito does', async () => {
      const web = await create({
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: ['https://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://cb'],
        LogoutURLs: ['https://app.example.com/bye'],
        DefaultRedirectURI: 'https://app.example.com/cb',
        SupportedIdentityProviders: ['COGNITO'],
      });
      assert.deepEqual(web.AllowedOAuthFlows, ['code']);
      assert.deepEqual(web.CallbackURLs, ['https://app.example.com/cb', 'http://localhost:3000/cb', 'myapp://cb']);
      assert.equal(web.DefaultRedirectURI, 'https://app.example.com/cb');
      const m2m = await create({ GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/read'] });
      assert.deepEqual(m2m.AllowedOAuthScopes, ['api/read']);

      const oauth = { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'] };
      await rejects({ AllowedOAuthFlowsUserPoolClient: true }, 'InvalidParameterException', 'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.');
      await rejects({ ...oauth, AllowedOAuthFlows: ['code'] }, 'InvalidParameterException', 'CallbackUrls can not be empty when code flow or implicit flow is selected');
      await rejects({ ...oauth, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/read'] }, 'InvalidOAuthFlowException', 'client_credentials flow can not be selected if client does not have a client secret.');
      await rejects(
        { ...oauth, GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'], CallbackURLs: ['https://a.example/cb'] },
        'InvalidOAuthFlowException',
        'client_credentials flow can not be selected along with code flow or implicit flow.',
      );
      await rejects({ ...oauth, GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] }, 'InvalidOAuthFlowException', 'openid is not supported with client_credentials flow');
      await rejects({ ...oauth, AllowedOAuthFlows: ['code'], CallbackURLs: ['http://app.example.com/cb'] }, 'InvalidParameterException', 'http://app.example.com/cb cannot use the HTTP protocol.');
      await rejects({ ...oauth, AllowedOAuthFlows: ['code'], CallbackURLs: ['https://a.example/cb#x'] }, 'InvalidParameterException', 'https://a.example/cb#x cannot use fragment');
      await rejects({ ...oauth, AllowedOAuthFlows: ['code'], CallbackURLs: ['https://a.example/cb'], DefaultRedirectURI: 'https://b.example/cb' }, 'InvalidParameterException', 'The default redirect URI https://b.example/cb is not in the callback URIs list.');
      await rejects({ ...oauth, AllowedOAuthFlows: ['implicit'], CallbackURLs: ['https://a.example/cb'], AllowedOAuthScopes: ['bogus'] }, 'ScopeDoesNotExistException', 'Invalid scope requested: bogus');
      await rejects({ GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/write'] }, 'ScopeDoesNotExistException', 'Invalid scope requested: api/write');
      await rejects({ SupportedIdentityProviders: ['Google'] }, 'InvalidParameterException', 'The provider Google does not exist for User Pool');
    });

    it('UpdateUserPoolClient replaces the settings, resetting omitted members to defaults', async () => {
      const created = await create({
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 2,
        EnableTokenRevocation: false,
        PreventUserExistenceErrors: 'ENABLED',
        AuthSessionValidity: 10,
      });
      const u = await c.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, RefreshTokenValidity: 7 }));
      const updated = u.UserPoolClient ?? {};
      assert.equal(updated.ClientName, 'app', 'name is kept when omitted');
      assert.equal(updated.ClientSecret, created.ClientSecret, 'secret survives an update');
      assert.equal(updated.RefreshTokenValidity, 7);
      assert.equal(updated.AccessTokenValidity, undefined);
      assert.deepEqual(updated.ExplicitAuthFlows, ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
      assert.equal(updated.EnableTokenRevocation, true);
      assert.equal(updated.PreventUserExistenceErrors, 'LEGACY');
      assert.equal(updated.AuthSessionValidity, 3);
      const renamed = await c.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, ClientName: 'renamed' }));
      assert.equal(renamed.UserPoolClient?.ClientName, 'renamed');
      const d = await c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
      assert.deepEqual(d.UserPoolClient, renamed.UserPoolClient);
    });

    it('UpdateUserPoolClient validates like create and refuses an unknown client', async () => {
      const created = await create();
      await assert.rejects(c.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, WriteAttributes: ['nickname'] })), {
        name: 'InvalidParameterException',
        message: 'Invalid write attributes specified while updating a client',
      });
      await assert.rejects(
        c.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['api/x'] })),
        { name: 'InvalidOAuthFlowException' },
      );
      await assert.rejects(c.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'missing' })), { name: 'ResourceNotFoundException' });
    });

    it('deletes a client; a client of another pool is not found', async () => {
      const other = await c.send(new CreateUserPoolCommand({ PoolName: 'other' }));
      const foreign = await c.send(new CreateUserPoolClientCommand({ UserPoolId: other.UserPool?.Id, ClientName: 'f' }));
      await assert.rejects(c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: foreign.UserPoolClient?.ClientId })), {
        name: 'ResourceNotFoundException',
      });
      const created = await create({ GenerateSecret: true });
      await c.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }));
      await assert.rejects(c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId })), { name: 'ResourceNotFoundException' });
      assert.deepEqual(await t.app.store.pools.listClientSecrets(created.ClientId ?? ''), [], 'secrets go with the client');
    });

    it('lists clients across pages', async () => {
      const pool = await c.send(new CreateUserPoolCommand({ PoolName: 'paged' }));
      const id = pool.UserPool?.Id ?? '';
      const made = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const r = await c.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: `c${i}` }));
        made.add(r.UserPoolClient?.ClientId ?? '');
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const r = await c.send(new ListUserPoolClientsCommand({ UserPoolId: id, MaxResults: 2, NextToken: token }));
        assert.ok((r.UserPoolClients ?? []).length <= 2);
        for (const cl of r.UserPoolClients ?? []) {
          assert.equal(cl.UserPoolId, id);
          assert.match(cl.ClientName ?? '', /^c\d$/);
          seen.push(cl.ClientId ?? '');
        }
        token = r.NextToken;
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(new Set(seen), made);
      await assert.rejects(c.send(new ListUserPoolClientsCommand({ UserPoolId: id, NextToken: 'garbage' })), { name: 'InvalidParameterException' });
      await assert.rejects(c.send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_missing00' })), { name: 'ResourceNotFoundException' });
    });

    it('rotates client secrets: at most two, never the last one deleted', async () => {
      const created = await create({ GenerateSecret: true });
      const ids = { UserPoolId: poolId, ClientId: created.ClientId };
      const first = await c.send(new ListUserPoolClientSecretsCommand(ids));
      assert.equal(first.ClientSecrets?.length, 1);
      const [original] = first.ClientSecrets ?? [];
      assert.equal(original?.ClientSecretId, `${created.ClientId}--${(original?.ClientSecretCreateDate?.getTime() ?? 0)}`);
      assert.equal(original?.ClientSecretValue, undefined);

      const added = await c.send(new AddUserPoolClientSecretCommand(ids));
      const value = added.ClientSecretDescriptor?.ClientSecretValue ?? '';
      assert.match(value, /^[a-z0-9]{51}$/);
      assert.notEqual(added.ClientSecretDescriptor?.ClientSecretId, original?.ClientSecretId);
      assert.deepEqual(await t.app.services.clients.secretsOf(created.ClientId ?? ''), [created.ClientSecret, value]);
      await assert.rejects(c.send(new AddUserPoolClientSecretCommand(ids)), { name: 'LimitExceededException' });

      const both = await c.send(new ListUserPoolClientSecretsCommand(ids));
      assert.equal(both.ClientSecrets?.length, 2);
      assert.ok(both.ClientSecrets?.every((s) => s.ClientSecretValue === undefined));

      await c.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: original?.ClientSecretId }));
      const d = await c.send(new DescribeUserPoolClientCommand(ids));
      assert.equal(d.UserPoolClient?.ClientSecret, value, 'the remaining secret is the client secret now');
      await assert.rejects(c.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: added.ClientSecretDescriptor?.ClientSecretId })), {
        name: 'InvalidParameterException',
      });
      await assert.rejects(c.send(new DeleteUserPoolClientSecretCommand({ ...ids, ClientSecretId: 'nope--1' })), { name: 'ResourceNotFoundException' });

      const custom = await c.send(new AddUserPoolClientSecretCommand({ ...ids, ClientSecret: 'custom_secret_value_0123456789' }));
      assert.equal(custom.ClientSecretDescriptor?.ClientSecretValue, undefined, 'a given secret is not echoed');
      assert.ok(custom.ClientSecretDescriptor?.ClientSecretCreateDate instanceof Date);
    });

    it('refuses secret operations on a public client or an unknown one', async () => {
      const pub = await create();
      await assert.rejects(c.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: pub.ClientId })), { name: 'InvalidParameterException' });
      const none = await c.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: pub.ClientId }));
      assert.deepEqual(none.ClientSecrets, []);
      await assert.rejects(c.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: 'unknown' })), { name: 'ResourceNotFoundException' });
    });
  });
}
