import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { storeKinds, type TestServer } from './helpers/server.js';
import { ALL_FLOWS, confirmedUser, createClient, createPool, passwordAuth, rejects } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';

const PASSWORD = 'Correct-Horse-9';

for (const kind of storeKinds()) {
  describe(`custom message trigger (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => ({ t, c, hook } = await startTriggerServer(kind, { 'custom-message': '/message' })));
    after(() => stopTriggerServer({ t, hook }));

    const setUp = () => triggerPool(c, { AutoVerifiedAttributes: ['email'], LambdaConfig: { CustomMessage: lambdaArn('custom-message') } });
    const lastMessage = async (poolId: string) => (await t.app.store.messages.list({ poolId, limit: 100 })).at(-1);
    const codeIn = (body: string | undefined) => /(\d{6})/.exec(body ?? '')?.[1] ?? '';
    /** Answers every message with the source in it, so each call shows which trigger source it had. */
    const tagged = (event: Record<string, unknown>) => ({
      response: { emailSubject: `Subject ${String(event.triggerSource)}`, emailMessage: `Code {####} via ${String(event.triggerSource)}`, smsMessage: null },
    });

    it('CustomMessage_SignUp: the documented event; the answer replaces subject and body and {####} becomes the code', async () => {
      const { poolId, clientId } = await setUp();
      hook.answer('/message', tagged);
      const r = await c.send(
        new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }], ClientMetadata: { lang: 'de' } }),
      );
      const ev = hook.at('/message').at(-1);
      assert.deepEqual(ev, {
        version: '1',
        triggerSource: 'CustomMessage_SignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          userAttributes: { sub: r.UserSub, email: 'alice@example.com', 'cognito:user_status': 'UNCONFIRMED' },
          codeParameter: '{####}',
          linkParameter: '{##Click Here##}',
          usernameParameter: null,
          clientMetadata: { lang: 'de' },
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      });
      const msg = await lastMessage(poolId);
      assert.equal(msg?.subject, 'Subject CustomMessage_SignUp');
      assert.match(msg?.body ?? '', /^Code \d{6} via CustomMessage_SignUp$/);
      assert.ok(!JSON.stringify(hook.events).includes(codeIn(msg?.body)), 'the code itself never reaches the function');
      // The code in the custom text is the real one.
      await c.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'alice' }));
      assert.equal(hook.at('/message').at(-1)?.triggerSource, 'CustomMessage_ResendCode');
      await c.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: codeIn((await lastMessage(poolId))?.body) }));

      await c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'alice' }));
      assert.match((await lastMessage(poolId))?.body ?? '', /via CustomMessage_ForgotPassword$/);
      await c.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.match((await lastMessage(poolId))?.body ?? '', /via CustomMessage_ForgotPassword$/);
    });

    it('_UpdateUserAttribute and _VerifyUserAttribute carry the user as it is now', async () => {
      const { poolId, clientId } = await setUp();
      hook.answer('/message', tagged);
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }] }));
      await t.app.services.users.setPassword({ region: 'us-east-1', requestId: 'test' }, poolId, 'bob', PASSWORD, true);
      const signIn = await passwordAuth(c, clientId, 'bob', PASSWORD);
      const accessToken = signIn.AuthenticationResult?.AccessToken ?? '';
      await c.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'bob2@example.com' }] }));
      const update = hook.at('/message').at(-1);
      assert.equal(update?.triggerSource, 'CustomMessage_UpdateUserAttribute');
      assert.equal((update?.request as { userAttributes?: Record<string, string> } | undefined)?.userAttributes?.email, 'bob2@example.com');
      await c.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
      assert.equal(hook.at('/message').at(-1)?.triggerSource, 'CustomMessage_VerifyUserAttribute');
      assert.match((await lastMessage(poolId))?.body ?? '', /via CustomMessage_VerifyUserAttribute$/);
    });

    it('CustomMessage_AdminCreateUser: usernameParameter, both placeholders filled; an answer without {####} keeps the template', async () => {
      const { poolId } = await setUp();
      hook.answer('/message', { response: { emailSubject: 'Hi', emailMessage: 'User {username}, password {####}' } });
      await c.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol', TemporaryPassword: 'Temp-Pass-123', DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 'carol@example.com' }] }),
      );
      const ev = hook.at('/message').at(-1);
      assert.equal(ev?.triggerSource, 'CustomMessage_AdminCreateUser');
      assert.deepEqual(ev?.callerContext, { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' });
      const request = ev?.request as Record<string, unknown> | undefined;
      assert.equal(request?.usernameParameter, '{username}');
      assert.equal(request?.linkParameter, null);
      const msg = await lastMessage(poolId);
      assert.equal(msg?.subject, 'Hi');
      assert.equal(msg?.body, 'User carol, password Temp-Pass-123');

      hook.answer('/message', { response: { emailMessage: 'no code here' } });
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dan', DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 'dan@example.com' }] }));
      assert.match((await lastMessage(poolId))?.body ?? '', /^Your username is dan and temporary password is /);
    });

    it('CustomMessage_Authentication: a passwordless sign-in code (USER_AUTH EMAIL_OTP) gets the custom text', async () => {
      const poolId = await createPool(c, {
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
        LambdaConfig: { CustomMessage: lambdaArn('custom-message') },
      });
      const clientId = (await createClient(c, poolId, { ExplicitAuthFlows: [...ALL_FLOWS, 'ALLOW_USER_AUTH'] })).id;
      await confirmedUser(c, poolId, 'carl', PASSWORD, { email: 'carl@example.com', email_verified: 'true' });
      hook.answer('/message', tagged);
      const sent = await c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'carl', PREFERRED_CHALLENGE: 'EMAIL_OTP' } }));
      assert.equal(sent.ChallengeName, 'EMAIL_OTP');
      const ev = hook.at('/message').at(-1);
      assert.equal(ev?.triggerSource, 'CustomMessage_Authentication');
      const msg = await lastMessage(poolId);
      assert.equal(msg?.subject, 'Subject CustomMessage_Authentication');
      const ok = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'EMAIL_OTP', Session: sent.Session, ChallengeResponses: { USERNAME: 'carl', EMAIL_OTP_CODE: codeIn(msg?.body) } }),
      );
      assert.ok(ok.AuthenticationResult?.AccessToken, 'the code in the custom text signs in');
      assert.equal((ev?.request as Record<string, unknown> | undefined)?.clientMetadata, undefined);
      assert.deepEqual(ev?.callerContext, { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId });

      // Sent in answer to SELECT_CHALLENGE: that answer's ClientMetadata reaches the function.
      const select = await c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'carl' } }));
      assert.equal(select.ChallengeName, 'SELECT_CHALLENGE');
      const chosen = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SELECT_CHALLENGE', Session: select.Session, ChallengeResponses: { USERNAME: 'carl', ANSWER: 'EMAIL_OTP' }, ClientMetadata: { lang: 'de' } }),
      );
      assert.equal(chosen.ChallengeName, 'EMAIL_OTP');
      assert.deepEqual((hook.at('/message').at(-1)?.request as Record<string, unknown> | undefined)?.clientMetadata, { lang: 'de' });
    });

    it('a failing function: UserLambdaValidationException, and no code is sent or replaced', async () => {
      const { poolId, clientId } = await setUp();
      hook.answer('/message', undefined);
      await c.send(new SignUpCommand({ ClientId: clientId, Username: 'erin', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'erin@example.com' }] }));
      const first = await lastMessage(poolId);
      assert.match(first?.body ?? '', /^Your verification code is \d{6}/, 'an unchanged event keeps the pool template');
      hook.answer('/message', { error: 'template store down' });
      await rejects(c.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'erin' })), 'UserLambdaValidationException', 'CustomMessage failed with error template store down.');
      assert.equal((await lastMessage(poolId))?.seq, first?.seq, 'nothing sent');
      hook.answer('/message', undefined);
      await c.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'erin', ConfirmationCode: codeIn(first?.body) }));
    });
  });
}
