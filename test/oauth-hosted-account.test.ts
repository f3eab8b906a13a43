/**
 * Sign-up, confirmation and forgotten password on the hosted pages, in Chromium, with the codes read from
 * the outbox; screenshots of each page go to test/artifacts/hosted/ (for checking the layout by eye).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand, CreateUserPoolClientCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { arrivalAt, startHostedRig, stopHostedRig, submitSignIn } from './helpers/hosted.js';
import { sentCode } from './helpers/mfa.js';
import { postForm, startApp } from './helpers/oauth.js';
import { createPool } from './helpers/pools.js';
import { storeKinds, type TestServer } from './helpers/server.js';

const ARTIFACTS = 'test/artifacts/hosted';

for (const kind of storeKinds()) {
  describe(`hosted sign-up, confirmation and password reset in Chromium (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let chromium: { browser: Browser; close: () => Promise<void> };
    let poolId: string;
    let web: { id: string; secret: string };

    before(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      ({ rp, t, c, chromium } = await startHostedRig(kind));
      poolId = await createPool(c, 'hosted-account', {
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
      });
      // A client with a secret: the pages compute the SECRET_HASH the self-service operations require.
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: [`${rp.base}/cb`],
        }),
      );
      web = { id: r.UserPoolClient?.ClientId ?? '', secret: r.UserPoolClient?.ClientSecret ?? '' };
    });
    after(() => stopHostedRig({ chromium, t, rp }));

    const authorize = () =>
      `${t.endpoint}/oauth2/authorize?${new URLSearchParams({ client_id: web.id, response_type: 'code', redirect_uri: `${rp.base}/cb`, scope: 'openid email' })}`;
    const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${kind}-${name}.png`, fullPage: true });

    /** Signs in on the login page and returns the code the application received, exchanged for tokens. */
    async function signIn(page: Page, username: string, password: string): Promise<Record<string, unknown>> {
      const back = await arrivalAt(rp, '/cb', () => submitSignIn(page, username, password));
      const r = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: `${rp.base}/cb` }, web);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    }

    it('signs up with the required attributes, confirms with the emailed code (a wrong one is refused), then signs in', async () => {
      const page = await (await chromium.browser.newContext()).newPage();
      await page.goto(authorize());
      await shot(page, 'login');
      await page.getByRole('link', { name: 'Sign up' }).click();
      await page.getByLabel('Username').fill('dave');
      await page.getByLabel('Email').fill('dave@example.com');
      await page.getByLabel('Password').fill('weak');
      await page.getByRole('button', { name: 'Sign up' }).click();
      assert.match(await page.locator('#password-error').innerText(), /Password did not conform with policy/);
      assert.equal(await page.getByLabel('Password').getAttribute('aria-describedby'), 'password-error', 'the error is tied to its field');
      await shot(page, 'signup-error');
      await page.getByLabel('Password').fill('Dave-Passw0rd!');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
      await shot(page, 'confirm');
      await page.getByLabel('Verification code').fill('000000');
      await page.getByRole('button', { name: 'Confirm account' }).click();
      assert.match(await page.getByRole('alert').innerText(), /Invalid verification code/);
      const { code } = await sentCode(t, poolId, 'dave@example.com');
      await page.getByLabel('Verification code').fill(code);
      await page.getByRole('button', { name: 'Confirm account' }).click();
      assert.match(await page.getByRole('status').innerText(), /confirmed/);
      const tokens = await signIn(page, 'dave', 'Dave-Passw0rd!');
      const id: unknown = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1] ?? '', 'base64url').toString('utf8'));
      assert.ok(typeof id === 'object' && id !== null && 'email_verified' in id && id.email_verified === true);
    });

    it('a user with a temporary password replaces it on the page (NEW_PASSWORD_REQUIRED), then gets a code', async () => {
      await c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'erin',
          TemporaryPassword: 'Temp-Passw0rd!',
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: 'erin@example.com' }],
        }),
      );
      const page = await (await chromium.browser.newContext()).newPage();
      await page.goto(authorize());
      await submitSignIn(page, 'erin', 'Temp-Passw0rd!');
      await page.getByRole('heading', { name: 'Change your password' }).waitFor();
      await shot(page, 'new-password');
      await page.getByLabel('New password', { exact: true }).fill('Erin-N3w-Passw0rd!');
      await page.getByLabel('Confirm new password').fill('Erin-Other-Passw0rd!');
      await page.getByRole('button', { name: 'Change password' }).click();
      assert.match(await page.getByRole('alert').innerText(), /do not match/);
      await page.getByLabel('New password', { exact: true }).fill('Erin-N3w-Passw0rd!');
      await page.getByLabel('Confirm new password').fill('Erin-N3w-Passw0rd!');
      const back = await arrivalAt(rp, '/cb', () => page.getByRole('button', { name: 'Change password' }).click());
      const r = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: `${rp.base}/cb` }, web);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });

    it('resets a forgotten password with the emailed code, then signs in with the new one', async () => {
      const page = await (await chromium.browser.newContext()).newPage();
      await page.goto(authorize());
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await shot(page, 'forgot');
      await page.getByLabel('Username').fill('dave');
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await shot(page, 'reset');
      const { code } = await sentCode(t, poolId, 'dave@example.com');
      await page.getByLabel('Code').fill(code);
      await page.getByLabel('New password').fill('Dave-N3w-Passw0rd!');
      await page.getByRole('button', { name: 'Change password' }).click();
      assert.match(await page.getByRole('status').innerText(), /password has been changed/);
      await signIn(page, 'dave', 'Dave-N3w-Passw0rd!');
    });
  });
}
