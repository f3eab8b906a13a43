import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { arrivalAt, submitSignIn } from './helpers/hosted.js';
import { postForm, startApp } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool } from './helpers/sign-in.js';
import { lambdaArn, type TriggerReceiver } from './helpers/trigger-receiver.js';
import { startTriggerServer } from './helpers/triggers.js';

const PASSWORD = 'Correct-Horse-9';

/**
 * A managed-login (hosted) sign-in runs pre token generation once, as TokenGeneration_HostedAuth, for the
 * tokens the application gets; the sign-in pipeline's own tokens, which the hosted page only reads and
 * revokes, invoke no function.
 */
for (const kind of storeKinds()) {
  describe(`pre token generation for a hosted sign-in (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let hook: TriggerReceiver;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let chromium: { browser: Browser; close: () => Promise<void> };
    let page: Page;
    before(async () => {
      rp = await startApp();
      ({ t, c, hook } = await startTriggerServer(kind, { 'pre-token': '/token', 'post-auth': '/post' }));
      chromium = await launchChromium();
      page = await (await chromium.browser.newContext()).newPage();
    });
    after(async () => {
      await chromium?.close();
      await t.close();
      await rp.close();
      await hook.close();
    });

    it('the receiver sees exactly one event, TokenGeneration_HostedAuth, and its claim reaches the code exchange tokens', async () => {
      const poolId = await createPool(c, {
        UserPoolTier: 'ESSENTIALS',
        LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: lambdaArn('pre-token'), LambdaVersion: 'V2_0' }, PostAuthentication: lambdaArn('post-auth') },
      });
      const callback = `${rp.base}/cb`;
      const client = await createClient(c, poolId, {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [callback],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      });
      await confirmedUser(c, poolId, 'alice', PASSWORD, { email: 'alice@example.com', email_verified: 'true' });
      hook.answer('/token', { response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { plan: 'gold' } } } } });

      const authorize = new URL(`${t.endpoint}/oauth2/authorize`);
      for (const [k, v] of Object.entries({ response_type: 'code', client_id: client.id, redirect_uri: callback, scope: 'openid email', state: 's1' })) authorize.searchParams.set(k, v);
      await page.goto(authorize.href);
      const back = await arrivalAt(rp, '/cb', () => submitSignIn(page, 'alice', PASSWORD));
      const code = back.searchParams.get('code');
      assert.ok(code, `no code in ${back.href}`);
      // The sign-in itself ran (post authentication is before the pipeline's tokens) but invoked no pre token generation.
      assert.equal(hook.at('/post').length, 1);
      assert.equal(hook.at('/token').length, 0, 'no pre token generation before the code exchange');

      const r = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: client.id, code, redirect_uri: callback });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const events = hook.at('/token');
      assert.equal(events.length, 1, 'one pre token generation event for the whole hosted sign-in');
      assert.equal(events[0]?.triggerSource, 'TokenGeneration_HostedAuth');
      assert.deepEqual((events[0]?.request as { scopes?: unknown } | undefined)?.scopes, ['openid', 'email']);
      assert.equal(decodeJwt(String(r.body.access_token)).plan, 'gold');

      // A function that fails at the code exchange refuses it with an OAuth error, not a 500.
      hook.answer('/token', { error: 'closed' });
      const again = rp.next('/cb');
      await page.goto(authorize.href); // the browser session signs in again without the form
      const code2 = (await again).searchParams.get('code');
      assert.ok(code2);
      const refused = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: client.id, code: code2, redirect_uri: callback });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, { error: 'invalid_request', error_description: 'PreTokenGeneration failed with error closed.' });
    });
  });
}
