/**
 * The hosted sign-in page with MFA (the API's sign-in pipeline decides: a TOTP challenge after the password),
 * in Chromium; then the implicit grant from the same browser session (tokens in the fragment).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { arrivalAt, startHostedRig, stopHostedRig, submitSignIn } from './helpers/hosted.js';
import { totpCode, wrongCode } from './helpers/mfa.js';
import { postForm, startApp } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, passwordAuth, TestClock } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';

for (const kind of storeKinds()) {
  describe(`hosted sign-in with TOTP MFA, and the implicit grant (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let chromium: { browser: Browser; close: () => Promise<void> };
    let page: Page;
    let poolId: string;
    let web: string;
    let secret: string;

    before(async () => {
      ({ rp, t, c, chromium } = await startHostedRig(kind, { clock }));
      poolId = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const api = (await createClient(c, poolId)).id;
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code', 'implicit'],
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: [`${rp.base}/cb`],
        }),
      );
      web = r.UserPoolClient?.ClientId ?? '';
      await confirmedUser(c, poolId, 'carol', PASSWORD, { email: 'carol@example.com' });
      const access = (await passwordAuth(c, api, 'carol', PASSWORD)).AuthenticationResult?.AccessToken ?? '';
      secret = (await c.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))).SecretCode ?? '';
      await c.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totpCode(secret, clock.now().getTime()) }));
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      clock.advance(30_000); // a TOTP code works once: the sign-in below uses the next time step
      page = await (await chromium.browser.newContext()).newPage();
    });
    after(() => stopHostedRig({ chromium, t, rp }));

    const authorize = (responseType: string) =>
      `${t.endpoint}/oauth2/authorize?${new URLSearchParams({ client_id: web, response_type: responseType, redirect_uri: `${rp.base}/cb`, scope: 'openid email', state: 'st' })}`;

    it('asks for the authenticator code after the password; a wrong code is refused on the page, the right one returns a code', async () => {
      await page.goto(authorize('code'));
      await submitSignIn(page, 'carol', PASSWORD);
      await page.getByRole('heading', { name: 'Enter your authenticator code' }).waitFor();
      const right = totpCode(secret, clock.now().getTime());
      await page.getByLabel('Code').fill(wrongCode(right));
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.match(await page.getByRole('alert').innerText(), /Invalid code|mismatch/i);
      await page.getByLabel('Code').fill(right);
      const back = await arrivalAt(rp, '/cb', () => page.getByRole('button', { name: 'Sign in' }).click());
      const tokens = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: web, code: back.searchParams.get('code') ?? '', redirect_uri: `${rp.base}/cb` });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.equal(typeof tokens.body.id_token, 'string');
    });

    it('implicit grant: the signed-in browser gets ID and access tokens in the fragment, never a refresh token', async () => {
      const arrived = rp.next('/cb');
      await page.goto(authorize('token'));
      const back = await arrived;
      assert.equal(back.search, '', 'nothing in the query: tokens travel in the fragment only');
      const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1));
      assert.ok(fragment.get('access_token'));
      assert.ok(fragment.get('id_token'));
      assert.equal(fragment.get('token_type'), 'Bearer');
      assert.equal(fragment.get('state'), 'st');
      assert.equal(fragment.get('refresh_token'), null);
    });

    it('userInfo needs a valid access token; revoke refuses an access token', async () => {
      const none = await fetch(`${t.endpoint}/oauth2/userInfo`);
      assert.equal(none.status, 400);
      const bad = await fetch(`${t.endpoint}/oauth2/userInfo`, { headers: { authorization: 'Bearer not-a-token' } });
      assert.equal(bad.status, 401);
      assert.match(bad.headers.get('www-authenticate') ?? '', /invalid_token/);
      const arrived = rp.next('/cb');
      await page.goto(authorize('token'));
      await arrived;
      const access = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('access_token') ?? '';
      const revoke = await postForm(`${t.endpoint}/oauth2/revoke`, { token: access, client_id: web });
      assert.equal(revoke.body.error, 'unsupported_token_type');
    });

    it('MFA_SETUP: a pool that requires MFA has a new user add an authenticator on the page (a wrong first code is refused)', async () => {
      const pool2 = await createPool(c);
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool2, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool2,
          ClientName: 'web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [`${rp.base}/cb`],
        }),
      );
      const client2 = r.UserPoolClient?.ClientId ?? '';
      await confirmedUser(c, pool2, 'frank', PASSWORD);
      const p2 = await (await chromium.browser.newContext()).newPage();
      await p2.goto(`${t.endpoint}/oauth2/authorize?${new URLSearchParams({ client_id: client2, response_type: 'code', redirect_uri: `${rp.base}/cb`, scope: 'openid' })}`);
      await submitSignIn(p2, 'frank', PASSWORD);
      await p2.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
      const key = (await p2.locator('#totp-secret').innerText()).replace(/\s/g, '');
      assert.match((await p2.getByRole('link', { name: 'open in an authenticator' }).getAttribute('href')) ?? '', /^otpauth:\/\/totp\//);
      const right = totpCode(key, clock.now().getTime());
      await p2.getByLabel('Code from the app').fill(wrongCode(right));
      await p2.getByRole('button', { name: 'Verify and sign in' }).click();
      assert.match(await p2.getByRole('alert').innerText(), /Code mismatch/);
      await p2.getByLabel('Code from the app').fill(right);
      const back = await arrivalAt(rp, '/cb', () => p2.getByRole('button', { name: 'Verify and sign in' }).click());
      const tokens = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: client2, code: back.searchParams.get('code') ?? '', redirect_uri: `${rp.base}/cb` });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    });

    it('a code expires after 5 minutes, the browser session after an hour (the form is shown again)', async () => {
      const arrived = rp.next('/cb');
      await page.goto(authorize('code'));
      const code = (await arrived).searchParams.get('code') ?? '';
      clock.advance(5 * 60_000 + 1_000);
      const late = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: web, code, redirect_uri: `${rp.base}/cb` });
      assert.equal(late.body.error, 'invalid_grant');
      assert.equal(late.body.access_token, undefined);
      clock.advance(60 * 60_000);
      await page.goto(authorize('code'));
      assert.match(page.url(), /\/login\?/, 'the expired session no longer signs the browser in');
    });
  });
}
