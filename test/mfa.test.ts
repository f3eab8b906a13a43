/**
 * A user's MFA through the AWS SDK v3 on a real server, on every store dialect: preferences and legacy
 * settings (and how GetUser/AdminGetUser show them), the software token with an access token, and the
 * MFA challenges after the password: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { sentCode, totpCode, wrongCode } from './helpers/mfa.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure, passwordAuth, TestClock } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';
/** Cognito sends MFA email only through Amazon SES (EmailSendingAccount DEVELOPER). */
const SES_EMAIL = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com', From: 'no-reply@example.com' };
const SMS = { SmsAuthenticationMessage: 'Tessera code {####}', SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' } };

for (const kind of storeKinds()) {
  describe(`user MFA and MFA challenges (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let app: string;
    let n = 0;

    /** A confirmed user with a phone number and an email address; returns the name and an access token. */
    async function newUser(attrs: Record<string, string> = {}): Promise<{ name: string; access: string }> {
      const name = `user${++n}`;
      await confirmedUser(c, poolId, name, PASSWORD, { phone_number: `+1555000${String(n).padStart(4, '0')}`, email: `${name}@example.com`, ...attrs });
      const r = await passwordAuth(c, app, name, PASSWORD);
      return { name, access: r.AuthenticationResult?.AccessToken ?? '' };
    }

    /** Associates and verifies a software token with the access token; returns the secret. */
    async function addTotp(access: string): Promise<string> {
      const a = await c.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
      assert.ok(a.SecretCode && a.SecretCode.length >= 16);
      assert.equal(a.Session, undefined);
      const v = await c.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totpCode(a.SecretCode, clock.now().getTime()), FriendlyDeviceName: 'phone' }));
      assert.equal(v.Status, 'SUCCESS');
      clock.advance(30_000); // the next code is a new time step (a code works once)
      return a.SecretCode;
    }

    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock } });
      c = t.client();
      poolId = await createPool(c, { EmailConfiguration: SES_EMAIL });
      await c.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'OPTIONAL',
          SoftwareTokenMfaConfiguration: { Enabled: true },
          SmsMfaConfiguration: SMS,
          EmailMfaConfiguration: { Message: 'Email code {####}', Subject: 'Your sign-in code' },
        }),
      );
      app = (await createClient(c, poolId)).id;
    });
    after(() => t.close());

    it('SetUserMFAPreference and AdminSetUserMFAPreference show in GetUser and AdminGetUser', async () => {
      const u = await newUser();
      const none = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.name }));
      assert.equal(none.UserMFASettingList, undefined);
      assert.equal(none.PreferredMfaSetting, undefined);
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: u.access, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const self = await c.send(new GetUserCommand({ AccessToken: u.access }));
      assert.deepEqual(self.UserMFASettingList, ['SMS_MFA']);
      assert.equal(self.PreferredMfaSetting, 'SMS_MFA');
      assert.deepEqual(self.MFAOptions, [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
      await c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: u.name, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const admin = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.name }));
      assert.deepEqual(admin.UserMFASettingList, ['SMS_MFA', 'EMAIL_OTP']);
      assert.equal(admin.PreferredMfaSetting, 'EMAIL_OTP');
      await c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: u.name, EmailMfaSettings: { Enabled: false }, SMSMfaSettings: { Enabled: false } }));
      const off = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.name }));
      assert.equal(off.UserMFASettingList, undefined);
      assert.equal(off.PreferredMfaSetting, undefined);
    });

    it('MFA preferences refuse factors the user cannot use', async () => {
      const u = await newUser();
      assert.deepEqual(await failure(c.send(new SetUserMFAPreferenceCommand({ AccessToken: u.access, SoftwareTokenMfaSettings: { Enabled: true } }))), {
        name: 'InvalidParameterException',
        message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
      });
      await confirmedUser(c, poolId, 'nophone', PASSWORD);
      assert.deepEqual(await failure(c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'nophone', SMSMfaSettings: { Enabled: true } }))), {
        name: 'InvalidParameterException',
        message: 'User does not have delivery config set to turn on SMS_MFA',
      });
      assert.equal((await failure(c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'ghost', SMSMfaSettings: { Enabled: true } })))).name, 'UserNotFoundException');
      assert.equal((await failure(c.send(new SetUserMFAPreferenceCommand({ AccessToken: 'x.y.z', SMSMfaSettings: { Enabled: true } })))).name, 'NotAuthorizedException');
    });

    it('MFA preferences refuse factors the pool does not offer; VerifySoftwareToken without a token to verify', async () => {
      const totpOnly = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: totpOnly, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      await confirmedUser(c, totpOnly, 'amy', PASSWORD, { phone_number: '+15550009999', email: 'amy@example.com' });
      const refused = (f: string) => ({ name: 'InvalidParameterException', message: `User does not have delivery config set to turn on ${f}` });
      const set = (input: Record<string, { Enabled: boolean }>) => c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: totpOnly, Username: 'amy', ...input }));
      assert.deepEqual(await failure(set({ SMSMfaSettings: { Enabled: true } })), refused('SMS_MFA'));
      assert.deepEqual(await failure(set({ EmailMfaSettings: { Enabled: true } })), refused('EMAIL_OTP'));
      assert.deepEqual(await failure(c.send(new AdminSetUserSettingsCommand({ UserPoolId: totpOnly, Username: 'amy', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }))), refused('SMS_MFA'));
      await set({ SMSMfaSettings: { Enabled: false } }); // turning off is always allowed
      const smsOnly = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: smsOnly, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: SMS }));
      const smsApp = (await createClient(c, smsOnly)).id;
      await confirmedUser(c, smsOnly, 'bea', PASSWORD);
      const access = (await passwordAuth(c, smsApp, 'bea', PASSWORD)).AuthenticationResult?.AccessToken ?? '';
      assert.deepEqual(await failure(c.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true } }))), refused('SOFTWARE_TOKEN_MFA'));
      assert.deepEqual(await failure(c.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: '123456' }))), {
        name: 'SoftwareTokenMFANotFoundException',
        message: 'Software Token MFA does not exist for the user.',
      });
    });

    it('concurrent preference updates add up (compare-and-set): none undoes another', async () => {
      for (let i = 0; i < 6; i++) {
        const u = await newUser();
        const set = (input: Record<string, { Enabled: boolean }>) => c.send(new SetUserMFAPreferenceCommand({ AccessToken: u.access, ...input }));
        await Promise.all([set({ SMSMfaSettings: { Enabled: true } }), set({ EmailMfaSettings: { Enabled: true } }), set({ SMSMfaSettings: { Enabled: true } }), set({ EmailMfaSettings: { Enabled: true } })]);
        assert.deepEqual((await c.send(new GetUserCommand({ AccessToken: u.access }))).UserMFASettingList, ['SMS_MFA', 'EMAIL_OTP']);
      }
    });

    it('SetUserSettings and AdminSetUserSettings turn SMS MFA on and off (legacy MFAOptions)', async () => {
      const u = await newUser();
      await c.send(new SetUserSettingsCommand({ AccessToken: u.access, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
      assert.deepEqual((await c.send(new GetUserCommand({ AccessToken: u.access }))).UserMFASettingList, ['SMS_MFA']);
      await c.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: u.name, MFAOptions: [] }));
      assert.equal((await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.name }))).UserMFASettingList, undefined);
      const err = await failure(c.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: u.name, MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] })));
      assert.equal(err.name, 'InvalidParameterException');
    });

    it('AssociateSoftwareToken / VerifySoftwareToken: a wrong code is refused, a right one turns TOTP on', async () => {
      const u = await newUser();
      const a = await c.send(new AssociateSoftwareTokenCommand({ AccessToken: u.access }));
      const secret = a.SecretCode ?? '';
      assert.match(secret, /^[A-Z2-7]{32}$/);
      const right = totpCode(secret, clock.now().getTime());
      assert.deepEqual(await failure(c.send(new VerifySoftwareTokenCommand({ AccessToken: u.access, UserCode: wrongCode(right) }))), {
        name: 'EnableSoftwareTokenMFAException',
        message: 'Code mismatch and fail enable Software Token MFA',
      });
      assert.equal((await c.send(new GetUserCommand({ AccessToken: u.access }))).UserMFASettingList, undefined);
      assert.equal((await c.send(new VerifySoftwareTokenCommand({ AccessToken: u.access, UserCode: right }))).Status, 'SUCCESS');
      assert.deepEqual((await c.send(new GetUserCommand({ AccessToken: u.access }))).UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
      const v = await newUser();
      assert.equal((await failure(c.send(new VerifySoftwareTokenCommand({ AccessToken: v.access, UserCode: '123456' })))).name, 'SoftwareTokenMFANotFoundException');
      assert.equal((await failure(c.send(new AssociateSoftwareTokenCommand({})))).name, 'InvalidParameterException');
      clock.advance(30_000);
    });

    it('SOFTWARE_TOKEN_MFA: wrong code refused, right code signs in, a code works once, wrong codes count toward the lockout', async () => {
      const u = await newUser();
      const secret = await addTotp(u.access);
      const first = await passwordAuth(c, app, u.name, PASSWORD);
      assert.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(first.ChallengeParameters, {});
      const answer = (code: string, session = first.Session) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session, ChallengeResponses: { USERNAME: u.name, SOFTWARE_TOKEN_MFA_CODE: code } }));
      const code = totpCode(secret, clock.now().getTime());
      assert.deepEqual(await failure(answer(wrongCode(code))), { name: 'CodeMismatchException', message: 'Invalid code received for user' });
      const ok = await answer(code);
      assert.ok(ok.AuthenticationResult?.AccessToken);
      assert.deepEqual(await failure(answer(code)), { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' });
      // The same code in a new sign-in: used already. Wrong codes count toward the lockout (five, then locked
      // out), across sign-ins: a right password does not reset the count.
      const again = await passwordAuth(c, app, u.name, PASSWORD);
      assert.deepEqual(await failure(answer(code, again.Session)), { name: 'CodeMismatchException', message: 'Invalid code received for user' });
      await failure(answer(wrongCode(code), again.Session));
      await failure(answer(wrongCode(code), again.Session));
      const third = await passwordAuth(c, app, u.name, PASSWORD);
      assert.equal(third.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      await failure(answer(wrongCode(code), third.Session));
      assert.equal((await failure(answer(wrongCode(code), third.Session))).name, 'CodeMismatchException', 'the fifth wrong code');
      const next = totpCode(secret, clock.now().getTime() + 30_000); // one step ahead is within the drift
      assert.deepEqual(await failure(answer(next, third.Session)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
      assert.deepEqual(await failure(passwordAuth(c, app, u.name, PASSWORD)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
      clock.advance(1_500); // the first lockout lasts a second
      assert.ok((await answer(next, third.Session)).AuthenticationResult?.IdToken, 'the Session still works after the lockout');
      clock.advance(60_000);
    });

    it('SMS_MFA: the code goes to the phone with the pool template; AdminInitiateAuth / AdminRespondToAuthChallenge', async () => {
      const u = await newUser();
      await c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: u.name, SMSMfaSettings: { Enabled: true } }));
      const first = await c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: app, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u.name, PASSWORD } }));
      assert.equal(first.ChallengeName, 'SMS_MFA');
      const phone = `+1555000${String(n).padStart(4, '0')}`;
      assert.deepEqual(first.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: `+*******${phone.slice(-4)}` });
      const sent = await sentCode(t, poolId, phone);
      assert.equal(sent.channel, 'SMS');
      assert.equal(sent.body, `Tessera code ${sent.code}`);
      const answer = (code: string) =>
        c.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: app, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: u.name, SMS_MFA_CODE: code } }));
      assert.deepEqual(await failure(answer(wrongCode(sent.code))), { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' });
      const verifiedBefore = (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.name }))).UserAttributes?.find((a) => a.Name === 'phone_number_verified');
      assert.notEqual(verifiedBefore?.Value, 'true');
      const done = await answer(sent.code);
      const idToken = done.AuthenticationResult?.IdToken ?? '';
      const claims: unknown = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
      assert.equal(typeof claims === 'object' && claims !== null ? Reflect.get(claims, 'phone_number_verified') : undefined, true, 'SMS MFA verified the number');
      const after = (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u.name }))).UserAttributes?.find((a) => a.Name === 'phone_number_verified');
      assert.equal(after?.Value, 'true');
    });

    it('EMAIL_OTP: the code goes by email with the pool template', async () => {
      const u = await newUser();
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: u.access, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const first = await passwordAuth(c, app, u.name, PASSWORD);
      assert.equal(first.ChallengeName, 'EMAIL_OTP');
      assert.deepEqual(first.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' });
      const sent = await sentCode(t, poolId, `${u.name}@example.com`);
      assert.equal(sent.subject, 'Your sign-in code');
      const answer = (code: string) => c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'EMAIL_OTP', Session: first.Session, ChallengeResponses: { USERNAME: u.name, EMAIL_OTP_CODE: code } }));
      assert.equal((await failure(answer(wrongCode(sent.code)))).name, 'CodeMismatchException');
      assert.equal((await failure(c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: u.name, SMS_MFA_CODE: sent.code } })))).message, 'Invalid session for the user.');
      assert.ok((await answer(sent.code)).AuthenticationResult?.AccessToken);
    });

    it('SELECT_MFA_TYPE: two factors and no preference; the chosen one is asked next', async () => {
      const u = await newUser();
      const secret = await addTotp(u.access);
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: u.access, SMSMfaSettings: { Enabled: true } }));
      const first = await passwordAuth(c, app, u.name, PASSWORD);
      assert.equal(first.ChallengeName, 'SELECT_MFA_TYPE');
      assert.deepEqual(JSON.parse(first.ChallengeParameters?.MFAS_CAN_CHOOSE ?? '[]'), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
      const select = (answer: string) => c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'SELECT_MFA_TYPE', Session: first.Session, ChallengeResponses: { USERNAME: u.name, ANSWER: answer } }));
      assert.equal((await failure(select('VOICE'))).name, 'InvalidParameterException');
      assert.equal((await failure(select('EMAIL_OTP'))).name, 'InvalidParameterException', 'not among MFAS_CAN_CHOOSE');
      const chosen = await select('SOFTWARE_TOKEN_MFA');
      assert.equal(chosen.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const done = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: chosen.Session, ChallengeResponses: { USERNAME: u.name, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, clock.now().getTime()) } }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      clock.advance(30_000);
    });

    it('SELECT_MFA_TYPE: email MFA is chosen as EMAIL_OTP (MFAS_CAN_CHOOSE, Amplify) or EMAIL_MFA (the API reference)', async () => {
      const u = await newUser();
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: u.access, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }));
      for (const answer of ['EMAIL_OTP', 'EMAIL_MFA']) {
        const first = await passwordAuth(c, app, u.name, PASSWORD);
        assert.deepEqual(JSON.parse(first.ChallengeParameters?.MFAS_CAN_CHOOSE ?? '[]'), ['SMS_MFA', 'EMAIL_OTP']);
        const chosen = await c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'SELECT_MFA_TYPE', Session: first.Session, ChallengeResponses: { USERNAME: u.name, ANSWER: answer } }));
        assert.equal(chosen.ChallengeName, 'EMAIL_OTP', answer);
      }
    });

    it('MFA_SETUP in an MFA ON pool: software token set up with the Session, then tokens', async () => {
      const onPool = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: onPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const onApp = (await createClient(c, onPool)).id;
      await confirmedUser(c, onPool, 'setup', PASSWORD);
      const first = await passwordAuth(c, onApp, 'setup', PASSWORD);
      assert.equal(first.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(JSON.parse(first.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA']);
      const respond = (session: string | undefined) => c.send(new RespondToAuthChallengeCommand({ ClientId: onApp, ChallengeName: 'MFA_SETUP', Session: session, ChallengeResponses: { USERNAME: 'setup' } }));
      assert.equal((await failure(respond(first.Session))).message, 'Invalid session for the user.', 'not before a token is verified');
      const a = await c.send(new AssociateSoftwareTokenCommand({ Session: first.Session }));
      assert.ok(a.Session && a.SecretCode);
      const code = totpCode(a.SecretCode, clock.now().getTime());
      assert.equal((await failure(c.send(new VerifySoftwareTokenCommand({ Session: a.Session, UserCode: wrongCode(code) })))).name, 'EnableSoftwareTokenMFAException');
      const v = await c.send(new VerifySoftwareTokenCommand({ Session: a.Session, UserCode: code }));
      assert.equal(v.Status, 'SUCCESS');
      const done = await respond(v.Session);
      assert.ok(done.AuthenticationResult?.AccessToken);
      clock.advance(30_000);
      const next = await passwordAuth(c, onApp, 'setup', PASSWORD);
      assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA', 'the next sign-in asks for the new token');
      assert.equal((await failure(c.send(new InitiateAuthCommand({ ClientId: onApp, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'setup', PASSWORD: 'Wr0ng-Password!' } })))).name, 'NotAuthorizedException');
    });

    it('MFA_SETUP with email MFA: MFAS_CAN_SETUP lists EMAIL_OTP; EMAIL, then the code, verifies the address and turns email MFA on', async () => {
      const onPool = await createPool(c, { EmailConfiguration: SES_EMAIL });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: onPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} }));
      const onApp = (await createClient(c, onPool)).id;
      await confirmedUser(c, onPool, 'mia', PASSWORD);
      const first = await passwordAuth(c, onApp, 'mia', PASSWORD);
      assert.equal(first.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(JSON.parse(first.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
      const setup = (email: string) => c.send(new RespondToAuthChallengeCommand({ ClientId: onApp, ChallengeName: 'MFA_SETUP', Session: first.Session, ChallengeResponses: { USERNAME: 'mia', EMAIL: email } }));
      assert.deepEqual(await failure(setup('not-an-address')), { name: 'InvalidParameterException', message: 'Invalid email address format.' });
      const emailChallenge = await setup('mia@example.com');
      assert.equal(emailChallenge.ChallengeName, 'EMAIL_OTP');
      assert.deepEqual(emailChallenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'm***@e***' });
      assert.equal((await failure(setup('mia@example.com'))).name, 'NotAuthorizedException', 'the MFA_SETUP Session works once');
      const { code } = await sentCode(t, onPool, 'mia@example.com');
      const answer = (value: string) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: onApp, ChallengeName: 'EMAIL_OTP', Session: emailChallenge.Session, ChallengeResponses: { USERNAME: 'mia', EMAIL_OTP_CODE: value } }));
      assert.equal((await failure(answer(wrongCode(code)))).name, 'CodeMismatchException');
      const untouched = await c.send(new AdminGetUserCommand({ UserPoolId: onPool, Username: 'mia' }));
      assert.equal(untouched.UserAttributes?.find((a) => a.Name === 'email'), undefined, 'nothing changes before the right code');
      assert.ok((await answer(code)).AuthenticationResult?.AccessToken);
      const after = await c.send(new AdminGetUserCommand({ UserPoolId: onPool, Username: 'mia' }));
      const attr = (n: string) => after.UserAttributes?.find((a) => a.Name === n)?.Value;
      assert.equal(attr('email'), 'mia@example.com');
      assert.equal(attr('email_verified'), 'true');
      assert.deepEqual(after.UserMFASettingList, ['EMAIL_OTP']);
      assert.equal((await passwordAuth(c, onApp, 'mia', PASSWORD)).ChallengeName, 'EMAIL_OTP', 'the next sign-in asks for an email code');
      // "Collect an email attribute, then restart the authentication flow": a user with an address gets the code.
      await confirmedUser(c, onPool, 'lea', PASSWORD, { email: 'lea@example.com' });
      const lea = await passwordAuth(c, onApp, 'lea', PASSWORD);
      assert.equal(lea.ChallengeName, 'EMAIL_OTP');
      assert.equal(lea.ChallengeParameters?.CODE_DELIVERY_DESTINATION, 'l***@e***');
      // A pool without email MFA does not set it up.
      const totpPool = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: totpPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const totpApp = (await createClient(c, totpPool)).id;
      await confirmedUser(c, totpPool, 'ned', PASSWORD);
      const asked = await passwordAuth(c, totpApp, 'ned', PASSWORD);
      const refused = await failure(c.send(new RespondToAuthChallengeCommand({ ClientId: totpApp, ChallengeName: 'MFA_SETUP', Session: asked.Session, ChallengeResponses: { USERNAME: 'ned', EMAIL: 'ned@example.com' } })));
      assert.deepEqual(refused, { name: 'InvalidParameterException', message: 'User does not have delivery config set to turn on EMAIL_OTP' });
    });

    it('MFA ON: NEW_PASSWORD_REQUIRED comes first, then SMS_MFA for a user with a phone number and no settings', async () => {
      const onPool = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: onPool, MfaConfiguration: 'ON', SmsMfaConfiguration: SMS, SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const onApp = (await createClient(c, onPool)).id;
      await c.send(
        new AdminCreateUserCommand({ UserPoolId: onPool, Username: 'temp', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'phone_number', Value: '+15550004321' }] }),
      );
      const first = await passwordAuth(c, onApp, 'temp', 'Temp-Passw0rd!');
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const second = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: onApp, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: first.Session, ChallengeResponses: { USERNAME: 'temp', NEW_PASSWORD: PASSWORD } }),
      );
      assert.equal(second.ChallengeName, 'SMS_MFA', 'MFA follows the new password');
      assert.equal(second.AuthenticationResult, undefined);
      const { code } = await sentCode(t, onPool, '+15550004321');
      const done = await c.send(new RespondToAuthChallengeCommand({ ClientId: onApp, ChallengeName: 'SMS_MFA', Session: second.Session, ChallengeResponses: { USERNAME: 'temp', SMS_MFA_CODE: code } }));
      assert.ok(done.AuthenticationResult?.AccessToken);
      // Without a phone number the same pool asks for a software token instead.
      await confirmedUser(c, onPool, 'nophone', PASSWORD);
      assert.equal((await passwordAuth(c, onApp, 'nophone', PASSWORD)).ChallengeName, 'MFA_SETUP');
    });
  });
}
