import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolClientCommand,
  DescribeRiskConfigurationCommand,
  SetRiskConfigurationCommand,
  type AccountTakeoverRiskConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool } from './helpers/pools.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const TAKEOVER: AccountTakeoverRiskConfigurationType = {
  NotifyConfiguration: {
    From: 'security@example.com',
    SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    BlockEmail: { Subject: 'Blocked sign-in', TextBody: 'We blocked a sign-in for {username}.' },
  },
  Actions: {
    LowAction: { Notify: false, EventAction: 'NO_ACTION' },
    MediumAction: { Notify: true, EventAction: 'MFA_IF_CONFIGURED' },
    HighAction: { Notify: true, EventAction: 'BLOCK' },
  },
};

for (const kind of storeKinds()) {
  describe(`risk configuration (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    const plusPool = (name: string) => createPool(t.client(), name, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });

    it('sets the pool-wide configuration and reads it back, for the pool and for a client without its own', async () => {
      const c = t.client();
      const poolId = await plusPool('risk');
      const clientId = (await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient?.ClientId ?? '';
      const before = (await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration;
      assert.deepEqual(before, { UserPoolId: poolId });
      const set = await c.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_UP', 'PASSWORD_CHANGE'], Actions: { EventAction: 'BLOCK' } },
          AccountTakeoverRiskConfiguration: TAKEOVER,
          RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'], SkippedIPRangeList: ['2001:db8::/32'] },
        }),
      );
      assert.equal(set.RiskConfiguration?.ClientId, 'ALL');
      assert.ok(set.RiskConfiguration?.LastModifiedDate instanceof Date);
      const got = (await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration;
      assert.equal(got?.UserPoolId, poolId);
      assert.deepEqual(got?.CompromisedCredentialsRiskConfiguration, { EventFilter: ['SIGN_UP', 'PASSWORD_CHANGE'], Actions: { EventAction: 'BLOCK' } });
      assert.deepEqual(got?.AccountTakeoverRiskConfiguration, TAKEOVER);
      assert.deepEqual(got?.RiskExceptionConfiguration?.BlockedIPRangeList, ['203.0.113.0/24']);
      const viaClient = (await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration;
      assert.equal(viaClient?.ClientId, 'ALL', 'a client without its own configuration inherits the pool-wide one');
      assert.deepEqual(viaClient?.AccountTakeoverRiskConfiguration, TAKEOVER);
    });

    it('keeps a client override apart from the pool, and resets it with ClientId alone', async () => {
      const c = t.client();
      const poolId = await plusPool('risk-client');
      const clientId = (await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient?.ClientId ?? '';
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: TAKEOVER }));
      const own = { Actions: { HighAction: { Notify: false, EventAction: 'MFA_REQUIRED' as const } } };
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, AccountTakeoverRiskConfiguration: own }));
      const forClient = (await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration;
      assert.equal(forClient?.ClientId, clientId);
      assert.deepEqual(forClient?.AccountTakeoverRiskConfiguration, own);
      const forPool = (await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration;
      assert.deepEqual(forPool?.AccountTakeoverRiskConfiguration, TAKEOVER);
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }));
      const reset = (await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).RiskConfiguration;
      assert.equal(reset?.ClientId, 'ALL');
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId }));
      assert.deepEqual((await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration, { UserPoolId: poolId });
    });

    it('refuses pools without threat protection, unknown pools and clients, and malformed IP ranges', async () => {
      const c = t.client();
      const plain = await createPool(c, 'no-addons');
      await assert.rejects(c.send(new DescribeRiskConfigurationCommand({ UserPoolId: plain })), { name: 'UserPoolAddOnNotEnabledException' });
      await assert.rejects(c.send(new SetRiskConfigurationCommand({ UserPoolId: plain, AccountTakeoverRiskConfiguration: TAKEOVER })), {
        name: 'UserPoolAddOnNotEnabledException',
      });
      const poolId = await plusPool('risk-errors');
      await assert.rejects(c.send(new DescribeRiskConfigurationCommand({ UserPoolId: 'us-east-1_nope12345' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(
        c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.300/8'] } })),
        { name: 'InvalidParameterException', message: /10\.0\.0\.300\/8/ },
      );
      await assert.rejects(
        c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: { Actions: { LowAction: { Notify: false, EventAction: 'PANIC' as 'BLOCK' } } } })),
        { name: 'InvalidParameterException' },
      );
      assert.deepEqual((await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }))).RiskConfiguration, { UserPoolId: poolId }, 'nothing half-written');
    });
  });
}
