/** Lambda triggers through boto3 (test/py/triggers_workflow.py), the functions being this test's webhook receiver. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PY_DIR, runScript, serverClientEnv } from './helpers/python.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { type Answer, type TriggerReceiver } from './helpers/trigger-receiver.js';
import { startTriggerServer, stopTriggerServer } from './helpers/triggers.js';

const TIMEOUT_MS = 120_000;
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {});

function preSignUp(event: Record<string, unknown>): Answer {
  const data = record(record(event.request).validationData);
  if (data.refuse === 'yes') return { error: 'Sign-ups from this network are closed.' };
  return { response: { autoConfirmUser: data.auto === 'yes', autoVerifyEmail: false, autoVerifyPhone: false } };
}
function define(event: Record<string, unknown>): Answer {
  const session = record(event.request).session;
  const last = (Array.isArray(session) ? session : []).map(record).at(-1);
  if (last?.challengeResult === true) return { response: { issueTokens: true, failAuthentication: false } };
  return { response: { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false } };
}
const create: Answer = { response: { publicChallengeParameters: { question: 'favourite colour?' }, privateChallengeParameters: { answer: 'blue' } } };
const verify = (event: Record<string, unknown>): Answer => ({ response: { answerCorrect: record(event.request).challengeAnswer === 'blue' } });
const preToken: Answer = { response: { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { tier: 'gold' } } } } };

for (const kind of storeKinds()) {
  describe(`Lambda triggers through boto3 (${kind})`, () => {
    let t: TestServer;
    let hook: TriggerReceiver;
    before(async () => {
      ({ t, hook } = await startTriggerServer(kind, ['pre-sign-up', 'define', 'create', 'verify', 'pre-token']));
      hook.answer('/pre-sign-up', preSignUp);
      hook.answer('/define', define);
      hook.answer('/create', create);
      hook.answer('/verify', verify);
      hook.answer('/pre-token', preToken);
    });
    after(() => stopTriggerServer({ t, hook }));

    it('pre sign-up refuses and auto-confirms, CUSTOM_AUTH, pre token generation V2', { timeout: TIMEOUT_MS }, async () => {
      const r = await runScript('python3', [`${PY_DIR}triggers_workflow.py`], serverClientEnv(t), { timeoutMs: TIMEOUT_MS, cwd: PY_DIR });
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /all trigger steps passed/, r.output);
      assert.ok(hook.events.every((e) => e.signed), 'every webhook request is signed');
      assert.deepEqual([...new Set(hook.events.map((e) => e.event.triggerSource))].sort(), [
        'CreateAuthChallenge_Authentication',
        'DefineAuthChallenge_Authentication',
        'PreSignUp_SignUp',
        'TokenGeneration_Authentication',
        'TokenGeneration_RefreshTokens',
        'VerifyAuthChallengeResponse_Authentication',
      ]);
    });
  });
}
