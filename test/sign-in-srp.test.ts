/**
 * USER_SRP_AUTH and NEW_PASSWORD_REQUIRED on a real server: the SDK v3 with amazon-cognito-identity-js's own
 * AuthenticationHelper doing the client math, and amazon-cognito-identity-js itself (authenticateUser,
 * refreshSession, newPasswordRequired → completeNewPasswordChallenge), on every store dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { passwordVerifierResponses, srpClient } from './helpers/cognito-srp-client.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure, passwordAuth, secretHash, srpSignIn, TestClock } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/** amazon-cognito-identity-js sign-in, as an application calls it. */
function signIn(pool: CognitoUserPool, username: string, password: string): Promise<{ user: CognitoUser; session: CognitoUserSession }> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
    });
  });
}

for (const kind of storeKinds()) {
  describe(`SRP sign-in and NEW_PASSWORD_REQUIRED (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let poolName: string;
    let open: string;
    let hiding: string;
    let confidential: { id: string; secret: string | undefined };

    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock } });
      c = t.client();
      poolId = await createPool(c, { UsernameAttributes: ['email'], Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true, Required: false }] });
      poolName = poolId.slice(poolId.indexOf('_') + 1);
      open = (await createClient(c, poolId)).id;
      hiding = (await createClient(c, poolId, { PreventUserExistenceErrors: 'ENABLED' })).id;
      confidential = await createClient(c, poolId, { GenerateSecret: true });
      await confirmedUser(c, poolId, 'alice@example.com', PASSWORD);
    });
    after(() => t.close());

    it('USER_SRP_AUTH: the challenge has Cognito parameters and a right proof gets tokens', async () => {
      const { first, tokens } = await srpSignIn(c, poolId, open, 'alice@example.com', PASSWORD);
      const p = first.ChallengeParameters ?? {};
      assert.deepEqual(Object.keys(p).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
      assert.match(p.USER_ID_FOR_SRP ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'the sub, in an email pool');
      assert.match(p.SRP_B ?? '', /^[0-9a-f]+$/);
      assert.match(p.SALT ?? '', /^[0-9a-f]+$/);
      assert.match(p.SECRET_BLOCK ?? '', /^[A-Za-z0-9+/]+=*$/, 'standard base64');
      assert.ok(tokens.AccessToken && tokens.IdToken && tokens.RefreshToken);
    });

    it('a wrong password fails the proof', async () => {
      assert.deepEqual(await failure(srpSignIn(c, poolId, open, 'alice@example.com', 'Wrong-Passw0rd!')), incorrect);
    });

    it('the SECRET_BLOCK works once, only for its client, and only before it expires', async () => {
      const srp = srpClient(poolName);
      const start = () => c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice@example.com', SRP_A: srp.A } }));
      const answer = (clientId: string, responses: Record<string, string>) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }));
      const first = await start();
      const responses = await passwordVerifierResponses(srp, poolName, first.ChallengeParameters ?? {}, PASSWORD);
      assert.equal((await failure(answer(hiding, responses))).name, 'NotAuthorizedException', 'another client');
      assert.ok((await answer(open, responses)).AuthenticationResult?.AccessToken);
      assert.deepEqual(await failure(answer(open, responses)), incorrect, 'a replay');
      const tampered = { ...responses, PASSWORD_CLAIM_SECRET_BLOCK: Buffer.from('v1.AAAA.BBBB.CCCC').toString('base64') };
      assert.equal((await failure(answer(open, tampered))).name, 'NotAuthorizedException');
      const late = await start();
      const lateResponses = await passwordVerifierResponses(srp, poolName, late.ChallengeParameters ?? {}, PASSWORD);
      clock.advance(3 * 60_000 + 1_000); // the default AuthSessionValidity is 3 minutes
      try {
        assert.deepEqual(await failure(answer(open, lateResponses)), { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
      } finally {
        clock.reset();
      }
    });

    it('a TIMESTAMP not in the clients format fails the proof', async () => {
      const srp = srpClient(poolName);
      const first = await c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice@example.com', SRP_A: srp.A } }));
      const responses = await passwordVerifierResponses(srp, poolName, first.ChallengeParameters ?? {}, PASSWORD, 'Tue Nov 03 21:09:51 UTC 2026');
      const r = c.send(new RespondToAuthChallengeCommand({ ClientId: open, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }));
      assert.deepEqual(await failure(r), incorrect);
    });

    it('refuses a bad SRP_A, and a missing one', async () => {
      const send = (params: Record<string, string>) => c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice@example.com', ...params } }));
      assert.equal((await failure(send({ SRP_A: '0' }))).name, 'InvalidParameterException');
      assert.equal((await failure(send({ SRP_A: 'xyz' }))).name, 'InvalidParameterException');
      assert.deepEqual(await failure(send({})), { name: 'InvalidParameterException', message: 'Missing required parameter SRP_A' });
    });

    it('unknown users: UserNotFoundException, or a plausible challenge that always fails when users are hidden', async () => {
      const srp = srpClient(poolName);
      const start = (clientId: string, name: string) =>
        c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: name, SRP_A: srp.A } }));
      assert.deepEqual(await failure(start(open, 'nobody@example.com')), { name: 'UserNotFoundException', message: 'User does not exist.' });
      const a = await start(hiding, 'nobody@example.com');
      const b = await start(hiding, 'nobody@example.com');
      const pa = a.ChallengeParameters ?? {};
      assert.equal(pa.SALT, b.ChallengeParameters?.SALT, 'the same salt each time');
      assert.equal(pa.USER_ID_FOR_SRP, b.ChallengeParameters?.USER_ID_FOR_SRP);
      assert.match(pa.USER_ID_FOR_SRP ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4/, 'looks like a real user id');
      assert.notEqual(pa.SRP_B, b.ChallengeParameters?.SRP_B);
      const responses = await passwordVerifierResponses(srp, poolName, pa, PASSWORD);
      const r = c.send(new RespondToAuthChallengeCommand({ ClientId: hiding, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }));
      assert.deepEqual(await failure(r), incorrect);
    });

    it('SECRET_HASH on both steps for a client with a secret', async () => {
      const { id, secret } = confidential;
      const { tokens } = await srpSignIn(c, poolId, id, 'alice@example.com', PASSWORD, secret);
      assert.ok(tokens.AccessToken);
      const srp = srpClient(poolName);
      const missing = c.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice@example.com', SRP_A: srp.A } }));
      assert.equal((await failure(missing)).message, `Client ${id} is configured with secret but SECRET_HASH was not received`);
    });

    it('AdminInitiateAuth takes USER_SRP_AUTH too', async () => {
      const srp = srpClient(poolName);
      const first = await c.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: open, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'alice@example.com', SRP_A: srp.A } }),
      );
      const responses = await passwordVerifierResponses(srp, poolName, first.ChallengeParameters ?? {}, PASSWORD);
      const r = await c.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: open, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }));
      assert.ok(r.AuthenticationResult?.IdToken);
    });

    it('SRP failures count towards the lockout', async () => {
      await confirmedUser(c, poolId, 'bob@example.com', PASSWORD);
      for (let i = 0; i < 5; i++) assert.deepEqual(await failure(srpSignIn(c, poolId, open, 'bob@example.com', 'Wrong-Passw0rd!')), incorrect);
      assert.deepEqual(await failure(srpSignIn(c, poolId, open, 'bob@example.com', PASSWORD)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    });

    it('amazon-cognito-identity-js: authenticateUser (SRP), wrong password refused, refreshSession', async () => {
      const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: open, endpoint: t.endpoint });
      const { user, session } = await signIn(pool, 'alice@example.com', PASSWORD);
      assert.ok(session.isValid());
      assert.equal(session.getIdToken().decodePayload().email, 'alice@example.com');
      const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.refreshSession(new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() }), (err: unknown, s: CognitoUserSession) =>
          err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(s),
        ),
      );
      assert.ok(refreshed.getAccessToken().getJwtToken());
      assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
      const wrong = await failure(signIn(pool, 'alice@example.com', 'Wrong-Passw0rd!'));
      assert.equal(wrong.message, 'Incorrect username or password.');
    });

    it('the article flow: an administrator-created user signs in with the temporary password, sets a new one, ends CONFIRMED with tokens', async () => {
      await c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'carol@example.com',
          TemporaryPassword: 'Temp-Passw0rd!',
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        }),
      );
      const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: open, endpoint: t.endpoint });
      const user = new CognitoUser({ Username: 'carol@example.com', Pool: pool });
      const asked = await new Promise<{ attrs: unknown; required: unknown }>((resolve, reject) => {
        user.authenticateUser(new AuthenticationDetails({ Username: 'carol@example.com', Password: 'Temp-Passw0rd!' }), {
          onSuccess: () => reject(new Error('expected NEW_PASSWORD_REQUIRED')),
          onFailure: (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
          newPasswordRequired: (attrs: unknown, required: unknown) => resolve({ attrs, required }),
        });
      });
      assert.deepEqual(asked.attrs, { email: 'carol@example.com', email_verified: 'true' });
      assert.deepEqual(asked.required, []);
      const session = await new Promise<CognitoUserSession>((resolve, reject) => {
        user.completeNewPasswordChallenge('Brand-New-Passw0rd!', { name: 'Carol' }, {
          onSuccess: (s: CognitoUserSession) => resolve(s),
          onFailure: (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
        });
      });
      assert.ok(session.isValid());
      const got = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol@example.com' }));
      assert.equal(got.UserStatus, 'CONFIRMED');
      assert.equal(got.UserAttributes?.find((a) => a.Name === 'name')?.Value, 'Carol');
      const again = await signIn(pool, 'carol@example.com', 'Brand-New-Passw0rd!');
      assert.ok(again.session.isValid());
      assert.equal((await failure(signIn(pool, 'carol@example.com', 'Temp-Passw0rd!'))).message, 'Incorrect username or password.');
    });

    it('NEW_PASSWORD_REQUIRED through the SDK: parameters, policy, one use of the session, expiry', async () => {
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dora@example.com', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
      const first = await passwordAuth(c, open, 'dora@example.com', 'Temp-Passw0rd!');
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const p = first.ChallengeParameters ?? {};
      assert.deepEqual(Object.keys(p).sort(), ['USER_ID_FOR_SRP', 'requiredAttributes', 'userAttributes']);
      assert.deepEqual(JSON.parse(p.userAttributes ?? ''), { email: 'dora@example.com' });
      assert.equal(p.requiredAttributes, '[]');
      const respond = (session: string | undefined, responses: Record<string, string>) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: open, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP ?? '', ...responses } }));
      assert.deepEqual(await failure(respond(first.Session, { NEW_PASSWORD: 'short' })), {
        name: 'InvalidPasswordException',
        message: 'Password did not conform with policy: Password not long enough',
      });
      assert.equal((await failure(respond(first.Session, {}))).message, 'Missing required parameter NEW_PASSWORD');
      assert.equal((await failure(respond(first.Session, { NEW_PASSWORD: 'Brand-New-Passw0rd!', 'userAttributes.sub': 'x' }))).name, 'NotAuthorizedException');
      const ok = await respond(first.Session, { NEW_PASSWORD: 'Brand-New-Passw0rd!' });
      assert.ok(ok.AuthenticationResult?.RefreshToken);
      assert.equal((await failure(respond(first.Session, { NEW_PASSWORD: 'Other-Passw0rd!' }))).name, 'NotAuthorizedException');
      assert.ok((await passwordAuth(c, open, 'dora@example.com', 'Brand-New-Passw0rd!')).AuthenticationResult);

      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'eve@example.com', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
      const late = await passwordAuth(c, open, 'eve@example.com', 'Temp-Passw0rd!');
      clock.advance(3 * 60_000 + 1_000);
      try {
        const r = c.send(
          new RespondToAuthChallengeCommand({ ClientId: open, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: late.Session, ChallengeResponses: { USERNAME: 'eve@example.com', NEW_PASSWORD: 'Brand-New-Passw0rd!' } }),
        );
        assert.deepEqual(await failure(r), { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
        const bogus = c.send(
          new RespondToAuthChallengeCommand({ ClientId: open, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'x'.repeat(40), ChallengeResponses: { USERNAME: 'eve@example.com', NEW_PASSWORD: 'Brand-New-Passw0rd!' } }),
        );
        assert.deepEqual(await failure(bogus), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      } finally {
        clock.reset();
      }
    });

    it('NEW_PASSWORD_REQUIRED holds the new password to PasswordHistorySize (the temporary one counts)', async () => {
      const historyPool = await createPool(c, { Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } } });
      const app = (await createClient(c, historyPool)).id;
      await c.send(new AdminCreateUserCommand({ UserPoolId: historyPool, Username: 'hank', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
      const first = await passwordAuth(c, app, 'hank', 'Temp-Passw0rd!');
      const respond = (password: string) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: first.Session, ChallengeResponses: { USERNAME: 'hank', NEW_PASSWORD: password } }));
      assert.equal((await failure(respond('Temp-Passw0rd!'))).name, 'PasswordHistoryPolicyViolationException');
      assert.ok((await respond('Brand-New-Passw0rd!')).AuthenticationResult?.AccessToken);
    });

    it('a temporary password expires after TemporaryPasswordValidityDays', async () => {
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'finn@example.com', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
      clock.advance(7 * 86_400_000 + 1_000); // the default: 7 days
      try {
        assert.deepEqual(await failure(passwordAuth(c, open, 'finn@example.com', 'Temp-Passw0rd!')), {
          name: 'NotAuthorizedException',
          message: 'Temporary password has expired and must be reset by an administrator.',
        });
        assert.deepEqual(await failure(passwordAuth(c, open, 'finn@example.com', 'Wrong-Passw0rd!')), incorrect);
      } finally {
        clock.reset();
      }
    });

    it('AdminRespondToAuthChallenge completes NEW_PASSWORD_REQUIRED with SECRET_HASH', async () => {
      const { id, secret } = confidential;
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'gail@example.com', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
      const first = await c.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: id,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'gail@example.com', PASSWORD: 'Temp-Passw0rd!', ...secretHash(secret, 'gail@example.com', id) },
        }),
      );
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const userId = first.ChallengeParameters?.USER_ID_FOR_SRP ?? '';
      const r = await c.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: id,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: first.Session,
          ChallengeResponses: { USERNAME: userId, NEW_PASSWORD: 'Brand-New-Passw0rd!', ...secretHash(secret, userId, id) },
        }),
      );
      assert.ok(r.AuthenticationResult?.AccessToken);
      // After the new password, SRP works with it (the verifier was stored with it).
      assert.ok((await srpSignIn(c, poolId, open, 'gail@example.com', 'Brand-New-Passw0rd!')).tokens.AccessToken);
    });
  });
}
