import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from 'playwright-core';
import type { Overrides } from '../../src/app.js';
import { launchChromium } from './browser.js';
import { startApp, startOAuthTessera } from './oauth.js';
import type { TestServer } from './server.js';

export type RelyingApp = Awaited<ReturnType<typeof startApp>>;
export type Chromium = Awaited<ReturnType<typeof launchChromium>>;

/** What a hosted-page test drives: the relying application, a Tessera on its public URL, an SDK client, Chromium. */
export interface HostedRig {
  rp: RelyingApp;
  t: TestServer;
  c: CognitoIdentityProviderClient;
  chromium: Chromium;
}

export async function startHostedRig(kind: 'sqlite' | 'postgres', overrides?: Overrides): Promise<HostedRig> {
  const rp = await startApp();
  const t = await startOAuthTessera(kind, overrides);
  try {
    return { rp, t, c: t.client(), chromium: await launchChromium() };
  } catch (err) {
    await t.close();
    await rp.close();
    throw err;
  }
}

/** Closes the browser first (its keep-alive connections), then the server, then the application. */
export async function stopHostedRig(rig: { chromium?: Chromium; t: TestServer; rp: RelyingApp }): Promise<void> {
  await rig.chromium?.close();
  await rig.t.close();
  await rig.rp.close();
}

/** Fills the hosted sign-in form (username and password) and presses Sign in. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Runs `go` (the step that ends a hosted flow) and resolves with the URL the browser arrived at in the
 * application at `path` (with the code or the error). Listens before `go`, so a fast redirect is not missed.
 */
export async function arrivalAt(rp: { next: (path: string) => Promise<URL> }, path: string, go: () => Promise<unknown>): Promise<URL> {
  const arrived = rp.next(path);
  await go();
  return arrived;
}
