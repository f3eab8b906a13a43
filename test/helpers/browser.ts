import { chromium, type Browser } from 'playwright-core';

/**
 * A real headless Chromium (Debian's, installed by scripts/chromium.sh, which `npm test` runs first),
 * driven with playwright-core. The flags keep it off the network it cannot reach here (background
 * networking, component updates, sync) and let it run as root, as CI does. Playwright gives each launch a
 * fresh profile of its own.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.TESSERA_TEST_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser, close: () => browser.close() };
}
