import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

/**
 * A user's whole account lifecycle through amazon-cognito-identity-js, the library behind Amplify's Cognito
 * support, talking to Tessera as it would to Cognito: sign up, confirm with the emailed code, SRP sign-in,
 * refresh, change password, forgot password, global sign-out, and refresh refused after it.
 */

const PASSWORD = 'First-Password-1';

function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : String(e);
}
function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const signUp = (pool: CognitoUserPool, username: string, password: string, email: string) =>
  new Promise<ISignUpResult>((resolve, reject) =>
    pool.signUp(username, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (err, result) => (err || !result ? reject(err) : resolve(result))),
  );
const confirm = (user: CognitoUser, code: string) =>
  new Promise<void>((resolve, reject) => user.confirmRegistration(code, true, (err) => (err ? reject(err) : resolve())));
const signIn = (user: CognitoUser, password: string) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), { onSuccess: resolve, onFailure: reject }),
  );
const refresh = (user: CognitoUser, session: CognitoUserSession) =>
  new Promise<CognitoUserSession>((resolve, reject) => user.refreshSession(session.getRefreshToken(), (err, s: CognitoUserSession) => (err ? reject(err) : resolve(s))));
const changePassword = (user: CognitoUser, from: string, to: string) =>
  new Promise<void>((resolve, reject) => user.changePassword(from, to, (err) => (err ? reject(err) : resolve())));
const forgotPassword = (user: CognitoUser) =>
  new Promise<unknown>((resolve, reject) => user.forgotPassword({ onSuccess: resolve, onFailure: reject, inputVerificationCode: resolve }));
const confirmPassword = (user: CognitoUser, code: string, password: string) =>
  new Promise<void>((resolve, reject) => user.confirmPassword(code, password, { onSuccess: () => resolve(), onFailure: reject }));
const attributes = (user: CognitoUser) =>
  new Promise<Record<string, string>>((resolve, reject) =>
    user.getUserAttributes((err, list) => (err || !list ? reject(err) : resolve(Object.fromEntries(list.map((a) => [a.getName(), a.getValue()]))))),
  );
const globalSignOut = (user: CognitoUser) =>
  new Promise<void>((resolve, reject) => user.globalSignOut({ onSuccess: () => resolve(), onFailure: reject }));

for (const kind of storeKinds()) {
  describe(`account lifecycle with amazon-cognito-identity-js (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
    });
    after(() => t.close());

    const latestCode = async (poolId: string, destination: string): Promise<string> => {
      const msgs = await t.app.store.messages.list({ poolId, destination, limit: 1000 });
      const m = /\b(\d{6})\b/.exec(msgs[msgs.length - 1]?.body ?? '');
      assert.ok(m, `no code for ${destination}`);
      return m[1] ?? '';
    };

    it('sign up, confirm, SRP sign-in, refresh, change and forgot password, global sign-out', async () => {
      const created = await c.send(new CreateUserPoolCommand({ PoolName: 'lifecycle', AutoVerifiedAttributes: ['email'] }));
      const poolId = created.UserPool?.Id ?? '';
      const app = await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'spa' }));
      const clientId = app.UserPoolClient?.ClientId ?? '';
      const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${t.endpoint}/` });

      const su = await signUp(pool, 'kim', PASSWORD, 'kim@example.com');
      assert.equal(su.userConfirmed, false);
      assert.equal(su.codeDeliveryDetails.DeliveryMedium, 'EMAIL');
      const user = new CognitoUser({ Username: 'kim', Pool: pool });
      await assert.rejects(signIn(user, PASSWORD), (e) => errorCode(e) === 'UserNotConfirmedException');
      await confirm(user, await latestCode(poolId, 'kim@example.com'));

      await assert.rejects(signIn(new CognitoUser({ Username: 'kim', Pool: pool }), 'Wrong-Password-1'), (e) => errorCode(e) === 'NotAuthorizedException');
      const session = await signIn(user, PASSWORD);
      assert.ok(session.isValid());
      const verifier = JwtRsaVerifier.create(
        { issuer: `${t.app.config.publicUrl}/${poolId}`, audience: clientId, jwksUri: `${t.endpoint}/${poolId}/.well-known/jwks.json` },
        { jwksCache: new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } }) },
      );
      const id = await verifier.verify(session.getIdToken().getJwtToken());
      assert.equal(id.token_use, 'id');
      assert.equal(id['cognito:username'], 'kim');
      assert.equal(id.email_verified, true);
      assert.equal((await attributes(user)).email, 'kim@example.com');

      const renewed = await refresh(user, session);
      assert.equal(renewed.getAccessToken().decodePayload().origin_jti, session.getAccessToken().decodePayload().origin_jti);

      await changePassword(user, PASSWORD, 'Second-Password-2');
      await assert.rejects(signIn(new CognitoUser({ Username: 'kim', Pool: pool }), PASSWORD), (e) => errorCode(e) === 'NotAuthorizedException');
      await signIn(new CognitoUser({ Username: 'kim', Pool: pool }), 'Second-Password-2');

      const forgetful = new CognitoUser({ Username: 'kim', Pool: pool });
      await forgotPassword(forgetful);
      await confirmPassword(forgetful, await latestCode(poolId, 'kim@example.com'), 'Third-Password-3');
      const last = await signIn(forgetful, 'Third-Password-3');

      await globalSignOut(forgetful);
      await assert.rejects(refresh(forgetful, last), (e) => errorCode(e) === 'NotAuthorizedException' && errorMessage(e) === 'Refresh Token has been revoked');
      await assert.rejects(refresh(user, renewed), (e) => errorMessage(e) === 'Refresh Token has been revoked');
    });
  });
}
