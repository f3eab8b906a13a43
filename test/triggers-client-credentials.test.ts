import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateResourceServerCommand, type CognitoIdentityProviderClient, type LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { postForm } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { createClient, createPool } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer } from './helpers/triggers.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';

const API = 'https://api.example.com';
const READ = `${API}/read`;
const WRITE = `${API}/write`;

/** Pre token generation for machine-to-machine tokens (POST /oauth2/token, grant_type=client_credentials). */
for (const kind of storeKinds()) {
  describe(`pre token generation for client credentials (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => ({ t, c, hook } = await startTriggerServer(kind, { 'pre-token': '/token' })));
    after(() => stopTriggerServer({ t, hook }));

    const setUp = async (lambda: LambdaConfigType) => {
      const poolId = await createPool(c, { UserPoolTier: 'ESSENTIALS', LambdaConfig: lambda });
      const scopes = ['read', 'write'].map((n) => ({ ScopeName: n, ScopeDescription: n }));
      await c.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: API, Name: 'API', Scopes: scopes }));
      const m2m = await createClient(c, poolId, {
        GenerateSecret: true,
        ExplicitAuthFlows: undefined,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: [READ, WRITE],
      });
      return { poolId, m2m: { id: m2m.id, secret: m2m.secret ?? '' } };
    };
    const token = (m2m: { id: string; secret: string }, form: Record<string, string> = {}) =>
      postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'client_credentials', ...form }, m2m);

    it('V3_0: the TokenGeneration_ClientCredentials event; access token claims and scopes change, Cognito\'s claims do not', async () => {
      const { poolId, m2m } = await setUp({ PreTokenGenerationConfig: { LambdaArn: lambdaArn('pre-token'), LambdaVersion: 'V3_0' } });
      hook.answer('/token', {
        response: {
          claimsAndScopeOverrideDetails: {
            accessTokenGeneration: {
              claimsToAddOrOverride: { tenant: 'acme', limits: { rps: 10 }, sub: 'forged', client_id: 'forged', token_use: 'id', scope: 'admin' },
              claimsToSuppress: ['auth_time'],
              scopesToAdd: ['extra/scope'],
              scopesToSuppress: [WRITE],
            },
            idTokenGeneration: { claimsToAddOrOverride: { nowhere: 'x' } },
            groupOverrideDetails: { groupsToOverride: ['admins'] },
          },
        },
      });
      const before = hook.at('/token').length;
      const r = await token(m2m, { scope: `${READ} ${WRITE}`, aws_client_metadata: JSON.stringify({ env: 'dev', tenant: 't1' }) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const events = hook.at('/token').slice(before);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0], {
        version: '3',
        triggerSource: 'TokenGeneration_ClientCredentials',
        region: 'us-east-1',
        userPoolId: poolId,
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: m2m.id },
        request: {
          userAttributes: {},
          groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
          scopes: [READ, WRITE],
          clientMetadata: { env: 'dev', tenant: 't1' },
        },
        response: { claimsAndScopeOverrideDetails: null },
      });
      const claims = decodeJwt(String(r.body.access_token));
      assert.equal(claims.tenant, 'acme');
      assert.deepEqual(claims.limits, { rps: 10 });
      assert.equal(claims.sub, m2m.id);
      assert.equal(claims.client_id, m2m.id);
      assert.equal(claims.token_use, 'access');
      assert.equal(typeof claims.auth_time, 'number', 'auth_time is Cognito\'s claim');
      assert.equal(claims.scope, `${READ} extra/scope`);
      assert.equal(claims['cognito:groups'], undefined, 'an M2M token has no groups');
      assert.equal(claims.nowhere, undefined);
      assert.equal(r.body.id_token, undefined);
    });

    it('V1_0 and V2_0 functions are not invoked for client credentials; a token without metadata has none in the event', async () => {
      for (const version of ['V1_0', 'V2_0'] as const) {
        const { m2m } = await setUp({ PreTokenGenerationConfig: { LambdaArn: lambdaArn('pre-token'), LambdaVersion: version } });
        const before = hook.at('/token').length;
        const r = await token(m2m);
        assert.equal(r.status, 200);
        assert.equal(hook.at('/token').length, before, `${version} is not invoked`);
      }
      const { m2m } = await setUp({ PreTokenGenerationConfig: { LambdaArn: lambdaArn('pre-token'), LambdaVersion: 'V3_0' } });
      hook.answer('/token', undefined);
      const r = await token(m2m);
      assert.equal(r.status, 200);
      const request = hook.at('/token').at(-1)?.request;
      assert.deepEqual(request, { userAttributes: {}, groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null }, scopes: [READ, WRITE] });
    });

    it('a failing function, garbage, and bad aws_client_metadata are invalid_request, never a 500 or a token', async () => {
      const { m2m } = await setUp({ PreTokenGenerationConfig: { LambdaArn: lambdaArn('pre-token'), LambdaVersion: 'V3_0' } });
      hook.answer('/token', { error: 'no machines today' });
      const refused = await token(m2m);
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, { error: 'invalid_request', error_description: 'PreTokenGeneration failed with error no machines today.' });
      hook.answer('/token', { raw: 'not json' });
      const garbage = await token(m2m);
      assert.equal(garbage.status, 400);
      assert.equal(garbage.body.error_description, 'Unrecognizable lambda output');
      hook.answer('/token', undefined);
      const before = hook.at('/token').length;
      for (const bad of ['{"a":1}', '[]', 'nope']) {
        const r = await token(m2m, { aws_client_metadata: bad });
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error, 'invalid_request');
      }
      assert.equal(hook.at('/token').length, before, 'refused metadata invokes nothing');
    });
  });
}
