import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  type EventFilterType,
} from '@aws-sdk/client-cognito-identity-provider';
import { isBreachedPassword } from '../src/services/risk-compromised.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure } from './helpers/sign-in.js';

const BREACHED = 'P@ssw0rd'; // meets the default policy; "p@ssw0rd" is on the list
const GOOD = 'Vx7#quorum-Lantern';
const REFUSED = { name: 'InvalidPasswordException', message: 'Provided password cannot be used for security reasons.' };

describe('breached-password list', () => {
  it('knows well-known breached passwords, without regard to case, and not a random one', () => {
    for (const p of ['123456', 'password', 'P@ssw0rd', 'Password1', 'qwertyuiop']) assert.equal(isBreachedPassword(p), true, p);
    assert.equal(isBreachedPassword(GOOD), false);
  });
});

for (const kind of storeKinds()) {
  describe(`compromised credentials (${kind})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTessera({ store: kind });
    });
    after(() => t.close());

    const pool = async (mode: 'AUDIT' | 'ENFORCED', events?: EventFilterType[]) => {
      const c = t.client();
      const poolId = await createPool(c, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode }, AutoVerifiedAttributes: ['email'] });
      await c.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          CompromisedCredentialsRiskConfiguration: { ...(events ? { EventFilter: events } : {}), Actions: { EventAction: 'BLOCK' } },
        }),
      );
      const client = await createClient(c, poolId);
      return { poolId, clientId: client.id };
    };
    const signUp = (clientId: string, username: string, password: string) =>
      t.client().send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));

    it('refuses a breached password at sign-up and writes nothing; a good one signs up', async () => {
      const { poolId, clientId } = await pool('ENFORCED');
      assert.deepEqual(await failure(signUp(clientId, 'alice', BREACHED)), REFUSED);
      assert.equal(await t.app.store.users.findByUsername(poolId, 'alice'), undefined);
      const ok = await signUp(clientId, 'alice', GOOD);
      assert.equal(ok.UserConfirmed, false);
      const signedUp = (await t.client().send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'alice' }))).AuthEvents ?? [];
      assert.deepEqual(
        signedUp.map((e) => [e.EventType, e.EventResponse, e.EventRisk?.CompromisedCredentialsDetected]),
        [['SignUp', 'Pass', false]],
      );
    });

    it('lets it through in AUDIT mode and when SIGN_UP is not in the EventFilter', async () => {
      const audit = await pool('AUDIT');
      assert.equal((await signUp(audit.clientId, 'bob', BREACHED)).UserConfirmed, false);
      const filtered = await pool('ENFORCED', ['SIGN_IN', 'PASSWORD_CHANGE']);
      assert.equal((await signUp(filtered.clientId, 'carol', BREACHED)).UserConfirmed, false);
    });

    it('refuses a breached password at ChangePassword and ConfirmForgotPassword', async () => {
      const c = t.client();
      const { poolId, clientId } = await pool('ENFORCED');
      await confirmedUser(c, poolId, 'dave', GOOD, { email: 'dave@example.com', email_verified: 'true' });
      const auth = await c.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dave', PASSWORD: GOOD } }),
      );
      const accessToken = auth.AuthenticationResult?.AccessToken ?? '';
      assert.deepEqual(await failure(c.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: GOOD, ProposedPassword: BREACHED }))), REFUSED);
      await c.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'dave' }));
      const msgs = await t.app.store.messages.list({ poolId, destination: 'dave@example.com', limit: 100 });
      const code = /\b(\d{6})\b/.exec(msgs[msgs.length - 1]?.body ?? '')?.[1] ?? '';
      assert.notEqual(code, '');
      const confirm = (password: string) => c.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'dave', ConfirmationCode: code, Password: password }));
      assert.deepEqual(await failure(confirm(BREACHED)), REFUSED);
      await confirm('Another#Good-Passphrase9'); // the code was not spent by the refused attempt
      const history = (await c.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'dave' }))).AuthEvents ?? [];
      assert.deepEqual(
        history.filter((e) => e.EventType !== 'SignIn').map((e) => [e.EventType, e.EventResponse, e.EventRisk?.CompromisedCredentialsDetected]),
        [
          ['PasswordChange', 'Pass', false],
          ['PasswordChange', 'Fail', true],
          ['ForgotPassword', 'Pass', false],
          ['PasswordChange', 'Fail', true],
        ],
        'newest first: the refused change, the reset request, the refused reset, the reset',
      );
    });

    it('at sign-in with the password (not SRP): BLOCK sets RESET_REQUIRED and refuses; NO_ACTION lets it through and records the finding', async () => {
      const c = t.client();
      for (const action of ['BLOCK', 'NO_ACTION'] as const) {
        const poolId = await createPool(c, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
        await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], Actions: { EventAction: action } } }));
        const { id: clientId } = await createClient(c, poolId);
        await confirmedUser(c, poolId, 'frank', BREACHED);
        const signIn = c.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'frank', PASSWORD: BREACHED } }),
        );
        const user = () => c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'frank' }));
        const latest = async () => (await c.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'frank' }))).AuthEvents?.[0];
        if (action === 'BLOCK') {
          assert.deepEqual(await failure(signIn), { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
          assert.equal((await user()).UserStatus, 'RESET_REQUIRED');
          assert.deepEqual((await latest())?.EventRisk, { RiskDecision: 'Block', CompromisedCredentialsDetected: true });
        } else {
          assert.ok((await signIn).AuthenticationResult?.AccessToken);
          assert.equal((await user()).UserStatus, 'CONFIRMED');
          assert.equal((await latest())?.EventRisk?.CompromisedCredentialsDetected, true);
        }
      }
    });
  });
}
