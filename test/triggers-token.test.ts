import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, rejects } from './helpers/sign-in.js';
import { startTriggerServer, stopTriggerServer, triggerPool } from './helpers/triggers.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';

const PASSWORD = 'Correct-Horse-9';
const ROLE = 'arn:aws:iam::123456789012:role/readers';

for (const kind of storeKinds()) {
  describe(`pre token generation trigger (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    before(async () => ({ t, c, hook } = await startTriggerServer(kind, { 'pre-token': '/token' })));
    after(() => stopTriggerServer({ t, hook }));

    const setUp = async (lambda: LambdaConfigType) => {
      const { poolId, clientId } = await triggerPool(c, { UserPoolTier: 'ESSENTIALS', LambdaConfig: lambda });
      await confirmedUser(c, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true' });
      await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', RoleArn: ROLE, Precedence: 1 }));
      await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'readers' }));
      return { poolId, clientId };
    };
    const signIn = (poolId: string, clientId: string) =>
      c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }));

    it('V1: the documented event; ID token claims added, suppressed, groups overridden; fixed claims unchanged', async () => {
      const { poolId, clientId } = await setUp({ PreTokenGeneration: lambdaArn('pre-token') });
      hook.answer('/token', {
        response: {
          claimsOverrideDetails: {
            claimsToAddOrOverride: { 'custom:tier': 'gold', sub: 'forged', iss: 'https://evil.example' },
            claimsToSuppress: ['email', 'token_use'],
            groupOverrideDetails: { groupsToOverride: ['admins'], iamRolesToOverride: [], preferredRole: null },
          },
        },
      });
      const r = await signIn(poolId, clientId);
      const ev = hook.at('/token').at(-1);
      const sub = (ev?.request as { userAttributes?: Record<string, string> } | undefined)?.userAttributes?.sub;
      assert.deepEqual(ev, {
        version: '1',
        triggerSource: 'TokenGeneration_Authentication',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          userAttributes: { sub, email: 'alice@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
          groupConfiguration: { groupsToOverride: ['readers'], iamRolesToOverride: [ROLE], preferredRole: ROLE },
        },
        response: { claimsOverrideDetails: null },
      });
      const id = decodeJwt(r.AuthenticationResult?.IdToken ?? '');
      const access = decodeJwt(r.AuthenticationResult?.AccessToken ?? '');
      assert.equal(id['custom:tier'], 'gold');
      assert.equal(id.sub, sub, 'sub cannot be overridden');
      assert.ok(String(id.iss).endsWith(`/${poolId}`), 'iss cannot be overridden');
      assert.equal(id.token_use, 'id', 'token_use cannot be suppressed');
      assert.equal(id.email, undefined);
      assert.deepEqual(id['cognito:groups'], ['admins']);
      assert.equal(id['cognito:roles'], undefined);
      assert.equal(id['cognito:preferred_role'], undefined);
      assert.deepEqual(access['cognito:groups'], ['admins']);
      assert.equal(access['custom:tier'], undefined, 'V1 leaves the access token alone');

      hook.answer('/token', undefined);
      await c.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r.AuthenticationResult?.RefreshToken ?? '' } }),
      );
      assert.equal(hook.at('/token').at(-1)?.triggerSource, 'TokenGeneration_RefreshTokens');
    });

    it('V2: scopes in the request; access token claims and scopes changed, JSON values allowed', async () => {
      const { poolId, clientId } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: lambdaArn('pre-token') } });
      hook.answer('/token', {
        response: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { tenant: { id: 7, name: 'acme' } } },
            accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: '7', client_id: 'forged' }, scopesToAdd: ['orders/read'], scopesToSuppress: [] },
          },
        },
      });
      const r = await signIn(poolId, clientId);
      const ev = hook.at('/token').at(-1);
      assert.equal(ev?.version, '2');
      assert.deepEqual((ev?.request as Record<string, unknown> | undefined)?.scopes, ['aws.cognito.signin.user.admin']);
      assert.deepEqual(ev?.response, { claimsAndScopeOverrideDetails: null });
      const id = decodeJwt(r.AuthenticationResult?.IdToken ?? '');
      const access = decodeJwt(r.AuthenticationResult?.AccessToken ?? '');
      assert.deepEqual(id.tenant, { id: 7, name: 'acme' });
      assert.equal(access.tenant_id, '7');
      assert.equal(access.client_id, clientId, 'client_id cannot be overridden');
      assert.equal(access.scope, 'aws.cognito.signin.user.admin orders/read');
      assert.deepEqual(access['cognito:groups'], ['readers']);
      hook.answer('/token', undefined);
    });

    it('a failing or garbled function: Cognito error, no tokens', async () => {
      const { poolId, clientId } = await setUp({ PreTokenGeneration: lambdaArn('pre-token') });
      hook.answer('/token', { error: 'claims service down' });
      await rejects(signIn(poolId, clientId), 'UserLambdaValidationException', 'PreTokenGeneration failed with error claims service down.');
      hook.answer('/token', { response: { claimsOverrideDetails: { claimsToSuppress: 'email' } } });
      await rejects(signIn(poolId, clientId), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
      hook.answer('/token', undefined);
      assert.ok((await signIn(poolId, clientId)).AuthenticationResult?.IdToken);
    });
  });
}
