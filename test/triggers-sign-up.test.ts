import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { storeKinds, type TestServer } from './helpers/server.js';
import { rejects } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';

const PASSWORD = 'Correct-Horse-9';
const module = (name: string) => fileURLToPath(new URL(`./triggers/${name}.mjs`, import.meta.url));

for (const kind of storeKinds()) {
  describe(`sign-up triggers (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => {
      const modules = { [lambdaArn('throws')]: module('throws'), hangs: module('hangs'), exits: module('exits'), garbage: module('garbage') };
      ({ t, c, hook } = await startTriggerServer(kind, ['pre-sign-up', 'post-confirmation'], { modules, env: { TESSERA_LAMBDA_TIMEOUT_MS: '300' } }));
    });
    after(() => stopTriggerServer({ t, hook }));

    /** A client without ExplicitAuthFlows, Cognito's defaults. */
    const newPool = (lambda: LambdaConfigType) => triggerPool(c, { PoolName: 'triggers', AutoVerifiedAttributes: ['email'], LambdaConfig: lambda }, { ExplicitAuthFlows: undefined });
    const outbox = async (poolId: string) => t.app.store.messages.list({ poolId, limit: 100 });
    const status = async (poolId: string, username: string) => (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

    it('PreSignUp_SignUp: the documented event, and autoConfirmUser/autoVerifyEmail are honoured', async () => {
      const { poolId, clientId } = await newPool({ PreSignUp: lambdaArn('pre-sign-up') });
      hook.answer('/pre-sign-up', { response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false } });
      const r = await c.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'alice',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
          ValidationData: [{ Name: 'invite', Value: 'abc' }],
          ClientMetadata: { source: 'test' },
        }),
      );
      const events = hook.at('/pre-sign-up');
      assert.equal(events.length, 1);
      assert.deepEqual(events[0], {
        version: '1',
        triggerSource: 'PreSignUp_SignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { userAttributes: { email: 'alice@example.com' }, validationData: { invite: 'abc' }, clientMetadata: { source: 'test' } },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      });
      assert.ok(hook.events.at(-1)?.signed, 'the webhook request carries a valid HMAC signature');
      assert.equal(r.UserConfirmed, true);
      assert.equal(r.CodeDeliveryDetails, undefined);
      assert.equal(await status(poolId, 'alice'), 'CONFIRMED');
      const user = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
      assert.equal((await outbox(poolId)).length, 0, 'an auto-confirmed user gets no code');
    });

    it('PreSignUp without flags: the user waits for the code; validationData is null when not given', async () => {
      const { poolId, clientId } = await newPool({ PreSignUp: lambdaArn('pre-sign-up') });
      hook.answer('/pre-sign-up', undefined);
      const r = await c.send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }] }));
      assert.equal(r.UserConfirmed, false);
      assert.equal(await status(poolId, 'bob'), 'UNCONFIRMED');
      const request = hook.at('/pre-sign-up').at(-1)?.request;
      assert.deepEqual(request, { userAttributes: { email: 'bob@example.com' }, validationData: null });
    });

    it('a refusing function: UserLambdaValidationException with its message, and no user is written', async () => {
      const { poolId, clientId } = await newPool({ PreSignUp: lambdaArn('pre-sign-up') });
      hook.answer('/pre-sign-up', { error: 'Registration from this domain is not allowed.' });
      await rejects(
        c.send(new SignUpCommand({ ClientId: clientId, Username: 'carol', Password: PASSWORD })),
        'UserLambdaValidationException',
        'PreSignUp failed with error Registration from this domain is not allowed..',
      );
      await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' })), 'UserNotFoundException');
      hook.answer('/pre-sign-up', undefined);
    });

    it('module handlers that throw, hang, crash or answer garbage: Cognito errors, server up, nothing written', async () => {
      const cases: Array<[string, string, string]> = [
        [lambdaArn('throws'), 'UserLambdaValidationException', 'PreSignUp failed with error Registration from this domain is not allowed..'],
        [lambdaArn('hangs'), 'UnexpectedLambdaException', 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.'],
        [lambdaArn('exits'), 'UserLambdaValidationException', 'PreSignUp failed with error Runtime exited with error: exit status 3.'],
        [lambdaArn('garbage'), 'InvalidLambdaResponseException', 'Unrecognizable lambda output'],
      ];
      for (const [arn, type, message] of cases) {
        const { poolId, clientId } = await newPool({ PreSignUp: arn });
        await rejects(c.send(new SignUpCommand({ ClientId: clientId, Username: 'dave', Password: PASSWORD })), type, message);
        await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' })), 'UserNotFoundException');
        await rejects(
          c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dave', MessageAction: 'SUPPRESS' })),
          type,
          message,
        );
        await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' })), 'UserNotFoundException');
      }
    });

    it('PreSignUp_AdminCreateUser: admin client id, flags ignored; PostConfirmation on AdminConfirmSignUp', async () => {
      const { poolId } = await newPool({ PreSignUp: lambdaArn('pre-sign-up'), PostConfirmation: lambdaArn('post-confirmation') });
      hook.answer('/pre-sign-up', { response: { autoConfirmUser: true, autoVerifyEmail: true } });
      await c.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'erin@example.com' }], ClientMetadata: { k: 'v' } }),
      );
      const ev = hook.at('/pre-sign-up').at(-1);
      assert.equal(ev?.triggerSource, 'PreSignUp_AdminCreateUser');
      assert.deepEqual(ev?.callerContext, { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' });
      assert.deepEqual(ev?.request, { userAttributes: { email: 'erin@example.com' }, validationData: null, clientMetadata: { k: 'v' } });
      assert.equal(await status(poolId, 'erin'), 'FORCE_CHANGE_PASSWORD');
      hook.answer('/pre-sign-up', undefined);
    });

    it('PostConfirmation_ConfirmSignUp and _ConfirmForgotPassword: the confirmed user; a failure fails the call but the user stays confirmed', async () => {
      const { poolId, clientId } = await newPool({ PostConfirmation: lambdaArn('post-confirmation') });
      await c.send(new SignUpCommand({ ClientId: clientId, Username: 'frank', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'frank@example.com' }] }));
      const code = /(\d{6})/.exec((await outbox(poolId)).at(-1)?.body ?? '')?.[1] ?? '';
      await c.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'frank', ConfirmationCode: code, ClientMetadata: { step: 'confirm' } }));
      const ev = hook.at('/post-confirmation').at(-1);
      const sub = (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'frank' }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value;
      assert.deepEqual(ev, {
        version: '1',
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'frank',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          userAttributes: { sub, email: 'frank@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
          clientMetadata: { step: 'confirm' },
        },
        response: {},
      });

      await c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'frank' }));
      const reset = /(\d{6})/.exec((await outbox(poolId)).at(-1)?.body ?? '')?.[1] ?? '';
      hook.answer('/post-confirmation', { error: 'welcome mail failed' });
      await rejects(
        c.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'frank', ConfirmationCode: reset, Password: 'Another-Horse-9' })),
        'UserLambdaValidationException',
        'PostConfirmation failed with error welcome mail failed.',
      );
      assert.equal(hook.at('/post-confirmation').at(-1)?.triggerSource, 'PostConfirmation_ConfirmForgotPassword');
      hook.answer('/post-confirmation', undefined);

      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'gina', MessageAction: 'SUPPRESS' }));
      await c.send(new SignUpCommand({ ClientId: clientId, Username: 'hank', Password: PASSWORD }));
      await c.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'hank' }));
      const admin = hook.at('/post-confirmation').at(-1);
      assert.equal(admin?.userName, 'hank');
      assert.deepEqual(admin?.callerContext, { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' });
      assert.equal(await status(poolId, 'hank'), 'CONFIRMED');
    });
  });
}
