/**
 * CUSTOM_AUTH: the challenge names a define auth challenge function may answer besides CUSTOM_CHALLENGE and
 * PASSWORD_VERIFIER. SMS_MFA sends a code and its verdict goes back to define; others (SOFTWARE_TOKEN_MFA,
 * PASSWORD_VERIFIER without SRP_A, a device challenge) are answers Cognito cannot act on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InitiateAuthCommand, RespondToAuthChallengeCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { sentCode, wrongCode } from './helpers/mfa.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer } from './helpers/triggers.js';
import { lambdaArn, type Answer, type TriggerReceiver } from './helpers/trigger-receiver.js';

const PASSWORD = 'Correct-Horse-9';
const PHONE = '+15550002001';
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {});
const sessionOf = (ev: Record<string, unknown> | undefined): unknown[] => {
  const s = record(ev?.request).session;
  return Array.isArray(s) ? s : [];
};

/** SMS_MFA until one is passed (two tries), then tokens. */
function smsDefine(event: Record<string, unknown>): Answer {
  const session = sessionOf(event).map(record);
  if (session.at(-1)?.challengeResult === true) return { response: { issueTokens: true, failAuthentication: false } };
  if (session.length >= 2) return { response: { issueTokens: false, failAuthentication: true } };
  return { response: { challengeName: 'SMS_MFA', issueTokens: false, failAuthentication: false } };
}

for (const kind of storeKinds()) {
  describe(`CUSTOM_AUTH challenge names from define (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    let clientId: string;
    let poolId: string;
    before(async () => {
      ({ t, c, hook } = await startTriggerServer(kind, ['define', 'create', 'verify', 'message']));
      poolId = await createPool(c, {
        LambdaConfig: { DefineAuthChallenge: lambdaArn('define'), CreateAuthChallenge: lambdaArn('create'), VerifyAuthChallengeResponse: lambdaArn('verify'), CustomMessage: lambdaArn('message') },
      });
      clientId = (await createClient(c, poolId, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).id;
      await confirmedUser(c, poolId, 'sally', PASSWORD, { phone_number: PHONE });
      await confirmedUser(c, poolId, 'nophone', PASSWORD, {});
    });
    after(() => stopTriggerServer({ t, hook }));
    const start = (username = 'sally') => c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }));
    const answer = (session: string | undefined, code: string) =>
      c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: session, ChallengeResponses: { USERNAME: 'sally', SMS_MFA_CODE: code } }));

    it('SMS_MFA: a code by SMS (CustomMessage_Authentication); a wrong code goes back to define as failed, the right one as passed', async () => {
      hook.answer('/define', smsDefine);
      const first = await start();
      assert.equal(first.ChallengeName, 'SMS_MFA');
      assert.deepEqual(first.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******2001', USERNAME: 'sally' });
      assert.equal(hook.at('/message').at(-1)?.triggerSource, 'CustomMessage_Authentication');
      assert.equal(hook.at('/create').length, 0, 'create auth challenge makes custom challenges only');
      const one = await sentCode(t, poolId, PHONE);
      const second = await answer(first.Session, wrongCode(one.code));
      assert.equal(second.ChallengeName, 'SMS_MFA', 'define asked again');
      assert.deepEqual(sessionOf(hook.at('/define').at(-1)), [{ challengeName: 'SMS_MFA', challengeResult: false }]);
      assert.deepEqual(await failure(answer(first.Session, one.code)), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
      const two = await sentCode(t, poolId, PHONE);
      assert.notEqual(two.code, one.code);
      const done = await answer(second.Session, two.code);
      assert.ok(done.AuthenticationResult?.AccessToken);
      assert.deepEqual(sessionOf(hook.at('/define').at(-1)), [
        { challengeName: 'SMS_MFA', challengeResult: false },
        { challengeName: 'SMS_MFA', challengeResult: true },
      ]);
    });

    it('SMS_MFA for a user without a phone number, SOFTWARE_TOKEN_MFA, DEVICE_SRP_AUTH and PASSWORD_VERIFIER without SRP_A: InvalidLambdaResponseException', async () => {
      hook.answer('/define', smsDefine);
      const unusable = { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' };
      assert.deepEqual(await failure(start('nophone')), unusable);
      for (const challengeName of ['SOFTWARE_TOKEN_MFA', 'DEVICE_SRP_AUTH', 'PASSWORD_VERIFIER']) {
        hook.answer('/define', { response: { challengeName, issueTokens: false, failAuthentication: false } });
        assert.deepEqual(await failure(start()), unusable, challengeName);
      }
      hook.answer('/define', undefined);
    });
  });
}
