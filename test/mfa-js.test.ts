/**
 * MFA through amazon-cognito-identity-js as an application drives it, on every store dialect: a software
 * token set up after sign-in (associateSoftwareToken / verifySoftwareToken) and used to sign in (a wrong code
 * refused, the right one accepted), SMS MFA turned on with enableMFA and answered with the code from the
 * outbox, SELECT_MFA_TYPE, and MFA_SETUP during sign-in in a pool that requires MFA. (Email MFA is covered
 * by test/mfa.test.ts: this version of amazon-cognito-identity-js has no EMAIL_OTP callback.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SetUserPoolMfaConfigCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type IAuthenticationCallback } from 'amazon-cognito-identity-js';
import { sentCode, totpCode, wrongCode } from './helpers/mfa.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, TestClock } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';

/** Where a step of amazon-cognito-identity-js's sign-in ended: tokens, or which challenge callback fired. */
type Outcome =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'totpRequired' | 'mfaRequired' | 'selectMFAType' | 'mfaSetup'; params: Record<string, string> }
  | { kind: 'failure'; error: { name?: string; code?: string; message?: string } };

function callbacks(resolve: (o: Outcome) => void): IAuthenticationCallback {
  const params = (p: unknown): Record<string, string> => (typeof p === 'object' && p !== null ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) : {});
  return {
    onSuccess: (session) => resolve({ kind: 'success', session }),
    onFailure: (error: { name?: string; code?: string; message?: string }) => resolve({ kind: 'failure', error }),
    totpRequired: (_n, p) => resolve({ kind: 'totpRequired', params: params(p) }),
    mfaRequired: (_n, p) => resolve({ kind: 'mfaRequired', params: params(p) }),
    selectMFAType: (_n, p) => resolve({ kind: 'selectMFAType', params: params(p) }),
    mfaSetup: (_n, p) => resolve({ kind: 'mfaSetup', params: params(p) }),
  };
}

const signIn = (user: CognitoUser, password: string): Promise<Outcome> =>
  new Promise((resolve) => user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), callbacks(resolve)));
const sendCode = (user: CognitoUser, code: string, type: 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA'): Promise<Outcome> =>
  new Promise((resolve) => user.sendMFACode(code, callbacks(resolve), type));
const selectType = (user: CognitoUser, answer: string): Promise<Outcome> =>
  new Promise((resolve) => user.sendMFASelectionAnswer(answer, { ...callbacks(resolve), onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }) }));
const associate = (user: CognitoUser): Promise<string> =>
  new Promise((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
const verify = (user: CognitoUser, code: string): Promise<unknown> =>
  new Promise((resolve, reject) => user.verifySoftwareToken(code, 'phone', { onSuccess: resolve, onFailure: reject }));

/** The challenge callback that fired must be `kind`; its ChallengeParameters. */
function expectKind(o: Outcome, kind: 'totpRequired' | 'mfaRequired' | 'selectMFAType' | 'mfaSetup'): { params: Record<string, string> } {
  assert.ok(o.kind === kind, `expected ${kind}, got ${JSON.stringify(o)}`);
  return o;
}

function expectSuccess(o: Outcome): { session: CognitoUserSession } {
  assert.ok(o.kind === 'success', `expected tokens, got ${JSON.stringify(o)}`);
  return o;
}

function expectFailure(o: Outcome): { error: { code?: string } } {
  assert.ok(o.kind === 'failure', `expected a failure, got ${JSON.stringify(o)}`);
  return o;
}

for (const kind of storeKinds()) {
  describe(`MFA with amazon-cognito-identity-js (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let pool: CognitoUserPool;
    const now = () => clock.now().getTime();
    const userFor = (name: string, p = pool) => new CognitoUser({ Username: name, Pool: p });

    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock } });
      c = t.client();
      poolId = await createPool(c);
      await c.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' } },
        }),
      );
      pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: (await createClient(c, poolId)).id, endpoint: t.endpoint });
    });
    after(() => t.close());

    it('TOTP: set up after sign-in, then a wrong code is refused and the right one signs in', async () => {
      await confirmedUser(c, poolId, 'tina', PASSWORD);
      const user = userFor('tina');
      expectSuccess(await signIn(user, PASSWORD));
      const secret = await associate(user);
      await assert.rejects(verify(user, wrongCode(totpCode(secret, now()))), { code: 'EnableSoftwareTokenMFAException' });
      await verify(user, totpCode(secret, now()));
      await new Promise<void>((resolve, reject) =>
        user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err) => (err ? reject(err) : resolve())),
      );
      const data = await new Promise<{ PreferredMfaSetting?: string; UserMFASettingList?: string[] }>((resolve, reject) =>
        user.getUserData((err, d) => (err || !d ? reject(err ?? new Error('no data')) : resolve(d)), { bypassCache: true }),
      );
      assert.equal(data.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(data.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      clock.advance(30_000);

      const again = userFor('tina');
      expectKind(await signIn(again, PASSWORD), 'totpRequired');
      const right = totpCode(secret, now());
      const wrong = expectFailure(await sendCode(again, wrongCode(right), 'SOFTWARE_TOKEN_MFA'));
      assert.equal(wrong.error.code, 'CodeMismatchException');
      const ok = expectSuccess(await sendCode(again, right, 'SOFTWARE_TOKEN_MFA'));
      assert.equal(ok.session.getIdToken().decodePayload()['cognito:username'], 'tina');
      clock.advance(30_000);
    });

    it('SMS MFA: enableMFA, then the code from the outbox signs in', async () => {
      await confirmedUser(c, poolId, 'sam', PASSWORD, { phone_number: '+15550001234' });
      const user = userFor('sam');
      expectSuccess(await signIn(user, PASSWORD));
      await new Promise<void>((resolve, reject) => user.enableMFA((err) => (err ? reject(err) : resolve())));
      const again = userFor('sam');
      const asked = expectKind(await signIn(again, PASSWORD), 'mfaRequired');
      assert.equal(asked.params.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
      assert.equal(asked.params.CODE_DELIVERY_DESTINATION, '+*******1234');
      const { code, body } = await sentCode(t, poolId, '+15550001234');
      assert.equal(body, `Your authentication code is ${code}. `);
      assert.equal(expectFailure(await sendCode(again, wrongCode(code), 'SMS_MFA')).error.code, 'CodeMismatchException');
      expectSuccess(await sendCode(again, code, 'SMS_MFA'));
    });

    it('SELECT_MFA_TYPE: a user with SMS and TOTP and no preference chooses', async () => {
      await confirmedUser(c, poolId, 'sel', PASSWORD, { phone_number: '+15550005678' });
      const user = userFor('sel');
      expectSuccess(await signIn(user, PASSWORD));
      const secret = await associate(user);
      await verify(user, totpCode(secret, now()));
      await new Promise<void>((resolve, reject) => user.enableMFA((err) => (err ? reject(err) : resolve())));
      clock.advance(30_000);
      const again = userFor('sel');
      const choose = expectKind(await signIn(again, PASSWORD), 'selectMFAType');
      assert.deepEqual(JSON.parse(choose.params.MFAS_CAN_CHOOSE ?? '[]'), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
      expectKind(await selectType(again, 'SOFTWARE_TOKEN_MFA'), 'totpRequired');
      expectSuccess(await sendCode(again, totpCode(secret, now()), 'SOFTWARE_TOKEN_MFA'));
      clock.advance(30_000);
    });

    it('MFA_SETUP during sign-in in a pool that requires MFA', async () => {
      const onPool = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: onPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const p = new CognitoUserPool({ UserPoolId: onPool, ClientId: (await createClient(c, onPool)).id, endpoint: t.endpoint });
      await confirmedUser(c, onPool, 'newbie', PASSWORD);
      const user = userFor('newbie', p);
      const setup = expectKind(await signIn(user, PASSWORD), 'mfaSetup');
      assert.deepEqual(JSON.parse(setup.params.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA']);
      const secret = await associate(user);
      await assert.rejects(verify(user, wrongCode(totpCode(secret, now()))), { code: 'EnableSoftwareTokenMFAException' });
      const session = await verify(user, totpCode(secret, now()));
      assert.ok(user.getSignInUserSession()?.isValid(), `signed in after MFA_SETUP: ${JSON.stringify(session)}`);
      clock.advance(30_000);
      const again = userFor('newbie', p);
      expectKind(await signIn(again, PASSWORD), 'totpRequired');
      expectSuccess(await sendCode(again, totpCode(secret, now()), 'SOFTWARE_TOKEN_MFA'));
    });
  });
}
