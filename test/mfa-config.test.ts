import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

for (const kind of storeKinds()) {
  describe(`user pool MFA configuration (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    it('sets TOTP and SMS as optional factors and reads them back; UpdateUserPool keeps them', async () => {
      const c = t.client();
      const id = (await c.send(new CreateUserPoolCommand({ PoolName: 'mfa' }))).UserPool?.Id ?? '';
      const initial = await c.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }));
      assert.equal(initial.MfaConfiguration, 'OFF');
      assert.equal(initial.SoftwareTokenMfaConfiguration?.Enabled, false);
      const set = await c.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: id,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          SmsMfaConfiguration: {
            SmsAuthenticationMessage: 'Your code is {####}',
            SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' },
          },
        }),
      );
      assert.equal(set.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(set.SoftwareTokenMfaConfiguration, { Enabled: true });
      assert.equal(set.SmsMfaConfiguration?.SmsAuthenticationMessage, 'Your code is {####}');
      await c.send(new UpdateUserPoolCommand({ UserPoolId: id, MfaConfiguration: 'OPTIONAL' }));
      const got = await c.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }));
      assert.deepEqual(got.SoftwareTokenMfaConfiguration, { Enabled: true });
      const pool = (await c.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool;
      assert.equal(pool?.MfaConfiguration, 'OPTIONAL');
      assert.equal((pool as Record<string, unknown> | undefined)?.MfaFactors, undefined, 'internal settings stay off the wire');
    });

    it('refuses inconsistent configurations with Cognito messages', async () => {
      const c = t.client();
      const id = (await c.send(new CreateUserPoolCommand({ PoolName: 'mfa2' }))).UserPool?.Id ?? '';
      await assert.rejects(c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'ON' })), {
        name: 'InvalidParameterException',
        message: "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
      });
      await assert.rejects(
        c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } })),
        { name: 'InvalidParameterException', message: "Invalid MFA configuration given, can't turn off MFA and configure an MFA together." },
      );
      await assert.rejects(c.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_nope' })), { name: 'ResourceNotFoundException' });
    });

    it('email MFA needs email through Amazon SES and the ESSENTIALS plan; passkey MFA needs ESSENTIALS', async () => {
      const c = t.client();
      const ses = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com', From: 'no-reply@example.com' };
      const plain = (await c.send(new CreateUserPoolCommand({ PoolName: 'mfa-email' }))).UserPool?.Id ?? '';
      const emailMfa = (id: string) => c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Subject: 'Code' } }));
      await assert.rejects(emailMfa(plain), {
        name: 'InvalidParameterException',
        message: 'Email MFA requires the user pool to send email with Amazon SES: set EmailConfiguration EmailSendingAccount to DEVELOPER.',
      });
      assert.equal((await c.send(new GetUserPoolMfaConfigCommand({ UserPoolId: plain }))).MfaConfiguration, 'OFF', 'nothing was written');
      const withSes = (await c.send(new CreateUserPoolCommand({ PoolName: 'mfa-ses', EmailConfiguration: ses }))).UserPool?.Id ?? '';
      assert.deepEqual((await emailMfa(withSes)).EmailMfaConfiguration, { Subject: 'Code' });
      const lite = (await c.send(new CreateUserPoolCommand({ PoolName: 'mfa-lite', UserPoolTier: 'LITE', EmailConfiguration: ses }))).UserPool?.Id ?? '';
      await assert.rejects(emailMfa(lite), { name: 'FeatureUnavailableInTierException' });
      const passkeyMfa = (id: string) =>
        c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'example.com', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' } }));
      await assert.rejects(passkeyMfa(lite), { name: 'FeatureUnavailableInTierException' });
      const single = await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'example.com' } }));
      assert.equal(single.WebAuthnConfiguration?.RelyingPartyId, 'example.com', 'passkeys as a single factor are configurable in LITE');
      assert.equal((await passkeyMfa(withSes)).WebAuthnConfiguration?.FactorConfiguration, 'MULTI_FACTOR_WITH_USER_VERIFICATION');
    });
  });
}

describe('MFA at CreateUserPool', () => {
  let t: TestServer;
  before(async () => {
    t = await startTessera();
  });
  after(() => t.close());

  it('needs an SMS configuration and phone verification for MFA ON/OPTIONAL', async () => {
    const c = t.client();
    await assert.rejects(c.send(new CreateUserPoolCommand({ PoolName: 'x', MfaConfiguration: 'OPTIONAL' })), {
      name: 'InvalidParameterException',
      message: 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
    });
    const ok = await c.send(
      new CreateUserPoolCommand({
        PoolName: 'y',
        MfaConfiguration: 'ON',
        AutoVerifiedAttributes: ['phone_number'],
        SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'e' },
      }),
    );
    assert.equal(ok.UserPool?.MfaConfiguration, 'ON');
  });
});
