/**
 * Every hosted page in Chromium, at a desktop and a phone width: a screenshot of each (and of its error
 * state) under test/artifacts/pages/ for checking the layout by eye, and the accessibility wiring asserted
 * on each: the document language, a label for every input, an error tied to its field (aria-invalid,
 * aria-describedby) that has the focus, and the default theme's contrast. The TOTP set-up page's QR code and
 * its otpauth:// URI are checked here too.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { startHostedRig, stopHostedRig, submitSignIn } from './helpers/hosted.js';
import { totpCode } from './helpers/mfa.js';
import { startApp } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, passwordAuth, TestClock } from './helpers/sign-in.js';

const ARTIFACTS = 'test/artifacts/pages';
const PASSWORD = 'Corr3ct-Horse!';
const SMS = { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' } };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** What the page tells assistive technology, read in the browser. */
interface A11yReport {
  lang: string;
  unlabelled: string[];
  invalid: Array<{ id: string; describedBy: string; text: string }>;
  focused: string;
  contrast: Array<{ what: string; ratio: number; min: number }>;
}

/** Runs in the page: labels, aria wiring, focus, and WCAG contrast ratios of the default theme's colours. */
function inspect(): A11yReport {
  const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const lum = (c: string): number => {
    const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a: string, b: string): number => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
  };
  const main = document.querySelector('main');
  const bg = main ? getComputedStyle(main).backgroundColor : 'rgb(255,255,255)';
  const contrast: A11yReport['contrast'] = [];
  const text = (sel: string, what: string, min: number, background = bg): void => {
    const el = document.querySelector(sel);
    if (el) contrast.push({ what, ratio: ratio(getComputedStyle(el).color, background), min });
  };
  text('h1', 'heading', 4.5);
  text('label', 'label', 4.5);
  text('.error, .alert', 'error text', 4.5, getComputedStyle(document.querySelector('.alert') ?? main ?? document.body).backgroundColor);
  text('a', 'link', 4.5);
  const button = document.querySelector('button');
  if (button) contrast.push({ what: 'button', ratio: ratio(getComputedStyle(button).color, getComputedStyle(button).backgroundColor), min: 4.5 });
  const input = document.querySelector('input:not([type=hidden]):not([type=radio])');
  if (input) contrast.push({ what: 'input border', ratio: ratio(getComputedStyle(input).borderTopColor, bg), min: 3 });
  const inputs = [...document.querySelectorAll('input:not([type=hidden])')].filter((e): e is HTMLInputElement => e instanceof HTMLInputElement);
  return {
    lang: document.documentElement.lang,
    unlabelled: inputs.filter((i) => (i.labels?.length ?? 0) === 0 && !i.getAttribute('aria-label')).map((i) => i.name),
    invalid: [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => {
      const describedBy = e.getAttribute('aria-describedby') ?? '';
      return { id: e.id, describedBy, text: describedBy ? (document.getElementById(describedBy)?.textContent ?? '') : '' };
    }),
    focused: document.activeElement?.id ?? '',
    contrast,
  };
}

for (const kind of storeKinds()) {
  describe(`hosted pages: screenshots and accessibility in Chromium (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let chromium: { browser: Browser; close: () => Promise<void> };
    let poolId: string;
    let web: string;
    let api: string;

    before(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      ({ rp, t, c, chromium } = await startHostedRig(kind, { clock }));
      poolId = await createPool(c, {
        PoolName: 'Pages',
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
      });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, SmsMfaConfiguration: SMS }));
      web = await webClient(poolId);
      api = (await createClient(c, poolId)).id;
    });
    after(() => stopHostedRig({ chromium, t, rp }));

    async function webClient(pool: string): Promise<string> {
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool,
          ClientName: 'web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: [`${rp.base}/cb`],
        }),
      );
      return r.UserPoolClient?.ClientId ?? '';
    }

    const authorize = (clientId = web, redirect = `${rp.base}/cb`) =>
      `${t.endpoint}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirect, scope: 'openid' })}`;
    /** A fresh browser. tsx compiles `inspect` with esbuild's keepNames, whose `__name` helper the page lacks. */
    async function newPage(): Promise<Page> {
      const context = await chromium.browser.newContext({ viewport: DESKTOP });
      await context.addInitScript('window.__name = (f) => f;');
      return context.newPage();
    }

    /** Screenshots at both widths, then the accessibility checks every page must pass. */
    async function check(page: Page, name: string, error?: { field: string; text: RegExp }): Promise<void> {
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: `${ARTIFACTS}/${kind}-${name}-phone.png`, fullPage: true });
      const phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(phoneOverflow, false, `${name}: nothing is wider than a phone screen`);
      await page.setViewportSize(DESKTOP);
      await page.screenshot({ path: `${ARTIFACTS}/${kind}-${name}-desktop.png`, fullPage: true });
      const r = await page.evaluate(inspect);
      assert.equal(r.lang, 'en', `${name}: the document language`);
      assert.deepEqual(r.unlabelled, [], `${name}: every input has a label`);
      for (const ct of r.contrast) assert.ok(ct.ratio >= ct.min, `${name}: ${ct.what} contrast ${ct.ratio.toFixed(2)} < ${ct.min}`);
      if (error) {
        assert.equal(r.invalid.length, 1, `${name}: one field is marked invalid`);
        assert.equal(r.invalid[0]?.id, error.field, `${name}: the invalid field`);
        assert.equal(r.invalid[0]?.describedBy, `${error.field}-error`);
        assert.match(r.invalid[0]?.text ?? '', error.text, `${name}: the error is tied to its field`);
        assert.equal(r.focused, error.field, `${name}: the field with the error has the focus`);
      } else assert.deepEqual(r.invalid, [], `${name}: no field is marked invalid`);
    }

    it('sign-in page, a refused sign-in next to the password, and the error page', async () => {
      await confirmedUser(c, poolId, 'lena', PASSWORD, { email: 'lena@example.com' });
      const page = await newPage();
      await page.goto(authorize());
      await check(page, 'login');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'username', 'the first field has the focus');
      await submitSignIn(page, 'lena', 'Wr0ng-password!');
      await check(page, 'login-error', { field: 'password', text: /Incorrect username or password/ });
      await page.goto(authorize(web, `${rp.base}/elsewhere`));
      await check(page, 'error');
      assert.match(await page.getByRole('alert').innerText(), /redirect/i);
    });

    it('sign-up (a weak password under the password field) and confirmation (a wrong code under the code field)', async () => {
      const page = await newPage();
      await page.goto(authorize());
      await page.getByRole('link', { name: 'Sign up' }).click();
      await check(page, 'signup');
      await page.getByLabel('Username').fill('dana');
      await page.getByLabel('Email').fill('dana@example.com');
      await page.getByLabel('Password').fill('weak');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await check(page, 'signup-error', { field: 'password', text: /Password/ });
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
      await check(page, 'confirm');
      await page.getByLabel('Verification code').fill('000000');
      await page.getByRole('button', { name: 'Confirm account' }).click();
      await check(page, 'confirm-error', { field: 'code', text: /Invalid verification code/ });
    });

    it('forgot password and reset (a wrong code under the code field)', async () => {
      await confirmedUser(c, poolId, 'ruth', PASSWORD, { email: 'ruth@example.com', email_verified: 'true' });
      const page = await newPage();
      await page.goto(authorize());
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await check(page, 'forgot');
      await page.getByLabel('Username').fill('ruth');
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await check(page, 'reset');
      await page.getByLabel('Code').fill('000000');
      await page.getByLabel('New password').fill('An0ther-Horse!');
      await page.getByRole('button', { name: 'Change password' }).click();
      await check(page, 'reset-error', { field: 'code', text: /Invalid verification code/ });
    });

    it('new password required (a mismatch under the confirmation field)', async () => {
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'newbie', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }] }));
      const page = await newPage();
      await page.goto(authorize());
      await submitSignIn(page, 'newbie', 'Temp-Passw0rd!');
      await page.getByRole('heading', { name: 'Change your password' }).waitFor();
      await check(page, 'new-password');
      await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm new password').fill(`${PASSWORD}x`);
      await page.getByRole('button', { name: 'Change password' }).click();
      await check(page, 'new-password-error', { field: 'confirm_password', text: /do not match/ });
    });

    /** A user with a verified authenticator app (and SMS too when `sms`), through the API. */
    async function mfaUser(name: string, sms: boolean): Promise<void> {
      await confirmedUser(c, poolId, name, PASSWORD, { email: `${name}@example.com`, phone_number: '+15550001234' });
      const access = (await passwordAuth(c, api, name, PASSWORD)).AuthenticationResult?.AccessToken ?? '';
      const secret = (await c.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))).SecretCode ?? '';
      await c.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totpCode(secret, clock.now().getTime()) }));
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: !sms }, ...(sms ? { SMSMfaSettings: { Enabled: true } } : {}) }));
    }

    it('MFA code entry (a wrong code under the code field) and the MFA method choice', async () => {
      await mfaUser('tina', false);
      const page = await newPage();
      await page.goto(authorize());
      await submitSignIn(page, 'tina', PASSWORD);
      await page.getByRole('heading', { name: 'Enter your authenticator code' }).waitFor();
      await check(page, 'mfa-code');
      await page.getByLabel('Code').fill('000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await check(page, 'mfa-code-error', { field: 'code', text: /Invalid code/ });
      await mfaUser('sam', true);
      const choose = await newPage();
      await choose.goto(authorize());
      await submitSignIn(choose, 'sam', PASSWORD);
      await choose.getByRole('heading', { name: 'Choose how to verify' }).waitFor();
      await check(choose, 'mfa-choice');
      const radios = choose.getByRole('group', { name: 'Verification method' }).getByRole('radio');
      assert.equal(await radios.count(), 2);
      for (const name of ['Text message', 'Authenticator app']) {
        const [radio, label] = await Promise.all([choose.getByRole('radio', { name }).boundingBox(), choose.getByText(name, { exact: true }).boundingBox()]);
        assert.ok(radio && label && Math.abs(radio.y + radio.height / 2 - (label.y + label.height / 2)) < 6 && radio.x < label.x, `${name}: the radio sits on its label's line, before it`);
      }
    });

    it('TOTP set-up: a QR code image of the otpauth:// URI (issuer, account, secret), the key as text, a wrong first code under the field', async () => {
      const required = await createPool(c, { PoolName: 'Acme Corp' });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: required, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const client = await webClient(required);
      await confirmedUser(c, required, 'otto', PASSWORD);
      const page = await newPage();
      await page.goto(authorize(client));
      await submitSignIn(page, 'otto', PASSWORD);
      await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
      await check(page, 'totp-setup');
      const key = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
      assert.match(key, /^[A-Z2-7]{32}$/);
      const uri = new URL((await page.getByRole('link', { name: 'open in an authenticator' }).getAttribute('href')) ?? '');
      assert.equal(uri.protocol, 'otpauth:');
      assert.equal(uri.host, 'totp');
      assert.equal(decodeURIComponent(uri.pathname), '/Acme Corp:otto', 'label: issuer and account');
      assert.equal(uri.searchParams.get('secret'), key);
      assert.equal(uri.searchParams.get('issuer'), 'Acme Corp');
      const qr = page.getByRole('img', { name: /QR code/ });
      const src = (await qr.getAttribute('src')) ?? '';
      assert.match(src, /^data:image\/svg\+xml;base64,/);
      assert.match(Buffer.from(src.split(',')[1] ?? '', 'base64').toString(), /^<svg[\s\S]*<path/);
      assert.ok((await qr.evaluate((img) => (img instanceof HTMLImageElement ? img.naturalWidth : 0))) > 0, 'the browser drew the QR code');
      await page.getByLabel('Code from the app').fill('000000');
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await check(page, 'totp-setup-error', { field: 'code', text: /Code mismatch/ });
      assert.equal((await page.locator('#totp-secret').innerText()).replace(/\s/g, ''), key, 'the same key is shown again');
    });
  });
}
