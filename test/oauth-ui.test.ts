/** SetUICustomization / GetUICustomization through the AWS SDK, and the branding on the hosted page in Chromium. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateUserPoolClientCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { launchChromium } from './helpers/browser.js';
import { startOAuthTessera } from './helpers/oauth.js';
import { createPool } from './helpers/pools.js';
import { storeKinds, type TestServer } from './helpers/server.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const CSS = '.submitButton-customizable { background-color: rgb(1, 2, 3); }\n.label-customizable:hover, .banner-customizable { color: #123456; }';

for (const kind of storeKinds()) {
  describe(`UI customization (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let web: string;
    let other: string;
    before(async () => {
      t = await startOAuthTessera(kind);
      c = t.client();
      poolId = await createPool(c, 'ui');
      const client = (name: string) =>
        c.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: name,
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ['code'],
            AllowedOAuthScopes: ['openid'],
            CallbackURLs: ['http://localhost/cb'],
          }),
        );
      web = (await client('web')).UserPoolClient?.ClientId ?? '';
      other = (await client('other')).UserPoolClient?.ClientId ?? '';
    });
    after(() => t.close());

    it('sets the pool-wide branding and a client\'s own; a client without its own gets the pool\'s', async () => {
      const set = await c.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: PNG }));
      assert.equal(set.UICustomization?.ClientId, 'ALL');
      assert.equal(set.UICustomization?.CSS, CSS);
      assert.ok(set.UICustomization?.CSSVersion);
      assert.ok(set.UICustomization?.CreationDate instanceof Date);
      const logo = await fetch(set.UICustomization?.ImageUrl ?? '');
      assert.equal(logo.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), PNG);

      const inherited = await c.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: other }));
      assert.equal(inherited.UICustomization?.CSS, CSS);
      const own = '.submitButton-customizable { background-color: rgb(9, 9, 9); }';
      await c.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: other, CSS: own }));
      assert.equal((await c.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: other }))).UICustomization?.CSS, own);
      assert.equal((await c.send(new GetUICustomizationCommand({ UserPoolId: poolId }))).UICustomization?.CSS, CSS);
    });

    it('refuses CSS for other classes (no way out of the style element), a non-image logo and an unknown client', async () => {
      await assert.rejects(c.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: 'body { display: none; }' })), { name: 'InvalidParameterException' });
      await assert.rejects(
        c.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '.submitButton-customizable { color: red; }</style><script>alert(1)</script>' })),
        { name: 'InvalidParameterException' },
      );
      await assert.rejects(c.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: Buffer.from('GIF89a...') })), { name: 'InvalidParameterException' });
      await assert.rejects(c.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient1234567890abcd', CSS })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new GetUICustomizationCommand({ UserPoolId: 'us-east-1_missing1' })), { name: 'ResourceNotFoundException' });
    });

    it('the hosted page shows the logo and applies the CSS', async () => {
      const chromium = await launchChromium();
      try {
        const page = await chromium.browser.newPage();
        const q = new URLSearchParams({ client_id: web, response_type: 'code', redirect_uri: 'http://localhost/cb', scope: 'openid' });
        await page.goto(`${t.endpoint}/login?${q}`);
        const bg = await page.getByRole('button', { name: 'Sign in' }).evaluate((b) => getComputedStyle(b).backgroundColor);
        assert.equal(bg, 'rgb(1, 2, 3)');
        const width = await page.locator('img.logo-customizable').evaluate((img) => (img instanceof HTMLImageElement ? img.naturalWidth : 0));
        assert.equal(width, 1, 'the logo loaded under the page\'s content security policy');
      } finally {
        await chromium.close();
      }
    });
  });
}
