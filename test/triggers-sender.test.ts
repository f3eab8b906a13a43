import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand, ConfirmSignUpCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { storeKinds, type TestServer } from './helpers/server.js';
import { awaitEvent, startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';

const KEY = randomBytes(32);
const KMS_KEY_ID = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** What a receiver does with `request.code` (docs/ARCHITECTURE.md, "Lambda triggers"). */
function decryptCode(encrypted: string, key: Buffer, keyId: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  assert.equal(raw[0], 1, 'format byte');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(1, 13));
  decipher.setAAD(Buffer.from(keyId, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(13, raw.length - 16)), decipher.final()]).toString('utf8');
}

for (const kind of storeKinds()) {
  describe(`custom email and SMS sender triggers (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => {
      const functions = { 'email-sender': '/email', 'sms-sender': '/sms', message: '/message' };
      ({ t, c, hook } = await startTriggerServer(kind, functions, { env: { TESSERA_CUSTOM_SENDER_KEY: KEY.toString('hex') } }));
    });
    after(() => stopTriggerServer({ t, hook }));

    const nextEvent = (path: string, count: number) => awaitEvent(hook, path, count);
    const setUp = () =>
      triggerPool(c, {
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: {
          KMSKeyID: KMS_KEY_ID,
          CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: lambdaArn('email-sender') },
          CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: lambdaArn('sms-sender') },
          CustomMessage: lambdaArn('message'),
        },
      });

    it('CustomEmailSender_SignUp: the event, the code encrypted for the function, nothing sent by the server', async () => {
      const { poolId, clientId } = await setUp();
      const seen = hook.at('/email').length;
      const r = await c.send(
        new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: 'Correct-Horse-9', UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }], ClientMetadata: { lang: 'fr' } }),
      );
      assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const ev = await nextEvent('/email', seen);
      const request = ev.request as Record<string, unknown>;
      const code = decryptCode(String(request.code), KEY, KMS_KEY_ID);
      assert.match(code, /^\d{6}$/);
      assert.deepEqual(ev, {
        version: '1',
        triggerSource: 'CustomEmailSender_SignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          type: 'customEmailSenderRequestV1',
          code: request.code,
          userAttributes: { sub: r.UserSub, email: 'alice@example.com', 'cognito:user_status': 'UNCONFIRMED' },
          clientMetadata: { lang: 'fr' },
        },
        response: {},
      });
      assert.throws(() => decryptCode(String(request.code), KEY, 'arn:aws:kms:us-east-1:123456789012:key/other'), 'bound to the pool KMS key id');
      assert.equal((await t.app.store.messages.list({ poolId, limit: 10 })).length, 0, 'the server sends nothing itself');
      assert.equal(hook.at('/message').length, 0, 'the custom message trigger is not asked');
      await c.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'alice', ConfirmationCode: code }));
    });

    it('CustomSMSSender_AdminCreateUser carries the temporary password; a failing sender does not fail the call', async () => {
      const { poolId } = await setUp();
      const seen = hook.at('/sms').length;
      hook.answer('/sms', { error: 'SMS gateway down' });
      await c.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', TemporaryPassword: 'Temp-Pass-123', UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }] }),
      );
      const ev = await nextEvent('/sms', seen);
      assert.equal(ev.triggerSource, 'CustomSMSSender_AdminCreateUser');
      const request = ev.request as Record<string, unknown>;
      assert.equal(request.type, 'customSMSSenderRequestV1');
      assert.equal(decryptCode(String(request.code), KEY, KMS_KEY_ID), 'Temp-Pass-123');
      hook.answer('/sms', undefined);
    });
  });
}
