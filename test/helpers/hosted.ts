import type { Page } from 'playwright-core';

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
