/**
 * Password sign-in through the AWS SDK v3 on a real server: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and
 * ADMIN_NO_SRP_AUTH, REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken, ExplicitAuthFlows, SECRET_HASH,
 * PreventUserExistenceErrors, user states and the lockout, on every store dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure, passwordAuth, secretHash, TestClock } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';

function decodeJwt(token: string | undefined): Record<string, unknown> {
  const part = token?.split('.')[1];
  assert.ok(part, 'a JWT');
  const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  assert.ok(typeof v === 'object' && v !== null);
  return Object.fromEntries(Object.entries(v));
}

for (const kind of storeKinds()) {
  describe(`password sign-in (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let open: string; // all flows, LEGACY existence errors
    let hiding: string; // PreventUserExistenceErrors ENABLED
    let srpOnly: string; // the default flows
    let confidential: { id: string; secret: string | undefined };

    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock } });
      c = t.client();
      poolId = await createPool(c, { AliasAttributes: ['email'] });
      open = (await createClient(c, poolId)).id;
      hiding = (await createClient(c, poolId, { PreventUserExistenceErrors: 'ENABLED' })).id;
      srpOnly = (await createClient(c, poolId, { ExplicitAuthFlows: undefined })).id;
      confidential = await createClient(c, poolId, { GenerateSecret: true });
      await confirmedUser(c, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true' });
    });
    after(() => t.close());

    it('USER_PASSWORD_AUTH answers Cognito tokens for the right password', async () => {
      const r = await passwordAuth(c, open, 'alice', PASSWORD);
      assert.deepEqual(r.ChallengeParameters, {});
      assert.equal(r.ChallengeName, undefined);
      const a = r.AuthenticationResult;
      assert.equal(a?.TokenType, 'Bearer');
      assert.equal(a?.ExpiresIn, 3600);
      assert.ok(a?.RefreshToken);
      const access = decodeJwt(a.AccessToken);
      assert.equal(access.token_use, 'access');
      assert.equal(access.client_id, open);
      assert.equal(access.username, 'alice');
      assert.equal(decodeJwt(a.IdToken)['cognito:username'], 'alice');
    });

    it('signs in by a verified email alias', async () => {
      const r = await passwordAuth(c, open, 'ALICE@example.com', PASSWORD);
      assert.equal(decodeJwt(r.AuthenticationResult?.AccessToken).username, 'alice');
    });

    it('refuses a wrong password, and an unknown user as PreventUserExistenceErrors says', async () => {
      assert.deepEqual(await failure(passwordAuth(c, open, 'alice', 'Wrong-Passw0rd!')), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      assert.deepEqual(await failure(passwordAuth(c, open, 'nobody', PASSWORD)), { name: 'UserNotFoundException', message: 'User does not exist.' });
      assert.deepEqual(await failure(passwordAuth(c, hiding, 'nobody', PASSWORD)), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      const ok = await passwordAuth(c, hiding, 'alice', PASSWORD);
      assert.ok(ok.AuthenticationResult?.AccessToken);
    });

    it('takes only the flows the client allows, and each flow only on its operation', async () => {
      assert.deepEqual(await failure(passwordAuth(c, srpOnly, 'alice', PASSWORD)), {
        name: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
      });
      const admin = (flow: 'ADMIN_USER_PASSWORD_AUTH' | 'ADMIN_NO_SRP_AUTH', clientId: string) =>
        c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: flow, AuthParameters: { USERNAME: 'alice', PASSWORD } }));
      assert.deepEqual(await failure(admin('ADMIN_USER_PASSWORD_AUTH', srpOnly)), { name: 'InvalidParameterException', message: 'Auth flow not enabled for this client' });
      assert.deepEqual(await failure(passwordAuth(c, open, 'alice', PASSWORD, {}, 'ADMIN_NO_SRP_AUTH')), {
        name: 'InvalidParameterException',
        message: 'Initiate Auth method not supported',
      });
      assert.deepEqual(await failure(passwordAuth(c, srpOnly, 'alice', PASSWORD, {}, 'CUSTOM_AUTH')), {
        name: 'InvalidParameterException',
        message: 'Custom auth lambda trigger is not configured for the user pool.',
      });
      for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
        const r = await admin(flow, open);
        assert.ok(r.AuthenticationResult?.IdToken, flow);
      }
      const unsupported = c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: open, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }));
      assert.equal((await failure(unsupported)).message, 'Initiate Auth method not supported');
    });

    it('names a missing parameter, and an unknown client', async () => {
      const missing = c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice' } }));
      assert.deepEqual(await failure(missing), { name: 'InvalidParameterException', message: 'Missing required parameter PASSWORD' });
      const noClient = c.send(new InitiateAuthCommand({ ClientId: 'nosuchclient0000000000000', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }));
      assert.deepEqual(await failure(noClient), { name: 'ResourceNotFoundException', message: 'User pool client nosuchclient0000000000000 does not exist.' });
    });

    it('checks SECRET_HASH on a client with a secret, and refuses one on a client without', async () => {
      const { id, secret } = confidential;
      assert.deepEqual(await failure(passwordAuth(c, id, 'alice', PASSWORD)), {
        name: 'NotAuthorizedException',
        message: `Client ${id} is configured with secret but SECRET_HASH was not received`,
      });
      const wrong = await failure(passwordAuth(c, id, 'alice', PASSWORD, { SECRET_HASH: secretHash('not-the-secret', 'alice', id).SECRET_HASH ?? '' }));
      assert.deepEqual(wrong, { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${id}` });
      const r = await passwordAuth(c, id, 'alice', PASSWORD, secretHash(secret, 'alice', id));
      assert.ok(r.AuthenticationResult?.AccessToken);
      // Over the alias as typed, or over the username it resolves to: both are what clients send.
      await passwordAuth(c, id, 'alice@example.com', PASSWORD, secretHash(secret, 'alice@example.com', id));
      await passwordAuth(c, id, 'alice@example.com', PASSWORD, secretHash(secret, 'alice', id));
      const extra = await failure(passwordAuth(c, open, 'alice', PASSWORD, secretHash('s', 'alice', open)));
      assert.equal(extra.name, 'InvalidParameterException');
    });

    it('REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken issue new ID and access tokens', async () => {
      const first = await passwordAuth(c, open, 'alice', PASSWORD);
      const refreshToken = first.AuthenticationResult?.RefreshToken ?? '';
      for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
        const r = await c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: flow, AuthParameters: { REFRESH_TOKEN: refreshToken } }));
        assert.ok(r.AuthenticationResult?.AccessToken);
        assert.equal(r.AuthenticationResult?.RefreshToken, undefined, 'no rotation: no new refresh token');
        assert.equal(decodeJwt(r.AuthenticationResult?.AccessToken).username, 'alice');
      }
      const admin = await c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: open, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }));
      assert.ok(admin.AuthenticationResult?.IdToken);
      const g = await c.send(new GetTokensFromRefreshTokenCommand({ ClientId: open, RefreshToken: refreshToken }));
      assert.ok(g.AuthenticationResult?.AccessToken);
      const bad = c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'not-a-token' } }));
      assert.equal((await failure(bad)).name, 'NotAuthorizedException');
      const otherClient = c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }));
      assert.equal((await failure(otherClient)).name, 'NotAuthorizedException');
      const missing = c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: {} }));
      assert.equal((await failure(missing)).message, 'Missing required parameter REFRESH_TOKEN');
    });

    it('a client that rotates refresh tokens refreshes with GetTokensFromRefreshToken only', async () => {
      const rotating = (await createClient(c, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } })).id;
      const token = (await passwordAuth(c, rotating, 'alice', PASSWORD)).AuthenticationResult?.RefreshToken ?? '';
      const viaFlow = c.send(new InitiateAuthCommand({ ClientId: rotating, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
      assert.deepEqual(await failure(viaFlow), { name: 'InvalidParameterException', message: 'REFRESH_TOKEN_AUTH flow not enabled for this client' });
      const g = await c.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating, RefreshToken: token }));
      const next = g.AuthenticationResult?.RefreshToken;
      assert.ok(next && next !== token, 'a new refresh token');
      assert.equal((await failure(c.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating, RefreshToken: token })))).name, 'RefreshTokenReuseException');
      assert.ok((await c.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating, RefreshToken: next }))).AuthenticationResult?.AccessToken);
    });

    it('refresh on a client with a secret needs SECRET_HASH over the username, or the ClientSecret', async () => {
      const { id, secret } = confidential;
      const first = await passwordAuth(c, id, 'alice', PASSWORD, secretHash(secret, 'alice', id));
      const token = first.AuthenticationResult?.RefreshToken ?? '';
      const refresh = (extra: Record<string, string>) =>
        c.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token, ...extra } }));
      assert.equal((await failure(refresh({}))).message, `Client ${id} is configured with secret but SECRET_HASH was not received`);
      assert.ok((await refresh(secretHash(secret, 'alice', id))).AuthenticationResult?.AccessToken);
      const noSecret = await failure(c.send(new GetTokensFromRefreshTokenCommand({ ClientId: id, RefreshToken: token })));
      assert.equal(noSecret.name, 'NotAuthorizedException', noSecret.message);
      const wrong = c.send(new GetTokensFromRefreshTokenCommand({ ClientId: id, RefreshToken: token, ClientSecret: 'x'.repeat(51) }));
      assert.equal((await failure(wrong)).name, 'NotAuthorizedException');
      const ok = await c.send(new GetTokensFromRefreshTokenCommand({ ClientId: id, RefreshToken: token, ClientSecret: secret }));
      assert.ok(ok.AuthenticationResult?.IdToken);
    });

    it('refuses disabled, reset and unconfirmed users with Cognito errors', async () => {
      await confirmedUser(c, poolId, 'bob', PASSWORD);
      await c.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bob' }));
      assert.deepEqual(await failure(passwordAuth(c, open, 'bob', PASSWORD)), { name: 'NotAuthorizedException', message: 'User is disabled.' });
      await c.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'bob' }));
      await c.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'bob' }));
      assert.deepEqual(await failure(passwordAuth(c, open, 'bob', PASSWORD)), { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
      await confirmedUser(c, poolId, 'carol', PASSWORD);
      const carol = await t.app.store.users.findByUsername(poolId, 'carol');
      assert.ok(carol);
      await t.app.store.users.updateFields(carol.id, { status: 'UNCONFIRMED' });
      assert.deepEqual(await failure(passwordAuth(c, open, 'carol', PASSWORD)), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
      assert.deepEqual(await failure(passwordAuth(c, open, 'carol', 'Wrong-Passw0rd!')), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    it('a global sign-out revokes the refresh token', async () => {
      await confirmedUser(c, poolId, 'dave', PASSWORD);
      const token = (await passwordAuth(c, open, 'dave', PASSWORD)).AuthenticationResult?.RefreshToken ?? '';
      await c.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'dave' }));
      const r = c.send(new InitiateAuthCommand({ ClientId: open, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
      assert.equal((await failure(r)).name, 'NotAuthorizedException');
    });

    it('locks a user out after 5 failures, growing, and lets them in again after it', async () => {
      await confirmedUser(c, poolId, 'erin', PASSWORD);
      const wrong = () => failure(passwordAuth(c, open, 'erin', 'Wrong-Passw0rd!'));
      const exceeded = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };
      for (let i = 0; i < 5; i++) assert.equal((await wrong()).message, 'Incorrect username or password.');
      // Locked for 1 s: even the right password is refused, and refusals do not extend the lockout.
      assert.deepEqual(await failure(passwordAuth(c, open, 'erin', PASSWORD)), exceeded);
      assert.deepEqual(await wrong(), exceeded);
      clock.advance(1_100);
      assert.equal((await wrong()).message, 'Incorrect username or password.'); // the 6th failure: 2 s
      clock.advance(1_100);
      assert.deepEqual(await failure(passwordAuth(c, open, 'erin', PASSWORD)), exceeded);
      clock.advance(1_000);
      assert.ok((await passwordAuth(c, open, 'erin', PASSWORD)).AuthenticationResult, 'let in after the lockout');
      // The success reset the count: four more failures do not lock.
      for (let i = 0; i < 4; i++) await wrong();
      assert.ok((await passwordAuth(c, open, 'erin', PASSWORD)).AuthenticationResult);
    });

    it('the lockout grows to about 15 minutes and is forgotten after 15 quiet minutes', async () => {
      await confirmedUser(c, poolId, 'frank', PASSWORD);
      const wrong = () => failure(passwordAuth(c, open, 'frank', 'Wrong-Passw0rd!'));
      try {
        for (let n = 1; n <= 14; n++) {
          assert.equal((await wrong()).message, 'Incorrect username or password.', `failure ${n}`);
          if (n >= 5) clock.advance(2 ** (n - 5) * 1000 + 10); // 1 s, 2 s, ... 512 s
        }
        // The 15th failure: 2^10 s would be 1024 s; the lockout stops at 15 minutes.
        assert.equal((await wrong()).message, 'Incorrect username or password.');
        clock.advance(899_000);
        assert.equal((await failure(passwordAuth(c, open, 'frank', PASSWORD))).message, 'Password attempts exceeded');
        clock.advance(1_100);
        // 15 quiet minutes since the last failure: the count starts again, so 4 failures do not lock.
        for (let i = 0; i < 4; i++) await wrong();
        assert.ok((await passwordAuth(c, open, 'frank', PASSWORD)).AuthenticationResult);
      } finally {
        clock.reset(); // signed (admin) requests are checked against this clock
      }
    });

    it('the lockout is per user and shared through the store', async () => {
      await confirmedUser(c, poolId, 'gina', PASSWORD);
      const user = await t.app.store.users.findByUsername(poolId, 'gina');
      assert.ok(user);
      const now = clock.now().getTime();
      for (let i = 0; i < 5; i++) await t.app.store.signIn.recordFailure(user.id, now, 900_000);
      await t.app.store.signIn.lockUntil(user.id, now + 60_000);
      assert.equal((await failure(passwordAuth(c, open, 'gina', PASSWORD))).message, 'Password attempts exceeded');
      assert.ok((await passwordAuth(c, open, 'alice', PASSWORD)).AuthenticationResult, 'others are not locked');
    });
  });
}
