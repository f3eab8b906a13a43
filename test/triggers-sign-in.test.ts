import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, passwordAuth, rejects, srpSignIn } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type Answer, type TriggerReceiver } from './helpers/trigger-receiver.js';

const PASSWORD = 'Correct-Horse-9';

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Define auth challenge: one CUSTOM_CHALLENGE after another until one is passed; three failures end it. */
function define(event: Record<string, unknown>): Answer {
  const session = list(record(event.request).session).map(record);
  const last = session.at(-1);
  // The SRP_A variant: the password first, then the custom challenge.
  if (last?.challengeName === 'SRP_A') return { response: { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false } };
  if (last?.challengeName === 'PASSWORD_VERIFIER') return { response: { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false } };
  if (last?.challengeResult === true) return { response: { issueTokens: true, failAuthentication: false } };
  if (session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length >= 3) return { response: { issueTokens: false, failAuthentication: true } };
  return { response: { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false } };
}
const create = (event: Record<string, unknown>): Answer => ({
  response: {
    publicChallengeParameters: { question: 'favourite colour?', attempt: list(record(event.request).session).length + 1 },
    privateChallengeParameters: { answer: 'blue' },
    challengeMetadata: 'COLOUR_QUESTION',
  },
});
const verify = (event: Record<string, unknown>): Answer => {
  const r = record(event.request);
  return { response: { answerCorrect: r.challengeAnswer === record(r.privateChallengeParameters).answer } };
};

for (const kind of storeKinds()) {
  describe(`sign-in triggers (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => {
      ({ t, c, hook } = await startTriggerServer(kind, ['pre-auth', 'post-auth', 'migrate', 'define', 'create', 'verify']));
      hook.answer('/define', define);
      hook.answer('/create', create);
      hook.answer('/verify', verify);
    });
    after(() => stopTriggerServer({ t, hook }));

    const setUp = async (lambda: LambdaConfigType) => {
      const { poolId, clientId } = await triggerPool(
        c,
        { LambdaConfig: lambda },
        { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'] },
      );
      await confirmedUser(c, poolId, 'alice', PASSWORD, { email: 'alice@example.com' });
      const sub = (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value;
      return { poolId, clientId, sub };
    };

    it('PreAuthentication and PostAuthentication: the documented events, on password and SRP sign-in', async () => {
      const { poolId, clientId, sub } = await setUp({ PreAuthentication: lambdaArn('pre-auth'), PostAuthentication: lambdaArn('post-auth') });
      const r = await passwordAuth(c, clientId, 'alice', PASSWORD);
      assert.ok(r.AuthenticationResult?.AccessToken);
      const attributes = { sub, email: 'alice@example.com', 'cognito:user_status': 'CONFIRMED' };
      const common = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'alice', callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId } };
      assert.deepEqual(hook.at('/pre-auth').at(-1), { ...common, triggerSource: 'PreAuthentication_Authentication', request: { userAttributes: attributes, validationData: null }, response: {} });
      assert.deepEqual(hook.at('/post-auth').at(-1), { ...common, triggerSource: 'PostAuthentication_Authentication', request: { userAttributes: attributes, newDeviceUsed: false }, response: {} });
      const [pre, post] = [hook.at('/pre-auth').length, hook.at('/post-auth').length];
      await srpSignIn(c, poolId, clientId, 'alice', PASSWORD);
      assert.deepEqual([hook.at('/pre-auth').length, hook.at('/post-auth').length], [pre + 1, post + 1]);
      // InitiateAuth's ClientMetadata reaches pre authentication as validationData, post authentication not at all.
      await c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD }, ClientMetadata: { kiosk: '7' } }));
      assert.deepEqual(record(hook.at('/pre-auth').at(-1)?.request).validationData, { kiosk: '7' });
      assert.equal(record(hook.at('/post-auth').at(-1)?.request).clientMetadata, undefined);
    });

    it('a refusing PreAuthentication or PostAuthentication: UserLambdaValidationException, no tokens', async () => {
      const { clientId } = await setUp({ PreAuthentication: lambdaArn('pre-auth'), PostAuthentication: lambdaArn('post-auth') });
      hook.answer('/pre-auth', { error: 'Sign-in is closed on Sundays' });
      await rejects(passwordAuth(c, clientId, 'alice', PASSWORD), 'UserLambdaValidationException', 'PreAuthentication failed with error Sign-in is closed on Sundays.');
      hook.answer('/pre-auth', undefined);
      hook.answer('/post-auth', { error: 'audit log unavailable' });
      await rejects(passwordAuth(c, clientId, 'alice', PASSWORD), 'UserLambdaValidationException', 'PostAuthentication failed with error audit log unavailable.');
      hook.answer('/post-auth', undefined);
      assert.ok((await passwordAuth(c, clientId, 'alice', PASSWORD)).AuthenticationResult?.IdToken);
    });

    it('PreAuthentication for a name nobody has: not invoked (UserNotFoundException), or with PreventUserExistenceErrors invoked with userNotFound true', async () => {
      const { poolId, clientId } = await setUp({ PreAuthentication: lambdaArn('pre-auth') });
      const before = hook.at('/pre-auth').length;
      await rejects(passwordAuth(c, clientId, 'ghost', PASSWORD), 'UserNotFoundException', 'User does not exist.');
      assert.equal(hook.at('/pre-auth').length, before, 'a LEGACY client does not invoke it for an unknown user');
      const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
      const hiding = (await createClient(c, poolId, { ExplicitAuthFlows: [...flows], PreventUserExistenceErrors: 'ENABLED' })).id;
      await rejects(
        c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ghost', PASSWORD }, ClientMetadata: { app: 'web' } })),
        'NotAuthorizedException',
        'Incorrect username or password.',
      );
      const common = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'ghost', callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: hiding } };
      assert.deepEqual(hook.at('/pre-auth').at(-1), {
        ...common,
        triggerSource: 'PreAuthentication_Authentication',
        request: { userAttributes: {}, validationData: { app: 'web' }, userNotFound: true },
        response: {},
      });
      // USER_SRP_AUTH: at InitiateAuth, before the (stand-in) PASSWORD_VERIFIER challenge.
      const srp = await c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ghost', SRP_A: 'ab'.repeat(192) } }));
      assert.equal(srp.ChallengeName, 'PASSWORD_VERIFIER');
      assert.equal(hook.at('/pre-auth').length, before + 2);
      assert.equal(record(hook.at('/pre-auth').at(-1)?.request).userNotFound, true);
      // Its refusal is the function's error, as for a known user.
      hook.answer('/pre-auth', { error: 'no' });
      await rejects(passwordAuth(c, hiding, 'ghost', PASSWORD), 'UserLambdaValidationException', 'PreAuthentication failed with error no.');
      hook.answer('/pre-auth', undefined);
      // A known user on the same client: userNotFound false.
      await passwordAuth(c, hiding, 'alice', PASSWORD);
      assert.equal(record(hook.at('/pre-auth').at(-1)?.request).userNotFound, false);
    });

    it('PreAuthentication for CUSTOM_AUTH with a name nobody has: userNotFound true when the client hides users', async () => {
      const { poolId } = await setUp({ PreAuthentication: lambdaArn('pre-auth'), DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify') });
      const hiding = (await createClient(c, poolId, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED' })).id;
      const before = hook.at('/pre-auth').length;
      await c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'nobody' } }));
      assert.equal(hook.at('/pre-auth').length, before + 1);
      const ev = hook.at('/pre-auth').at(-1);
      assert.equal(ev?.userName, 'nobody');
      assert.deepEqual(ev?.request, { userAttributes: {}, validationData: null, userNotFound: true });
    });

    it('UserMigration_Authentication: a user only the old directory knows signs in and then exists', async () => {
      const { poolId, clientId } = await setUp({ UserMigration: lambdaArn('migrate') });
      hook.answer('/migrate', (event) => {
        const r = record(event.request);
        return String(event.userName).startsWith('legacy') && r.password === 'Old-Pass-123'
          ? { response: { userAttributes: { email: 'legacy@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } }
          : { response: {} };
      });
      await rejects(passwordAuth(c, clientId, 'legacy', 'Wrong-Pass-123'), 'UserNotFoundException', 'User does not exist.');
      const ev = hook.at('/migrate').at(-1);
      assert.equal(ev?.triggerSource, 'UserMigration_Authentication');
      assert.deepEqual(ev?.request, { password: 'Wrong-Pass-123', validationData: null });
      await rejects(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy' })), 'UserNotFoundException');

      const r = await c.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'legacy', PASSWORD: 'Old-Pass-123' }, ClientMetadata: { source: 'app' } }),
      );
      assert.ok(r.AuthenticationResult?.AccessToken);
      assert.deepEqual(hook.at('/migrate').at(-1)?.request, { password: 'Old-Pass-123', validationData: null, clientMetadata: { source: 'app' } });
      assert.equal((await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy' }))).UserStatus, 'CONFIRMED');
      const calls = hook.at('/migrate').length;
      await srpSignIn(c, poolId, clientId, 'legacy', 'Old-Pass-123');
      assert.equal(hook.at('/migrate').length, calls, 'a migrated user signs in like any other (SRP included)');
      const both = await Promise.all([0, 1].map(() => passwordAuth(c, clientId, 'legacy2', 'Old-Pass-123')));
      assert.ok(both.every((b) => b.AuthenticationResult?.AccessToken), 'two sign-ins migrating the same user at once both succeed');
    });

    it('CUSTOM_AUTH: define/create/verify events; right answer passes, wrong answers are counted by define', async () => {
      const { poolId, clientId, sub } = await setUp({ DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify') });
      const first = await c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' }, ClientMetadata: { not: 'passed' } }));
      assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.deepEqual(first.ChallengeParameters, { question: 'favourite colour?', attempt: '1', USERNAME: 'alice' });
      const attributes = { sub, email: 'alice@example.com', 'cognito:user_status': 'CONFIRMED' };
      assert.deepEqual(hook.at('/define').at(-1), {
        version: '1',
        triggerSource: 'DefineAuthChallenge_Authentication',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { userAttributes: attributes, session: [] },
        response: { challengeName: null, issueTokens: null, failAuthentication: null },
      });
      assert.deepEqual(record(hook.at('/create').at(-1)).request, { userAttributes: attributes, challengeName: 'CUSTOM_CHALLENGE', session: [] });

      const wrong = await c.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'alice', ANSWER: 'red' },
          ClientMetadata: { step: '2' },
        }),
      );
      assert.equal(wrong.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.equal(wrong.ChallengeParameters?.attempt, '2');
      assert.deepEqual(record(hook.at('/verify').at(-1)).request, { userAttributes: attributes, privateChallengeParameters: { answer: 'blue' }, challengeAnswer: 'red', clientMetadata: { step: '2' } });
      assert.deepEqual(record(hook.at('/define').at(-1)).request, {
        userAttributes: attributes,
        session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'COLOUR_QUESTION' }],
        clientMetadata: { step: '2' },
      });
      await rejects(
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: first.Session, ChallengeResponses: { USERNAME: 'alice', ANSWER: 'blue' } })),
        'NotAuthorizedException',
        'Invalid session for the user.',
      );
      const right = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: wrong.Session, ChallengeResponses: { USERNAME: 'alice', ANSWER: 'blue' } }),
      );
      assert.ok(right.AuthenticationResult?.AccessToken);

      let session = (await c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } }))).Session;
      for (let i = 0; i < 2; i++) {
        const next = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: 'alice', ANSWER: 'green' } }));
        session = next.Session;
      }
      await rejects(
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: 'alice', ANSWER: 'green' } })),
        'NotAuthorizedException',
        'Incorrect username or password.',
      );
    });

    it('CUSTOM_AUTH for a name nobody has: UserNotFoundException, or with PreventUserExistenceErrors a challenge run with userNotFound', async () => {
      const { poolId, clientId } = await setUp({ DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify') });
      await rejects(c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'ghost' } })), 'UserNotFoundException', 'User does not exist.');
      const hiding = (await createClient(c, poolId, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED' })).id;
      const first = await c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'ghost' } }));
      assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE', 'an unknown user gets a challenge like anyone else');
      assert.deepEqual(first.ChallengeParameters, { question: 'favourite colour?', attempt: '1', USERNAME: 'ghost' });
      const define = hook.at('/define').at(-1);
      assert.equal(define?.userName, 'ghost');
      assert.deepEqual(record(define?.request), { userAttributes: {}, session: [], userNotFound: true });
      await rejects(
        c.send(new RespondToAuthChallengeCommand({ ClientId: hiding, ChallengeName: 'CUSTOM_CHALLENGE', Session: first.Session, ChallengeResponses: { USERNAME: 'ghost', ANSWER: 'blue' } })),
        'NotAuthorizedException',
        'Incorrect username or password.',
      );
      assert.equal(record(hook.at('/verify').at(-1)?.request).userNotFound, true);
      await c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } }));
      assert.equal(record(hook.at('/define').at(-1)?.request).userNotFound, false);
    });

    it('CUSTOM_AUTH without a define trigger, or with a failing one', async () => {
      const { clientId } = await setUp({});
      await rejects(
        c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } })),
        'InvalidParameterException',
        'Custom auth lambda trigger is not configured for the user pool.',
      );
      const other = await setUp({ DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify') });
      hook.answer('/define', { raw: '"not an event"' });
      await rejects(c.send(new InitiateAuthCommand({ ClientId: other.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } })), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
      hook.answer('/define', define);
    });

    it('amazon-cognito-identity-js CUSTOM_AUTH: a wrong answer gets another challenge, the right one signs in; three wrong fail', async () => {
      const { poolId, clientId } = await setUp({ DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify') });
      const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.endpoint });
      const signIn = (answers: string[]) =>
        new Promise<{ session?: CognitoUserSession; error?: Error; asked: number }>((resolve) => {
          const user = new CognitoUser({ Username: 'alice', Pool: pool });
          user.setAuthenticationFlowType('CUSTOM_AUTH');
          let asked = 0;
          user.initiateAuth(new AuthenticationDetails({ Username: 'alice' }), {
            onSuccess: (session) => resolve({ session, asked }),
            onFailure: (error: Error) => resolve({ error, asked }),
            customChallenge(parameters: Record<string, string>) {
              assert.equal(parameters.question, 'favourite colour?');
              user.sendCustomChallengeAnswer(answers[asked++] ?? 'none', this);
            },
          });
        });
      const ok = await signIn(['red', 'blue']);
      assert.equal(ok.asked, 2);
      assert.ok(ok.session?.isValid());
      assert.equal(ok.session?.getIdToken().decodePayload()['cognito:username'], 'alice');
      const failed = await signIn(['red', 'green', 'yellow']);
      assert.equal(failed.asked, 3);
      assert.equal(failed.error?.name, 'NotAuthorizedException');
      assert.equal(failed.error?.message, 'Incorrect username or password.');
    });

    it('amazon-cognito-identity-js CUSTOM_AUTH with SRP first (CHALLENGE_NAME SRP_A): password, then the custom challenge', async () => {
      const { poolId, clientId } = await setUp({ DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify') });
      const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.endpoint });
      const signIn = (password: string, answer: string) =>
        new Promise<{ session?: CognitoUserSession; error?: Error; asked: number }>((resolve) => {
          const user = new CognitoUser({ Username: 'alice', Pool: pool });
          user.setAuthenticationFlowType('CUSTOM_AUTH');
          let asked = 0;
          user.authenticateUser(new AuthenticationDetails({ Username: 'alice', Password: password }), {
            onSuccess: (session) => resolve({ session, asked }),
            onFailure: (error: Error) => resolve({ error, asked }),
            customChallenge() {
              asked++;
              user.sendCustomChallengeAnswer(answer, this);
            },
          });
        });
      const ok = await signIn(PASSWORD, 'blue');
      assert.equal(ok.error, undefined);
      assert.equal(ok.asked, 1);
      assert.ok(ok.session?.isValid());
      const history = list(record(hook.at('/define').at(-1)?.request).session);
      assert.deepEqual(history, [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'COLOUR_QUESTION' },
      ]);
      const wrongPassword = await signIn('Wrong-Horse-9', 'blue');
      assert.equal(wrongPassword.asked, 0);
      assert.equal(wrongPassword.error?.name, 'NotAuthorizedException');
    });
  });
}
