/**
 * Choice-based sign-in (AuthFlow USER_AUTH) through the AWS SDK v3 on a real server: SELECT_CHALLENGE with
 * AvailableChallenges, PREFERRED_CHALLENGE, the first factors PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP and
 * WEB_AUTHN (a software authenticator), GetUserAuthFactors / AdminGetUserAuthFactors, and the errors, on
 * every store dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserAuthFactorsCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CompleteWebAuthnRegistrationCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordVerifierResponses, srpClient } from './helpers/cognito-srp-client.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { ALL_FLOWS, confirmedUser, createClient, createPool, failure } from './helpers/sign-in.js';
import { SoftAuthenticator } from './helpers/webauthn-authenticator.js';

const PASSWORD = 'Corr3ct-Horse!';
const ORIGIN = 'http://localhost:8080';

function record(v: unknown): Record<string, unknown> {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');
  return Object.fromEntries(Object.entries(v));
}

for (const kind of storeKinds()) {
  describe(`USER_AUTH choice-based sign-in (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;

    const userAuth = (username: string, extra: Record<string, string> = {}): Promise<InitiateAuthCommandOutput> =>
      c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, ...extra } }));
    const respond = (name: 'SELECT_CHALLENGE' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN' | 'PASSWORD_VERIFIER', session: string | undefined, responses: Record<string, string>) =>
      c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: name, Session: session, ChallengeResponses: responses }));

    /** The code in the newest message to `destination`. */
    async function lastCode(destination: string): Promise<string> {
      const msgs = await t.app.store.messages.list({ poolId, destination, limit: 1000 });
      const body = msgs[msgs.length - 1]?.body ?? '';
      const code = /\d{6}/.exec(body)?.[0];
      assert.ok(code, `a code was sent to ${destination}`);
      return code;
    }

    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      poolId = await createPool(c, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP'] } } });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
      clientId = (await createClient(c, poolId, { ExplicitAuthFlows: [...ALL_FLOWS, 'ALLOW_USER_AUTH'] })).id;
      await confirmedUser(c, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true', phone_number: '+15555550100', phone_number_verified: 'true' });
      await confirmedUser(c, poolId, 'bob', PASSWORD, { email: 'bob@example.com' });
    });
    after(() => t.close());

    it('offers SELECT_CHALLENGE with the factors this user can use', async () => {
      const a = await userAuth('alice');
      assert.equal(a.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(a.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
      assert.ok(a.Session);
      const b = await userAuth('bob');
      assert.deepEqual(b.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP'], 'an unverified email is no sign-in factor');
      const factors = await c.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
      assert.equal(factors.Username, 'alice');
      const missing = await failure(c.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'nobody' })));
      assert.equal(missing.name, 'UserNotFoundException');
    });

    it('signs in with an emailed code chosen in SELECT_CHALLENGE; a wrong code is CodeMismatchException', async () => {
      const a = await userAuth('alice');
      const sent = await respond('SELECT_CHALLENGE', a.Session, { USERNAME: 'alice', ANSWER: 'EMAIL_OTP' });
      assert.equal(sent.ChallengeName, 'EMAIL_OTP');
      assert.equal(sent.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
      assert.equal(sent.ChallengeParameters?.CODE_DELIVERY_DESTINATION, 'a***@e***');
      const code = await lastCode('alice@example.com');
      const wrong = await failure(respond('EMAIL_OTP', sent.Session, { USERNAME: 'alice', EMAIL_OTP_CODE: code === '000000' ? '111111' : '000000' }));
      assert.equal(wrong.name, 'CodeMismatchException');
      const ok = await respond('EMAIL_OTP', sent.Session, { USERNAME: 'alice', EMAIL_OTP_CODE: code });
      assert.ok(ok.AuthenticationResult?.AccessToken, 'the same Session works after a wrong code');
      const again = await failure(respond('EMAIL_OTP', sent.Session, { USERNAME: 'alice', EMAIL_OTP_CODE: code }));
      assert.equal(again.name, 'NotAuthorizedException', 'a code and its Session work once');
      const reuse = await failure(respond('SELECT_CHALLENGE', a.Session, { USERNAME: 'alice', ANSWER: 'EMAIL_OTP' }));
      assert.equal(reuse.name, 'NotAuthorizedException', 'a SELECT_CHALLENGE Session works once');
    });

    it('goes straight to SMS_OTP, PASSWORD and PASSWORD_SRP with PREFERRED_CHALLENGE', async () => {
      const sms = await userAuth('alice', { PREFERRED_CHALLENGE: 'SMS_OTP' });
      assert.equal(sms.ChallengeName, 'SMS_OTP');
      const ok = await respond('SMS_OTP', sms.Session, { USERNAME: 'alice', SMS_OTP_CODE: await lastCode('+15555550100') });
      assert.ok(ok.AuthenticationResult?.IdToken);
      const pw = await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
      assert.ok(pw.AuthenticationResult?.AccessToken);
      const bad = await failure(userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'wrong-Passw0rd!' }));
      assert.equal(bad.name, 'NotAuthorizedException');
      const poolName = poolId.slice(poolId.indexOf('_') + 1);
      const srp = srpClient(poolName);
      const first = await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.A });
      assert.equal(first.ChallengeName, 'PASSWORD_VERIFIER');
      const responses = await passwordVerifierResponses(srp, poolName, first.ChallengeParameters ?? {}, PASSWORD);
      const done = await respond('PASSWORD_VERIFIER', first.Session, responses);
      assert.ok(done.AuthenticationResult?.AccessToken);
      const selected = await userAuth('alice');
      const viaSelect = await respond('SELECT_CHALLENGE', selected.Session, { USERNAME: 'alice', ANSWER: 'PASSWORD', PASSWORD });
      assert.ok(viaSelect.AuthenticationResult?.AccessToken, 'SELECT_CHALLENGE with ANSWER PASSWORD and PASSWORD');
    });

    it('signs in with a passkey: WEB_AUTHN with CREDENTIAL_REQUEST_OPTIONS, CREDENTIAL answer, counter checked', async () => {
      const token = (await userAuth('alice', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult?.AccessToken ?? '';
      const key = new SoftAuthenticator(ORIGIN);
      const start = await c.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
      await c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: key.create(record(start.CredentialCreationOptions)) }));
      const own = await c.send(new GetUserAuthFactorsCommand({ AccessToken: token }));
      assert.deepEqual(own.ConfiguredUserAuthFactors, ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP']);

      const ask = await userAuth('alice', { PREFERRED_CHALLENGE: 'WEB_AUTHN' });
      assert.equal(ask.ChallengeName, 'WEB_AUTHN');
      const options = record(JSON.parse(ask.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}'));
      assert.equal(options.rpId, 'localhost');
      const signed = await respond('WEB_AUTHN', ask.Session, { USERNAME: 'alice', CREDENTIAL: JSON.stringify(key.get(options)) });
      assert.ok(signed.AuthenticationResult?.AccessToken);

      const ask2 = await userAuth('alice', { PREFERRED_CHALLENGE: 'WEB_AUTHN' });
      const options2 = record(JSON.parse(ask2.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}'));
      const replayed = await failure(respond('WEB_AUTHN', ask2.Session, { USERNAME: 'alice', CREDENTIAL: JSON.stringify(key.get(options2, { counter: 1 })) }));
      assert.equal(replayed.name, 'NotAuthorizedException', 'a counter that did not move forward');
      const ask3 = await userAuth('alice', { PREFERRED_CHALLENGE: 'WEB_AUTHN' });
      const options3 = record(JSON.parse(ask3.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}'));
      const stranger = new SoftAuthenticator(ORIGIN);
      const unknown = await failure(respond('WEB_AUTHN', ask3.Session, { USERNAME: 'alice', CREDENTIAL: JSON.stringify(stranger.get(options3)) }));
      assert.equal(unknown.name, 'NotAuthorizedException', 'an unknown credential');
      const sel = await userAuth('alice');
      assert.deepEqual(sel.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP']);
    });

    it('works through AdminInitiateAuth and AdminRespondToAuthChallenge too', async () => {
      const first = await c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'alice' } }));
      assert.equal(first.ChallengeName, 'SELECT_CHALLENGE');
      assert.ok(first.AvailableChallenges?.includes('EMAIL_OTP'));
      const done = await c.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'SELECT_CHALLENGE',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'alice', ANSWER: 'PASSWORD', PASSWORD },
        }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      const bad = await failure(c.send(new GetUserAuthFactorsCommand({ AccessToken: 'not-a-token' })));
      assert.equal(bad.name, 'NotAuthorizedException');
    });

    it('hides unknown users on a client with PreventUserExistenceErrors', async () => {
      const hiding = (await createClient(c, poolId, { ExplicitAuthFlows: [...ALL_FLOWS, 'ALLOW_USER_AUTH'], PreventUserExistenceErrors: 'ENABLED' })).id;
      const ask = (username: string) => c.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username } }));
      const answer = (username: string, session: string | undefined) =>
        failure(
          c.send(
            new RespondToAuthChallengeCommand({ ClientId: hiding, ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD: 'wrong-Passw0rd!' } }),
          ),
        );
      const ghost = await ask('nobody');
      assert.equal(ghost.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(ghost.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
      const real = await ask('bob');
      assert.deepEqual(await answer('nobody', ghost.Session), await answer('bob', real.Session), 'the same answer for a user who does not exist');
    });

    it('refuses the flow on a client without ALLOW_USER_AUTH, unknown users, and unavailable answers', async () => {
      const plain = (await createClient(c, poolId)).id;
      const off = await failure(c.send(new InitiateAuthCommand({ ClientId: plain, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'alice' } })));
      assert.deepEqual(off, { name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
      const adminOff = await failure(c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: plain, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'alice' } })));
      assert.equal(adminOff.name, 'InvalidParameterException');
      const nobody = await failure(userAuth('nobody'));
      assert.equal(nobody.name, 'UserNotFoundException');
      const b = await userAuth('bob', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      assert.equal(b.ChallengeName, 'SELECT_CHALLENGE', 'a preferred factor the user cannot use falls back to the choice');
      const notOffered = await failure(respond('SELECT_CHALLENGE', b.Session, { USERNAME: 'bob', ANSWER: 'EMAIL_OTP' }));
      assert.equal(notOffered.name, 'InvalidParameterException');
      const bogus = await failure(userAuth('alice', { PREFERRED_CHALLENGE: 'SOFTWARE_TOKEN_MFA' }));
      assert.equal(bogus.name, 'InvalidParameterException');
      const a = await userAuth('alice');
      const otherUser = await failure(respond('SELECT_CHALLENGE', a.Session, { USERNAME: 'bob', ANSWER: 'PASSWORD', PASSWORD }));
      assert.equal(otherUser.name, 'NotAuthorizedException', "a Session is its user's");
    });
  });
}
