/**
 * Managed login branding through the AWS SDK v3 (CreateManagedLoginBranding, DescribeManagedLoginBranding,
 * DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding, DeleteManagedLoginBranding): one style per
 * app client, Settings merged on update, Assets replaced per category and mode, the defaults behind
 * ReturnMergedResources, and the errors. Then the style on the hosted page in Chromium: its colours and its
 * form logo, while a client without a style keeps the default look.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CreateManagedLoginBrandingCommand,
  CreateUserPoolClientCommand,
  DeleteManagedLoginBrandingCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  UpdateManagedLoginBrandingCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import QRCode from 'qrcode';
import { launchChromium } from './helpers/browser.js';
import { startApp, startOAuthTessera } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';
import { createPool, failure } from './helpers/sign-in.js';

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const SETTINGS = {
  components: {
    primaryButton: { lightMode: { defaults: { backgroundColor: '1d8102ff', textColor: 'ffffffff' } } },
    pageBackground: { lightMode: { color: 'fdf6e3ff' } },
  },
  componentClasses: { buttons: { borderRadius: 12 } },
};

for (const kind of storeKinds()) {
  describe(`managed login branding (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let rp: Awaited<ReturnType<typeof startApp>>;
    let poolId: string;
    let logo: Uint8Array;

    before(async () => {
      rp = await startApp();
      t = await startOAuthTessera(kind);
      c = t.client();
      poolId = await createPool(c);
      logo = new Uint8Array(await QRCode.toBuffer('Tessera', { type: 'png', width: 96 }));
    });
    after(async () => {
      await t.close();
      await rp.close();
    });

    async function webClient(): Promise<string> {
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [`${rp.base}/cb`],
        }),
      );
      return r.UserPoolClient?.ClientId ?? '';
    }

    it('creates one style per client, describes it by id and by client, with or without the defaults merged in', async () => {
      const clientId = await webClient();
      const created = (await c.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS, Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo }] })))
        .ManagedLoginBranding;
      assert.match(created?.ManagedLoginBrandingId ?? '', UUID4);
      assert.equal(created?.UserPoolId, poolId);
      assert.equal(created?.UseCognitoProvidedValues, false);
      assert.deepEqual(created?.Settings, SETTINGS);
      assert.deepEqual(Buffer.from(created?.Assets?.[0]?.Bytes ?? []), Buffer.from(logo));
      assert.ok(created?.CreationDate instanceof Date);
      const id = created?.ManagedLoginBrandingId ?? '';

      const again = await failure(c.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true })));
      assert.equal(again.name, 'ManagedLoginBrandingExistsException');

      const byId = (await c.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }))).ManagedLoginBranding;
      assert.deepEqual(byId?.Settings, SETTINGS, 'without ReturnMergedResources: only what was customized');
      const byClient = (await c.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId, ReturnMergedResources: true }))).ManagedLoginBranding;
      assert.equal(byClient?.ManagedLoginBrandingId, id);
      const merged = JSON.parse(JSON.stringify(byClient?.Settings));
      assert.equal(merged.components.primaryButton.lightMode.defaults.backgroundColor, '1d8102ff', 'the customized value wins');
      assert.equal(merged.components.secondaryButton.lightMode.defaults.borderColor, '0972d3ff', 'a default fills in');
      assert.equal(merged.categories.global.colorSchemeMode, 'LIGHT');
    });

    it('update merges Settings and replaces assets per category and mode; UseCognitoProvidedValues resets; delete removes', async () => {
      const clientId = await webClient();
      const id =
        (await c.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, Settings: SETTINGS, Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo }] })))
          .ManagedLoginBranding?.ManagedLoginBrandingId ?? '';
      const updated = (
        await c.send(
          new UpdateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ManagedLoginBrandingId: id,
            Settings: { components: { pageBackground: { lightMode: { color: '000000ff' } } } },
            Assets: [{ Category: 'FAVICON_SVG', ColorMode: 'DYNAMIC', Extension: 'SVG', Bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') }],
          }),
        )
      ).ManagedLoginBranding;
      const s = JSON.parse(JSON.stringify(updated?.Settings));
      assert.equal(s.components.pageBackground.lightMode.color, '000000ff');
      assert.equal(s.components.primaryButton.lightMode.defaults.backgroundColor, '1d8102ff', 'settings not named are kept');
      assert.deepEqual(updated?.Assets?.map((a) => `${a.Category}/${a.ColorMode}`).sort(), ['FAVICON_SVG/DYNAMIC', 'FORM_LOGO/LIGHT']);

      const reset = (await c.send(new UpdateManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true }))).ManagedLoginBranding;
      assert.equal(reset?.UseCognitoProvidedValues, true);
      assert.deepEqual(reset?.Settings, {});
      assert.deepEqual(reset?.Assets, []);

      await c.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }));
      assert.equal((await failure(c.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })))).name, 'ResourceNotFoundException');
      assert.equal((await failure(c.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId })))).name, 'ResourceNotFoundException');
      assert.equal((await failure(c.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id })))).name, 'ResourceNotFoundException');
      const fresh = (await c.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }))).ManagedLoginBranding;
      assert.equal(fresh?.UseCognitoProvidedValues, true, 'after the delete the client can have a style again');
    });

    it('refuses what the API reference refuses: unknown pool or client, defaults with settings, bad colours and images', async () => {
      const clientId = await webClient();
      const create = (input: Partial<ConstructorParameters<typeof CreateManagedLoginBrandingCommand>[0]>) =>
        failure(c.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: clientId, ...input })));
      assert.equal((await create({ UserPoolId: 'us-east-1_nOtThErE1' })).name, 'ResourceNotFoundException');
      assert.equal((await create({ ClientId: 'nosuchclient1234567890abcd' })).name, 'ResourceNotFoundException');
      assert.equal((await create({ UseCognitoProvidedValues: true, Settings: SETTINGS })).name, 'InvalidParameterException');
      const badColor = await create({ Settings: { components: { pageBackground: { lightMode: { color: 'red' } } } } });
      assert.deepEqual([badColor.name, /pageBackground\.lightMode\.color/.test(badColor.message)], ['InvalidParameterException', true]);
      assert.equal((await create({ Assets: [{ Category: 'FAVICON_ICO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo }] })).name, 'InvalidParameterException');
      assert.equal((await create({ Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: Buffer.from('not a png') }] })).name, 'InvalidParameterException');
      const twice = { Category: 'FORM_LOGO' as const, ColorMode: 'LIGHT' as const, Extension: 'PNG' as const, Bytes: logo };
      assert.equal((await create({ Assets: [twice, twice] })).name, 'InvalidParameterException');
      assert.equal((await failure(c.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: '6f1d2c3b-1a2b-4c3d-8e9f-0a1b2c3d4e5f' })))).name, 'ResourceNotFoundException');
      assert.equal((await failure(c.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId })))).name, 'ResourceNotFoundException', 'no style yet');
    });

    it('the hosted page wears the client’s style (colours, logo); a client without one keeps the default look', async () => {
      const styled = await webClient();
      const plain = await webClient();
      await c.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolId, ClientId: styled, Settings: SETTINGS, Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: logo }] }));
      const chromium = await launchChromium();
      try {
        const page = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
        const look = async (clientId: string) => {
          await page.goto(`${t.endpoint}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: `${rp.base}/cb`, scope: 'openid' })}`);
          const button = page.getByRole('button', { name: 'Sign in' });
          return {
            button: await button.evaluate((b) => getComputedStyle(b).backgroundColor),
            radius: await button.evaluate((b) => getComputedStyle(b).borderTopLeftRadius),
            page: await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor),
            logo: await page.locator('img.logo-customizable').count(),
          };
        };
        const styledLook = await look(styled);
        mkdirSync('test/artifacts/pages', { recursive: true });
        await page.screenshot({ path: `test/artifacts/pages/${kind}-login-branded-desktop.png`, fullPage: true });
        assert.deepEqual({ ...styledLook, logo: undefined }, { button: 'rgb(29, 129, 2)', radius: '12px', page: 'rgb(253, 246, 227)', logo: undefined });
        assert.equal(styledLook.logo, 1);
        const drawn = await page.locator('img.logo-customizable').evaluate((img) => (img instanceof HTMLImageElement ? img.naturalWidth : 0));
        assert.ok(drawn > 0, 'the logo asset was served and drawn');
        assert.deepEqual(await look(plain), { button: 'rgb(9, 114, 211)', radius: '4px', page: 'rgb(244, 245, 247)', logo: 0 });
      } finally {
        await chromium.close();
      }
    });
  });
}
