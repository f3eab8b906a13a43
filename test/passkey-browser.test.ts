/**
 * A passkey registered and used for sign-in in real headless Chromium, end to end through the API: the page
 * (served by this test on localhost, the pool's relying party) asks its back end for CredentialCreationOptions
 * (StartWebAuthnRegistration), runs navigator.credentials.create on Chromium's virtual authenticator (CDP
 * WebAuthn domain: CTAP2, internal transport, resident keys, user verification), posts the result back
 * (CompleteWebAuthnRegistration), then signs in with USER_AUTH / WEB_AUTHN: navigator.credentials.get on
 * CREDENTIAL_REQUEST_OPTIONS and RespondToAuthChallenge with the CREDENTIAL. The back end talks to Tessera
 * through the AWS SDK v3, as an application server would.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CompleteWebAuthnRegistrationCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { ALL_FLOWS, confirmedUser, createClient, createPool, passwordAuth } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';

/** The page: two buttons' worth of script, using the browser's own WebAuthn JSON helpers. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>passkeys</title><script>
async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const answer = await r.json();
  if (!r.ok) throw new Error(answer.error);
  return answer;
}
window.registerPasskey = async () => {
  const { options } = await post('/registration/start');
  const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
  return post('/registration/complete', { credential: credential.toJSON() });
};
window.signInWithPasskey = async (username) => {
  const { options, session } = await post('/sign-in/start', { username });
  const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
  return post('/sign-in/finish', { username, session, credential: credential.toJSON() });
};
</script><p>passkey test page</p>`;

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(body === '' ? '{}' : body);
        resolve(typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {});
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

/** The application's back end: holds the user's access token and relays to Tessera with the AWS SDK. */
function appServer(c: CognitoIdentityProviderClient, clientId: string, accessToken: () => string): Server {
  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    '/registration/start': async () => ({
      options: (await c.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken() }))).CredentialCreationOptions,
    }),
    '/registration/complete': async (b) => {
      const credential = JSON.parse(JSON.stringify(b.credential ?? null));
      await c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken(), Credential: credential }));
      return { ok: true };
    },
    '/sign-in/start': async (b) => {
      const r = await c.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: String(b.username), PREFERRED_CHALLENGE: 'WEB_AUTHN' } }),
      );
      return { challenge: r.ChallengeName, session: r.Session, options: JSON.parse(r.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? 'null') };
    },
    '/sign-in/finish': async (b) => {
      const r = await c.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'WEB_AUTHN',
          Session: String(b.session),
          ChallengeResponses: { USERNAME: String(b.username), CREDENTIAL: JSON.stringify(b.credential) },
        }),
      );
      return { signedIn: typeof r.AuthenticationResult?.AccessToken === 'string', idToken: r.AuthenticationResult?.IdToken };
    },
  };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
    if (req.method === 'GET') return void send(200, 'text/html', PAGE);
    const route = routes[req.url ?? ''];
    if (!route) return void send(404, 'application/json', '{"error":"not found"}');
    readJson(req)
      .then(route)
      .then((out) => send(200, 'application/json', JSON.stringify(out)))
      .catch((err: unknown) => send(400, 'application/json', JSON.stringify({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })));
  });
}

describe('passkeys in headless Chromium', () => {
  let chromium: { browser: Browser; close: () => Promise<void> };
  before(async () => {
    chromium = await launchChromium();
  });
  after(() => chromium.close());

  for (const kind of storeKinds()) {
    describe(`on ${kind}`, () => {
      let t: TestServer;
      let c: CognitoIdentityProviderClient;
      let app: Server;
      let origin: string;
      let poolId: string;
      let token = '';

      before(async () => {
        t = await startTessera({ store: kind });
        c = t.client();
        poolId = await createPool(c, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } });
        await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
        const clientId = (await createClient(c, poolId, { ExplicitAuthFlows: [...ALL_FLOWS, 'ALLOW_USER_AUTH'] })).id;
        await confirmedUser(c, poolId, 'alice', PASSWORD);
        token = (await passwordAuth(c, clientId, 'alice', PASSWORD)).AuthenticationResult?.AccessToken ?? '';
        app = appServer(c, clientId, () => token);
        await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
        origin = `http://localhost:${(app.address() as AddressInfo).port}`;
      });
      after(async () => {
        await new Promise((resolve) => app.close(resolve));
        await t.close();
      });

      async function pageWithAuthenticator(): Promise<{ page: Page; authenticatorId: string; credentials: () => Promise<unknown[]>; close: () => Promise<void> }> {
        const context = await chromium.browser.newContext();
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('WebAuthn.enable');
        const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
        });
        await page.goto(origin);
        const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
        return { page, authenticatorId, credentials, close: () => context.close() };
      }

      it('registers a passkey with navigator.credentials.create and signs in with navigator.credentials.get', async () => {
        const browser = await pageWithAuthenticator();
        try {
          assert.deepEqual(await browser.page.evaluate(() => Reflect.get(window, 'registerPasskey')()), { ok: true });
          const held = await browser.credentials();
          assert.equal(held.length, 1, 'the virtual authenticator holds the new passkey');
          const listed = await c.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
          assert.equal(listed.Credentials?.length, 1);
          assert.equal(listed.Credentials?.[0]?.RelyingPartyId, 'localhost');

          for (let i = 0; i < 2; i++) {
            const result = await browser.page.evaluate((u) => Reflect.get(window, 'signInWithPasskey')(u), 'alice');
            assert.equal(Reflect.get(Object(result), 'signedIn'), true, `passkey sign-in ${i + 1}`);
          }
        } finally {
          await browser.close();
        }
      });

      it('refuses a sign-in from an authenticator that holds no passkey of the user', async () => {
        const browser = await pageWithAuthenticator();
        try {
          // The options name alice's credential; this fresh authenticator has none, so the browser gives up.
          const error = await browser.page.evaluate(() =>
            Promise.resolve(Reflect.get(window, 'signInWithPasskey')('alice')).then(
              () => 'signed in',
              (e: unknown) => (e instanceof Error ? e.name : String(e)),
            ),
          );
          assert.equal(error, 'NotAllowedError');
        } finally {
          await browser.close();
        }
      });
    });
  }
});
