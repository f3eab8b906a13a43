import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { storeKinds, type TestServer } from './helpers/server.js';
import { rejects } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type Answer, type TriggerReceiver } from './helpers/trigger-receiver.js';

/** The old directory: one user, `legacy`, with a verified email. */
const oldDirectory = (event: Record<string, unknown>): Answer =>
  event.userName === 'legacy'
    ? { response: { userAttributes: { email: 'legacy@example.com', email_verified: 'true', 'custom:plan': 'pro', sub: 'not-kept' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } }
    : { response: {} };

for (const kind of storeKinds()) {
  describe(`user migration trigger, forgotten password (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => ({ t, c, hook } = await startTriggerServer(kind, { migrate: '/migrate' })));
    after(() => stopTriggerServer({ t, hook }));

    const setUp = () => triggerPool(c, { LambdaConfig: { UserMigration: lambdaArn('migrate') }, Schema: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }] });

    it('UserMigration_ForgotPassword: the documented event; the user moves in RESET_REQUIRED, resets, signs in', async () => {
      const { poolId, clientId } = await setUp();
      hook.answer('/migrate', oldDirectory);
      const r = await c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy', ClientMetadata: { app: 'web' } }));
      assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      assert.deepEqual(hook.at('/migrate').at(-1), {
        version: '1',
        triggerSource: 'UserMigration_ForgotPassword',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'legacy',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { validationData: null, clientMetadata: { app: 'web' } },
        response: { userAttributes: null, forceAliasCreation: null, enableSMSMFA: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null },
      });
      const user = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy' }));
      assert.equal(user.UserStatus, 'RESET_REQUIRED');
      const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      assert.equal(attrs['custom:plan'], 'pro');
      assert.notEqual(attrs.sub, 'not-kept');

      const code = /(\d{6})/.exec((await t.app.store.messages.list({ poolId, limit: 10 })).at(-1)?.body ?? '')?.[1] ?? '';
      await c.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'legacy', ConfirmationCode: code, Password: 'Brand-New-Pass-1' }));
      const signIn = await c.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'legacy', PASSWORD: 'Brand-New-Pass-1' } }),
      );
      assert.ok(signIn.AuthenticationResult?.AccessToken);
      const calls = hook.at('/migrate').length;
      await c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy' }));
      assert.equal(hook.at('/migrate').length, calls, 'a user who exists is not migrated again');
    });

    it('a user the old directory does not know, or a failing function: no user is created', async () => {
      const { poolId, clientId } = await setUp();
      hook.answer('/migrate', oldDirectory);
      await rejects(c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'nobody' })), 'UserNotFoundException', 'Username/client id combination not found.');
      hook.answer('/migrate', { error: 'old directory offline' });
      await rejects(c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy' })), 'UserLambdaValidationException', 'UserMigration failed with error old directory offline.');
      hook.answer('/migrate', { response: { userAttributes: { email: 'legacy@example.com' }, finalUserStatus: 'ACTIVE' } });
      await rejects(c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy' })), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
      for (const name of ['nobody', 'legacy']) await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name })), 'UserNotFoundException');
      hook.answer('/migrate', undefined);
    });
  });
}

/** What the migrated user's answer asks for, both sources: welcome message, mediums, status, aliases. */
for (const kind of storeKinds()) {
  describe(`user migration trigger, the created user (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    const PASSWORD = 'Old-Directory-Pass-1';
    before(async () => ({ t, c, hook } = await startTriggerServer(kind, { migrate: '/migrate' })));
    after(() => stopTriggerServer({ t, hook }));

    const setUp = () => triggerPool(c, { LambdaConfig: { UserMigration: lambdaArn('migrate') }, AliasAttributes: ['email'] });
    /** The old directory's answer for anyone, with these response members. */
    const answer = (extra: Record<string, unknown>, attrs: Record<string, string> = {}) =>
      hook.answer('/migrate', { response: { userAttributes: { email: 'mover@example.com', email_verified: 'true', ...attrs }, ...extra } });
    const signIn = (poolId: string, clientId: string, username = 'mover', password = PASSWORD) =>
      c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
    const outbox = async (poolId: string) => (await t.app.store.messages.list({ poolId, limit: 100 })).map((m) => ({ channel: m.channel, to: m.destination, purpose: m.purpose, body: m.body }));
    const status = async (poolId: string, username = 'mover') => (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

    it('UserMigration_Authentication: a welcome message unless SUPPRESS, by desiredDeliveryMediums (SMS when absent); never the real password', async () => {
      const a = await setUp();
      answer({ desiredDeliveryMediums: ['EMAIL'] });
      assert.ok((await signIn(a.poolId, a.clientId)).AuthenticationResult?.AccessToken);
      const sent = await outbox(a.poolId);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]?.channel, 'EMAIL');
      assert.equal(sent[0]?.to, 'mover@example.com');
      assert.equal(sent[0]?.purpose, 'INVITATION');
      assert.match(sent[0]?.body ?? '', /^Your username is mover and temporary password is \S+\. $/);
      assert.ok(!(sent[0]?.body ?? '').includes(PASSWORD), 'the migrated password is never sent');
      assert.equal(await status(a.poolId), 'CONFIRMED');
      assert.ok((await signIn(a.poolId, a.clientId)).AuthenticationResult, 'the old password still signs in');

      const b = await setUp();
      answer({ messageAction: 'SUPPRESS', desiredDeliveryMediums: ['EMAIL', 'SMS'] }, { phone_number: '+15550100' });
      await signIn(b.poolId, b.clientId);
      assert.deepEqual(await outbox(b.poolId), [], 'SUPPRESS sends nothing');

      const d = await setUp();
      answer({}, { phone_number: '+15550101' });
      await signIn(d.poolId, d.clientId);
      assert.deepEqual((await outbox(d.poolId)).map((m) => [m.channel, m.to, m.purpose]), [['SMS', '+15550101', 'INVITATION']], 'default: SMS');

      const e = await setUp();
      answer({ messageAction: 'RESEND' });
      await signIn(e.poolId, e.clientId);
      assert.deepEqual(await outbox(e.poolId), [], 'no phone number and no mediums: no message, no error');
    });

    it('UserMigration_ForgotPassword: the welcome message and then the reset code; SUPPRESS leaves only the code', async () => {
      const a = await setUp();
      answer({ desiredDeliveryMediums: ['EMAIL'] });
      await c.send(new ForgotPasswordCommand({ ClientId: a.clientId, Username: 'mover' }));
      assert.deepEqual((await outbox(a.poolId)).map((m) => [m.channel, m.purpose]), [['EMAIL', 'INVITATION'], ['EMAIL', 'FORGOT_PASSWORD']]);
      assert.equal(await status(a.poolId), 'RESET_REQUIRED');
      const b = await setUp();
      answer({ messageAction: 'SUPPRESS', desiredDeliveryMediums: ['EMAIL'] });
      await c.send(new ForgotPasswordCommand({ ClientId: b.clientId, Username: 'mover' }));
      assert.deepEqual((await outbox(b.poolId)).map((m) => m.purpose), ['FORGOT_PASSWORD']);
    });

    it('a medium without its attribute, or an unreadable messageAction or medium: refused, and no user is left', async () => {
      const { poolId, clientId } = await setUp();
      answer({ desiredDeliveryMediums: ['SMS'] });
      await rejects(signIn(poolId, clientId), 'InvalidParameterException', 'No phone_number provided but desired delivery medium was Sms');
      await rejects(c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'mover' })), 'InvalidParameterException');
      answer({ messageAction: 'LOUD' });
      await rejects(signIn(poolId, clientId), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
      answer({ desiredDeliveryMediums: ['PIGEON'] });
      await rejects(c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'mover' })), 'InvalidLambdaResponseException');
      await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'mover' })), 'UserNotFoundException');
      assert.deepEqual(await outbox(poolId), []);
    });

    it('finalUserStatus RESET_REQUIRED at sign-in; forceAliasCreation moves a taken email alias, without it the migration is refused', async () => {
      const { poolId, clientId } = await setUp();
      answer({ finalUserStatus: 'RESET_REQUIRED', messageAction: 'SUPPRESS' });
      await rejects(signIn(poolId, clientId), 'PasswordResetRequiredException', 'Password reset required for the user');
      assert.equal(await status(poolId), 'RESET_REQUIRED');

      await c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'holder',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: 'taken@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      hook.answer('/migrate', { response: { userAttributes: { email: 'taken@example.com', email_verified: 'true' }, messageAction: 'SUPPRESS' } });
      await rejects(signIn(poolId, clientId, 'second'), 'AliasExistsException');
      await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'second' })), 'UserNotFoundException');
      hook.answer('/migrate', { response: { userAttributes: { email: 'taken@example.com', email_verified: 'true' }, messageAction: 'SUPPRESS', forceAliasCreation: true } });
      assert.ok((await signIn(poolId, clientId, 'second')).AuthenticationResult);
      const holder = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'holder' }));
      assert.equal(holder.UserAttributes?.find((x) => x.Name === 'email_verified')?.Value, 'false', 'the previous holder lost the alias');
      assert.ok((await signIn(poolId, clientId, 'taken@example.com')).AuthenticationResult, 'the alias now signs the migrated user in');
    });
  });
}
