import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { createClient, createPool } from './helpers/sign-in.js';
import { lambdaArn, startTriggerReceiver, type Answer, type TriggerReceiver } from './helpers/trigger-receiver.js';

async function rejects(call: Promise<unknown>, type: string, message?: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, type, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

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
    before(async () => {
      hook = await startTriggerReceiver();
      t = await startTessera({
        store: kind,
        env: { TESSERA_LAMBDA_WEBHOOK_SECRET: hook.secret, TESSERA_LAMBDA_FUNCTIONS: JSON.stringify({ migrate: `${hook.url}/migrate` }) },
      });
      c = t.client();
    });
    after(async () => {
      await t.close();
      await hook.close();
    });

    const setUp = async () => {
      const poolId = await createPool(c, {
        LambdaConfig: { UserMigration: lambdaArn('migrate') },
        Schema: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }],
      });
      return { poolId, clientId: (await createClient(c, poolId)).id };
    };

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
