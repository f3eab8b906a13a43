import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config.js';
import { refKind } from '../../src/integrations/lambda/invoker.js';
import type { Pool } from '../../src/services/pools.js';
import { functionTarget, triggerEvent, triggerFunction } from '../../src/services/triggers.js';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:pre-token';
const pool = (LambdaConfig: Record<string, unknown>): Pool => ({ id: 'eu-west-1_abc', region: 'eu-west-1', name: 'p', doc: { LambdaConfig: JSON.parse(JSON.stringify(LambdaConfig)) }, createdAt: 0, updatedAt: 0 });

describe('trigger configuration', () => {
  it('PreTokenGenerationConfig wins over PreTokenGeneration and sets the event version', () => {
    assert.deepEqual(triggerFunction(pool({ PreTokenGeneration: ARN }), 'PreTokenGeneration'), { arn: ARN, version: '1' });
    assert.deepEqual(triggerFunction(pool({ PreTokenGeneration: 'arn:old', PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN } }), 'PreTokenGeneration'), { arn: ARN, version: '2' });
    assert.deepEqual(triggerFunction(pool({ PreTokenGenerationConfig: { LambdaVersion: 'V3_0', LambdaArn: ARN } }), 'PreTokenGeneration'), { arn: ARN, version: '3' });
  });
  it('custom senders and inbound federation are {LambdaArn, LambdaVersion}; absent triggers are undefined', () => {
    const p = pool({ CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: ARN }, InboundFederation: { LambdaVersion: 'V1_0', LambdaArn: ARN } });
    assert.deepEqual(triggerFunction(p, 'CustomEmailSender'), { arn: ARN, version: '1' });
    assert.deepEqual(triggerFunction(p, 'InboundFederation'), { arn: ARN, version: '1' });
    assert.equal(triggerFunction(p, 'CustomSMSSender'), undefined);
    assert.equal(triggerFunction(p, 'PreSignUp'), undefined);
  });
  it('TESSERA_LAMBDA_FUNCTIONS routes by full ARN or function name; other ARNs go to the Lambda API', () => {
    const config = parseConfig(['--data', ':memory:'], { TESSERA_LAMBDA_FUNCTIONS: JSON.stringify({ [ARN]: 'http://hook/full', 'pre-sign-up': 'file:///x.mjs' }) });
    const deps = { config };
    assert.equal(functionTarget(deps, ARN), 'http://hook/full');
    assert.equal(functionTarget(deps, 'arn:aws:lambda:us-east-1:1:function:pre-sign-up'), 'file:///x.mjs');
    assert.equal(functionTarget(deps, 'arn:aws:lambda:us-east-1:1:function:other'), 'arn:aws:lambda:us-east-1:1:function:other');
    assert.deepEqual(['arn:aws:lambda:x', 'https://h/x', 'file:///m.mjs', './m.mjs', 'ftp://h'].map(refKind), ['lambda', 'webhook', 'module', 'module', undefined]);
    assert.throws(() => parseConfig([], { TESSERA_LAMBDA_FUNCTIONS: '{"a": 1}' }), /TESSERA_LAMBDA_FUNCTIONS: the value of 'a' is not a string/);
    assert.throws(() => parseConfig([], { TESSERA_LAMBDA_ACCESS_KEY_ID: 'AKID' }), /must be set together/);
  });
  it('the envelope: admin calls have no client, undefined request members are left out', () => {
    const ev = triggerEvent(pool({}), { arn: ARN, version: '1' }, { triggerSource: 'PreSignUp_AdminCreateUser', userName: 'bob', clientId: undefined, request: { userAttributes: {}, clientMetadata: undefined } });
    assert.deepEqual(ev, {
      version: '1',
      triggerSource: 'PreSignUp_AdminCreateUser',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_abc',
      userName: 'bob',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
      request: { userAttributes: {} },
      response: {},
    });
  });
});
