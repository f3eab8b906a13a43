/**
 * Trigger sources of sign-in: MFA codes through the custom message trigger (CustomMessage_Authentication)
 * and the custom senders (CustomEmailSender_Authentication / CustomSMSSender_Authentication), and the pre
 * token generation sources TokenGeneration_NewPasswordChallenge and _AuthenticateDevice.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  ConfirmDeviceCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { deviceProof, deviceSecret } from './helpers/device-srp.js';
import { sentCode } from './helpers/mfa.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, passwordAuth } from './helpers/sign-in.js';
import { awaitEvent, startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';

const PASSWORD = 'Correct-Horse-9';
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' };
const KEY = randomBytes(32);
const KMS_KEY_ID = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** What a receiver does with a custom sender's `request.code` (docs/ARCHITECTURE.md, "Lambda triggers"). */
function decryptCode(encrypted: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', KEY, raw.subarray(1, 13));
  decipher.setAAD(Buffer.from(KMS_KEY_ID, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(13, raw.length - 16)), decipher.final()]).toString('utf8');
}

const requestOf = (ev: Record<string, unknown> | undefined): Record<string, unknown> => {
  const r = ev?.request;
  return typeof r === 'object' && r !== null && !Array.isArray(r) ? Object.fromEntries(Object.entries(r)) : {};
};

for (const kind of storeKinds()) {
  describe(`sign-in trigger sources (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => {
      const functions = { message: '/message', 'email-sender': '/email', 'sms-sender': '/sms', 'pre-token': '/token', 'pre-auth': '/pre-auth', 'post-auth': '/post-auth' };
      ({ t, c, hook } = await startTriggerServer(kind, functions, { env: { TESSERA_CUSTOM_SENDER_KEY: KEY.toString('hex') } }));
    });
    after(() => stopTriggerServer({ t, hook }));

    /** A pool asking every user for MFA by SMS (MfaConfiguration ON), with the given triggers. */
    const smsMfaPool = (lambda: LambdaConfigType, extra: Record<string, unknown> = {}) =>
      triggerPool(c, { MfaConfiguration: 'ON', SmsConfiguration: SMS_CONFIG, AutoVerifiedAttributes: ['phone_number'], SmsAuthenticationMessage: 'Pool code {####}', LambdaConfig: lambda, ...extra });
    const nextEvent = (path: string, count: number) => awaitEvent(hook, path, count);

    it('SMS_MFA: the code text comes from the custom message trigger (CustomMessage_Authentication); the code in it signs in', async () => {
      const { poolId, clientId } = await smsMfaPool({ CustomMessage: lambdaArn('message') });
      await confirmedUser(c, poolId, 'mia', PASSWORD, { phone_number: '+15550001001' });
      hook.answer('/message', (ev) => ({ response: { smsMessage: `Code {####} via ${String(ev.triggerSource)}`, emailMessage: null, emailSubject: null } }));
      const seen = hook.at('/message').length;
      const first = await passwordAuth(c, clientId, 'mia', PASSWORD);
      assert.equal(first.ChallengeName, 'SMS_MFA');
      const ev = hook.at('/message')[seen];
      assert.equal(ev?.triggerSource, 'CustomMessage_Authentication');
      assert.deepEqual(ev?.callerContext, { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId });
      const request = requestOf(ev);
      assert.equal(request.codeParameter, '{####}');
      assert.equal((request.userAttributes as Record<string, string> | undefined)?.phone_number, '+15550001001');
      const sent = await sentCode(t, poolId, '+15550001001');
      assert.equal(sent.body, `Code ${sent.code} via CustomMessage_Authentication`);
      const done = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: 'mia', SMS_MFA_CODE: sent.code } }));
      assert.ok(done.AuthenticationResult?.AccessToken);

      hook.answer('/message', { error: 'templates down' });
      await assert.rejects(passwordAuth(c, clientId, 'mia', PASSWORD), { name: 'UserLambdaValidationException', message: 'CustomMessage failed with error templates down.' });
      assert.equal((await sentCode(t, poolId, '+15550001001')).code, sent.code, 'no new code was sent');
      hook.answer('/message', undefined);
    });

    it('EMAIL_OTP and SMS_MFA codes go to the custom senders (_Authentication), encrypted; the server sends nothing', async () => {
      const { poolId, clientId } = await smsMfaPool({
        KMSKeyID: KMS_KEY_ID,
        CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: lambdaArn('email-sender') },
        CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: lambdaArn('sms-sender') },
        CustomMessage: lambdaArn('message'),
      }, { UserPoolTier: 'ESSENTIALS', EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com' } }); // email MFA sends through SES
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIG }, EmailMfaConfiguration: { Message: 'Email code {####}', Subject: 'Code' } }));
      await confirmedUser(c, poolId, 'eve', PASSWORD, { email: 'eve@example.com', email_verified: 'true' });
      await confirmedUser(c, poolId, 'sam', PASSWORD, { phone_number: '+15550001002' });
      await c.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'eve', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const messagesBefore = hook.at('/message').length;

      for (const [user, challenge, path, source, codeKey] of [
        ['eve', 'EMAIL_OTP', '/email', 'CustomEmailSender_Authentication', 'EMAIL_OTP_CODE'],
        ['sam', 'SMS_MFA', '/sms', 'CustomSMSSender_Authentication', 'SMS_MFA_CODE'],
      ] as const) {
        const seen = hook.at(path).length;
        const first = await passwordAuth(c, clientId, user, PASSWORD);
        assert.equal(first.ChallengeName, challenge);
        const ev = await nextEvent(path, seen);
        assert.equal(ev.triggerSource, source);
        assert.equal(ev.userName, user);
        assert.deepEqual(ev.callerContext, { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId });
        const code = decryptCode(String(requestOf(ev).code));
        assert.match(code, /^\d{6}$/);
        const done = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: challenge, Session: first.Session, ChallengeResponses: { USERNAME: user, [codeKey]: code } }));
        assert.ok(done.AuthenticationResult?.AccessToken, `${challenge}: the decrypted code signs in`);
      }
      assert.equal((await t.app.store.messages.list({ poolId, limit: 10 })).length, 0, 'the server sends nothing itself');
      assert.equal(hook.at('/message').length, messagesBefore, 'the custom message trigger is not asked');
    });

    it('pre token generation: TokenGeneration_NewPasswordChallenge after NEW_PASSWORD_REQUIRED, _Authentication otherwise', async () => {
      const poolId = await createPool(c, { LambdaConfig: { PreTokenGeneration: lambdaArn('pre-token') } });
      const clientId = (await createClient(c, poolId)).id;
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nora', TemporaryPassword: 'Temp-Pass-123', MessageAction: 'SUPPRESS' }));
      const seen = hook.at('/token').length;
      const first = await passwordAuth(c, clientId, 'nora', 'Temp-Pass-123');
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.equal(hook.at('/token').length, seen, 'no tokens, no trigger yet');
      const done = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: first.Session, ChallengeResponses: { USERNAME: 'nora', NEW_PASSWORD: PASSWORD } }));
      assert.ok(done.AuthenticationResult?.IdToken);
      assert.equal(hook.at('/token').at(-1)?.triggerSource, 'TokenGeneration_NewPasswordChallenge');
      await passwordAuth(c, clientId, 'nora', PASSWORD);
      assert.equal(hook.at('/token').at(-1)?.triggerSource, 'TokenGeneration_Authentication');
      await c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: done.AuthenticationResult?.RefreshToken ?? '' } }));
      assert.equal(hook.at('/token').at(-1)?.triggerSource, 'TokenGeneration_RefreshTokens');
      assert.equal(hook.at('/token').length, seen + 3, 'one invocation per issue of tokens');
    });

    it('pre token generation: TokenGeneration_AuthenticateDevice after a remembered device signs in with DEVICE_SRP_AUTH', async () => {
      const { poolId, clientId } = await smsMfaPool(
        { PreTokenGeneration: lambdaArn('pre-token') },
        { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } },
      );
      await confirmedUser(c, poolId, 'dev', PASSWORD, { phone_number: '+15550001003' });
      const first = await passwordAuth(c, clientId, 'dev', PASSWORD);
      assert.equal(first.ChallengeName, 'SMS_MFA');
      const { code } = await sentCode(t, poolId, '+15550001003');
      const mfa = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: 'dev', SMS_MFA_CODE: code } }));
      assert.equal(hook.at('/token').at(-1)?.triggerSource, 'TokenGeneration_Authentication', 'an MFA answer ends as _Authentication');
      const meta = mfa.AuthenticationResult?.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      await c.send(new ConfirmDeviceCommand({ AccessToken: mfa.AuthenticationResult?.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config }));

      const again = await passwordAuth(c, clientId, 'dev', PASSWORD, { DEVICE_KEY: device.deviceKey });
      assert.equal(again.ChallengeName, 'DEVICE_SRP_AUTH');
      const proof = deviceProof(device);
      const srp = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: again.Session, ChallengeResponses: { USERNAME: 'dev', DEVICE_KEY: device.deviceKey, SRP_A: proof.A } }),
      );
      const seen = hook.at('/token').length;
      const done = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: srp.Session, ChallengeResponses: await proof.answer(srp.ChallengeParameters ?? {}, 'dev') }));
      assert.ok(done.AuthenticationResult?.AccessToken);
      assert.equal(hook.at('/token').length, seen + 1);
      assert.equal(hook.at('/token').at(-1)?.triggerSource, 'TokenGeneration_AuthenticateDevice');
    });

    it("ClientMetadata: InitiateAuth's reaches pre authentication only; RespondToAuthChallenge's post authentication, the code's custom message and pre token generation", async () => {
      const { poolId, clientId } = await smsMfaPool({
        PreAuthentication: lambdaArn('pre-auth'),
        PostAuthentication: lambdaArn('post-auth'),
        PreTokenGeneration: lambdaArn('pre-token'),
        CustomMessage: lambdaArn('message'),
      });
      await confirmedUser(c, poolId, 'meta', PASSWORD, { phone_number: '+15550001004' });
      const first = await c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'meta', PASSWORD }, ClientMetadata: { step: 'initiate' } }));
      assert.equal(first.ChallengeName, 'SMS_MFA');
      assert.deepEqual(requestOf(hook.at('/pre-auth').at(-1)).validationData, { step: 'initiate' });
      assert.equal(requestOf(hook.at('/message').at(-1)).clientMetadata, undefined, "InitiateAuth's metadata does not reach the custom message");
      const { code } = await sentCode(t, poolId, '+15550001004');
      const done = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: 'meta', SMS_MFA_CODE: code }, ClientMetadata: { step: 'answer' } }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      assert.deepEqual(requestOf(hook.at('/post-auth').at(-1)).clientMetadata, { step: 'answer' });
      assert.deepEqual(requestOf(hook.at('/token').at(-1)).clientMetadata, { step: 'answer' });

      // A code sent in answer to a challenge (SMS_MFA after NEW_PASSWORD_REQUIRED): the answer's metadata.
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'fresh', TemporaryPassword: 'Temp-Pass-123', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'phone_number', Value: '+15550001005' }] }));
      const temp = await passwordAuth(c, clientId, 'fresh', 'Temp-Pass-123');
      assert.equal(temp.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const sms = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: temp.Session, ChallengeResponses: { USERNAME: 'fresh', NEW_PASSWORD: PASSWORD }, ClientMetadata: { step: 'new-password' } }),
      );
      assert.equal(sms.ChallengeName, 'SMS_MFA');
      assert.deepEqual(requestOf(hook.at('/message').at(-1)).clientMetadata, { step: 'new-password' });
    });
  });
}
