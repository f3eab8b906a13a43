/**
 * "Sign in with passkey" on the hosted sign-in page, in real headless Chromium with a CDP virtual authenticator
 * (CTAP2, internal, resident keys, user verification): a passkey registered through the API
 * (StartWebAuthnRegistration / CompleteWebAuthnRegistration, navigator.credentials.create on the pages' origin),
 * then /oauth2/authorize → the page's passkey button → navigator.credentials.get → a code → /oauth2/token with
 * PKCE. Also: without JavaScript the passkey step says so; a user without a passkey and a name that is no user
 * get the same page when the client hides user existence.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHostedRig, stopHostedRig } from './helpers/hosted.js';
import { postForm, startApp } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, passwordAuth } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';
const ARTIFACTS = 'test/artifacts/pages';

for (const kind of storeKinds()) {
  describe(`hosted sign-in with a passkey in Chromium (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let chromium: { browser: Browser; close: () => Promise<void> };
    let poolId: string;
    let web: string;
    let api: string;
    /** The pages on `localhost`: a WebAuthn relying party id cannot be an IP address. */
    let pages: string;

    before(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      ({ rp, t, c, chromium } = await startHostedRig(kind));
      pages = t.endpoint.replace('127.0.0.1', 'localhost');
      poolId = await createPool(c, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
      api = (await createClient(c, poolId)).id;
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          PreventUserExistenceErrors: 'ENABLED',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [`${rp.base}/cb`],
        }),
      );
      web = r.UserPoolClient?.ClientId ?? '';
      await confirmedUser(c, poolId, 'alice', PASSWORD);
      await confirmedUser(c, poolId, 'bob', PASSWORD);
    });
    after(() => stopHostedRig({ chromium, t, rp }));

    const verifier = randomBytes(32).toString('base64url');
    const authorize = () =>
      `${pages}/oauth2/authorize?${new URLSearchParams({
        client_id: web,
        response_type: 'code',
        redirect_uri: `${rp.base}/cb`,
        scope: 'openid',
        state: 'st',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      })}`;

    /** A page with Chromium's virtual authenticator attached; `held()` lists the passkeys it keeps. */
    async function withAuthenticator(context: BrowserContext): Promise<{ page: Page; held: () => Promise<unknown[]> }> {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
      });
      return { page, held: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
    }

    /** Registers a passkey for alice: options from the API, navigator.credentials.create on the pages' origin. */
    async function registerPasskey(page: Page): Promise<void> {
      const access = (await passwordAuth(c, api, 'alice', PASSWORD)).AuthenticationResult?.AccessToken ?? '';
      const options = (await c.send(new StartWebAuthnRegistrationCommand({ AccessToken: access }))).CredentialCreationOptions;
      await page.goto(`${pages}/login?client_id=${web}&response_type=code&redirect_uri=${encodeURIComponent(`${rp.base}/cb`)}`);
      // A string, not a function: the test's compiled functions carry a helper the page does not have.
      const json = await page.evaluate(
        `navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(${JSON.stringify(options)}) }).then((c) => JSON.stringify(c.toJSON()))`,
      );
      assert.equal(typeof json, 'string');
      await c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: JSON.parse(String(json)) }));
    }

    it('authorize → "Sign in with passkey" → navigator.credentials.get → code → tokens for the passkey owner', async () => {
      const context = await chromium.browser.newContext();
      const { page, held } = await withAuthenticator(context);
      await registerPasskey(page);
      assert.equal((await held()).length, 1, 'the virtual authenticator holds the passkey');
      const shots = async (what: string) => {
        for (const [name, size] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
          await page.setViewportSize(size);
          await page.screenshot({ path: `${ARTIFACTS}/${kind}-${what}-${name}.png`, fullPage: true });
        }
      };
      await page.goto(authorize());
      await shots('login-passkey');
      await page.getByLabel('Username').fill('alice');
      await page.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
      await page.getByRole('heading', { name: 'Sign in with your passkey' }).waitFor();
      await shots('passkey');
      const go = page.getByRole('button', { name: 'Continue with passkey' });
      assert.equal(await go.isVisible(), true, 'the script showed the button');
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'passkey-go', 'the button has the focus');
      const arrived = rp.next('/cb');
      await go.click();
      const back = await arrived;
      assert.equal(back.searchParams.get('state'), 'st');
      const tokens = await postForm(`${t.endpoint}/oauth2/token`, {
        grant_type: 'authorization_code',
        client_id: web,
        code: back.searchParams.get('code') ?? '',
        redirect_uri: `${rp.base}/cb`,
        code_verifier: verifier,
      });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const idToken = String(tokens.body.id_token);
      const claims: unknown = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString());
      const sub = (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value;
      assert.equal(Reflect.get(Object(claims), 'sub'), sub, 'the tokens are alice’s');
      await context.close();
    });

    it('an authenticator without the passkey: the page says no passkey was used and nothing is issued', async () => {
      const context = await chromium.browser.newContext();
      const { page } = await withAuthenticator(context);
      await page.goto(authorize());
      await page.getByLabel('Username').fill('alice');
      await page.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
      let arrived = false;
      void rp.next('/cb').then(() => (arrived = true));
      await page.getByRole('button', { name: 'Continue with passkey' }).click();
      await page.getByText(/No passkey was used \(NotAllowedError\)/).waitFor();
      assert.equal(arrived, false);
      assert.match(page.url(), /\/login\?/);
      await context.close();
    });

    it('without JavaScript the passkey step says it needs it and offers the password', async () => {
      const context = await chromium.browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(authorize());
      await page.getByLabel('Username').fill('alice');
      await page.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
      await page.getByRole('heading', { name: 'Sign in with your passkey' }).waitFor();
      assert.match(await page.getByRole('alert').innerText(), /needs JavaScript/);
      assert.equal(await page.getByRole('button', { name: 'Continue with passkey' }).isVisible(), false);
      await page.getByRole('link', { name: 'Sign in with your password instead' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await context.close();
    });

    it('a user without a passkey and an unknown name get the same page (the client hides user existence)', async () => {
      const context = await chromium.browser.newContext();
      const page = await context.newPage();
      const seen: string[] = [];
      for (const name of ['bob', 'nobody']) {
        await page.goto(authorize());
        await page.getByLabel('Username').fill(name);
        await page.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
        await page.getByRole('status').waitFor();
        seen.push((await page.locator('main').innerText()).replace(name, '<name>'));
      }
      assert.match(seen[0] ?? '', /Passkey sign-in is not available for this account here/);
      assert.equal(seen[1], seen[0]);
      await context.close();
    });
  });
}
