import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { arrivalAt, startHostedRig, stopHostedRig, submitSignIn } from './helpers/hosted.js';
import { httpJwksCache, postForm, startApp } from './helpers/oauth.js';
import { createPool } from './helpers/pools.js';
import { storeKinds, type TestServer } from './helpers/server.js';

const PASSWORD = 'Correct-Horse-9';

for (const kind of storeKinds()) {
  describe(`hosted sign-in, authorization code + PKCE in Chromium (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let issuer: string;
    let web: { id: string; secret: string };
    let other: string;
    let chromium: { browser: Browser; close: () => Promise<void> };
    let browser: BrowserContext;
    let page: Page;
    let config: oidc.Configuration;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let callback = '';
    let signedOut = '';
    const arrival = (path: string, go: () => Promise<unknown>) => arrivalAt(rp, path, go);

    const newClient = async (input: Partial<CreateUserPoolClientCommandInput>) => {
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code', 'implicit'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          CallbackURLs: [callback],
          LogoutURLs: [signedOut],
          // Only refresh-token auth for the API: the hosted page signs in regardless of ExplicitAuthFlows.
          ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
          ...input,
        }),
      );
      return { id: r.UserPoolClient?.ClientId ?? '', secret: r.UserPoolClient?.ClientSecret ?? '' };
    };

    before(async () => {
      ({ rp, t, c, chromium } = await startHostedRig(kind));
      callback = `${rp.base}/cb`;
      signedOut = `${rp.base}/bye`;
      poolId = await createPool(c, 'hosted');
      issuer = `${t.endpoint}/${poolId}`;
      web = await newClient({ GenerateSecret: true });
      other = (await newClient({ ClientName: 'other' })).id;
      await c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'alice',
          UserAttributes: [
            { Name: 'email', Value: 'alice@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      await c.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: PASSWORD, Permanent: true }));
      config = await oidc.discovery(new URL(issuer), web.id, web.secret, undefined, { execute: [oidc.allowInsecureRequests] });
      browser = await chromium.browser.newContext();
      page = await browser.newPage();
    });
    after(() => stopHostedRig({ chromium, t, rp }));

    const authorizeUrl = async (extra: Record<string, string> = {}) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: callback,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      return { url, verifier, state, nonce };
    };

    let refreshToken = '';

    it('signs in on the hosted page; openid-client exchanges the code with PKCE, reads userInfo; aws-jwt-verify accepts the tokens', async () => {
      const a = await authorizeUrl();
      await page.goto(a.url.href);
      assert.match(page.url(), /\/login\?/);
      assert.equal(await page.getAttribute('form', 'method'), 'post');
      const headers = (await page.request.get(page.url())).headers();
      assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
      const back = await arrival('/cb', () => submitSignIn(page, 'alice', PASSWORD));
      assert.equal(back.searchParams.get('state'), a.state);
      const cookies = await browser.cookies();
      const session = cookies.find((k) => k.name === `tessera-session-${poolId}`);
      assert.ok(session?.httpOnly && session.sameSite === 'Lax', 'the session cookie is HttpOnly and SameSite');

      const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
      const claims = tokens.claims();
      assert.equal(claims?.nonce, a.nonce);
      assert.equal(claims?.['cognito:username'], 'alice');
      assert.equal(typeof claims?.at_hash, 'string');
      assert.ok(tokens.refresh_token);
      refreshToken = tokens.refresh_token ?? '';

      const idVerifier = JwtRsaVerifier.create({ issuer, audience: web.id, jwksUri: `${issuer}/.well-known/jwks.json` }, { jwksCache: httpJwksCache() });
      const id = await idVerifier.verify(tokens.id_token ?? '');
      assert.equal(id.email, 'alice@example.com');
      const accessVerifier = JwtRsaVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` }, { jwksCache: httpJwksCache() });
      const access = await accessVerifier.verify(tokens.access_token);
      assert.equal(access.scope, 'openid email profile');
      assert.equal(access.client_id, web.id);

      const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims?.sub));
      assert.equal(info.email, 'alice@example.com');
      assert.equal(info.username, 'alice');

      // The code is single use.
      const again = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: callback, code_verifier: a.verifier }, web);
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'invalid_grant');
    });

    it('refreshes with the granted scopes, then revokes the refresh token', async () => {
      const refreshed = await oidc.refreshTokenGrant(config, refreshToken);
      assert.ok(refreshed.id_token);
      const payload: unknown = JSON.parse(Buffer.from(refreshed.access_token.split('.')[1] ?? '', 'base64url').toString('utf8'));
      assert.ok(typeof payload === 'object' && payload !== null && 'scope' in payload);
      assert.equal(payload.scope, 'openid email profile');
      await oidc.tokenRevocation(config, refreshToken);
      await assert.rejects(oidc.refreshTokenGrant(config, refreshToken), (err: unknown) => err instanceof Error && 'error' in err && err.error === 'invalid_grant');
      const info = await fetch(`${t.endpoint}/oauth2/userInfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
      assert.equal(info.status, 401, 'tokens of a revoked family are refused at userInfo');
    });

    it('gives single sign-on to another client of the pool, and refuses a wrong PKCE verifier', async () => {
      const otherConfig = await oidc.discovery(new URL(issuer), other, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(otherConfig, {
        redirect_uri: callback,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 's2',
      });
      const back = await arrival('/cb', () => page.goto(url.href));
      const code = back.searchParams.get('code') ?? '';
      assert.ok(code, 'no sign-in form: the session cookie signed the browser in');
      const wrong = await postForm(`${t.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: other, code, redirect_uri: callback, code_verifier: oidc.randomPKCECodeVerifier() });
      assert.equal(wrong.body.error, 'invalid_grant');
      assert.equal(wrong.body.access_token, undefined);
    });

    it('refuses an unregistered redirect_uri with a page (no redirect) and an unknown scope on the redirect_uri', async () => {
      const bad = await authorizeUrl({ redirect_uri: 'https://evil.example/cb' });
      const res = await fetch(bad.url, { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      const scope = await authorizeUrl({ scope: 'openid admin' });
      const r2 = await fetch(scope.url, { redirect: 'manual' });
      assert.equal(r2.status, 302);
      const loc = new URL(r2.headers.get('location') ?? '');
      assert.equal(`${loc.origin}${loc.pathname}`, callback);
      assert.equal(loc.searchParams.get('error'), 'invalid_scope');
      assert.equal(loc.searchParams.get('state'), scope.state);
    });

    it('signs out to a registered logout_uri; the next authorize shows the form again; a post without the CSRF token is refused', async () => {
      const out = await arrival('/bye', () => page.goto(`${t.endpoint}/logout?client_id=${web.id}&logout_uri=${encodeURIComponent(signedOut)}`));
      assert.equal(out.href, signedOut);
      const bad = await fetch(`${t.endpoint}/logout?client_id=${web.id}&logout_uri=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
      assert.equal(bad.status, 400);
      const a = await authorizeUrl();
      await page.goto(a.url.href);
      assert.match(page.url(), /\/login\?/, 'signed out: the sign-in form again');
      // The browser's cookies but no form token: refused, nothing issued.
      const res = await page.request.post(page.url(), { form: { username: 'alice', password: PASSWORD }, maxRedirects: 0 });
      assert.equal(res.status(), 403);
      assert.equal(res.headers().location, undefined);
    });

    it('says the password is wrong without leaving the page', async () => {
      const a = await authorizeUrl();
      await page.goto(a.url.href);
      await submitSignIn(page, 'alice', 'wrong-password');
      assert.match(await page.getByRole('alert').innerText(), /Incorrect username or password/);
      assert.match(page.url(), /\/login\?/);
    });
  });
}
