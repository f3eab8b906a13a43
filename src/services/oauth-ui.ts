import { invalidParameter } from '../domain/errors.js';
import type { Input } from '../domain/input.js';
import type { UiCustomizationRow } from '../store/repositories/oauth.js';
import type { ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { PoolService } from './pools.js';

/** The pool-wide branding's client id: "To apply a default style to all app clients ... set this parameter value to ALL". */
export const ALL_CLIENTS = 'ALL';

/**
 * The classes the classic hosted UI lets CSS style
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html); the hosted
 * pages carry them, and CSS naming anything else is refused.
 */
export const CUSTOMIZABLE_CLASSES: ReadonlySet<string> = new Set([
  'background-customizable',
  'banner-customizable',
  'errorMessage-customizable',
  'idpButton-customizable',
  'idpDescription-customizable',
  'inputField-customizable',
  'label-customizable',
  'legalText-customizable',
  'logo-customizable',
  'passwordCheck-notValid-customizable',
  'passwordCheck-valid-customizable',
  'redirect-customizable',
  'socialButton-customizable',
  'submitButton-customizable',
  'textDescription-customizable',
]);

/** A class selector with an optional state, e.g. `.submitButton-customizable:hover`. */
const SELECTOR = /^\.([A-Za-z-]+)(?::(?:hover|focus|active))?$/;
/** "The logo image file must be PNG or JPG, up to 100 KB" (DG, hosted-ui-classic-branding). */
const MAX_IMAGE_BYTES = 100 * 1024;

export interface UiCustomization {
  poolId: string;
  clientId: string;
  css?: string;
  imageType?: string;
  cssVersion?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** What a hosted page applies: the CSS and whether there is a logo (served by the hosted routes). */
export interface Branding {
  css?: string;
  logoUrl?: string;
  /** A managed login style's favicon (FAVICON_SVG or FAVICON_ICO asset). */
  faviconUrl?: string;
}

/** Checks that every rule of `css` styles only customizable classes (wording of the error not confirmed). */
export function checkCss(css: string): void {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const rule of withoutComments.split('}')) {
    const brace = rule.indexOf('{');
    if (brace < 0) {
      if (rule.trim() !== '') throw invalidParameter('Invalid CSS: unbalanced rule.');
      continue;
    }
    for (const selector of rule.slice(0, brace).split(',')) {
      const m = SELECTOR.exec(selector.trim());
      if (!m?.[1] || !CUSTOMIZABLE_CLASSES.has(m[1])) throw invalidParameter(`${selector.trim()} is not a valid css class.`);
    }
  }
}

/** The image's type from its first bytes: PNG or JPEG only. */
function imageType(bytes: Buffer): string {
  if (bytes.length > MAX_IMAGE_BYTES) throw invalidParameter('The image file is larger than 100 KB.');
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  throw invalidParameter('The image file must be a PNG or JPEG image.');
}

function toCustomization(row: UiCustomizationRow): UiCustomization {
  return {
    poolId: row.pool_id,
    clientId: row.client_id,
    ...(row.css === null ? {} : { css: row.css }),
    ...(row.image_type === null ? {} : { imageType: row.image_type }),
    cssVersion: row.css_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SetUICustomization / GetUICustomization, and the branding a hosted page applies. */
export class UiCustomizationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
  ) {}

  /** Replaces the branding of the pool (ClientId omitted or ALL) or of one app client. */
  async set(ctx: CallerContext, input: Input): Promise<UiCustomization> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const clientId = input.optStr('ClientId') ?? ALL_CLIENTS;
    if (clientId !== ALL_CLIENTS) await this.clients.getClientForPool(ctx, pool.id, clientId);
    const css = input.optStr('CSS');
    if (css !== undefined) checkCss(css);
    const image = input.optStr('ImageFile');
    const bytes = image === undefined ? undefined : Buffer.from(image, 'base64');
    const type = bytes === undefined ? null : imageType(bytes);
    const now = this.deps.clock.now().getTime();
    const row = await this.deps.store.oauth.putUiCustomization({
      pool_id: pool.id,
      client_id: clientId,
      css: css ?? null,
      image: bytes === undefined ? null : bytes.toString('base64'),
      image_type: type,
      css_version: String(now),
      created_at: now,
      updated_at: now,
    });
    return toCustomization(row);
  }

  /** The client's branding, else the pool's; with neither, just the ids (as Cognito answers). */
  async get(ctx: CallerContext, poolId: string, clientId: string | undefined): Promise<UiCustomization> {
    const pool = await this.pools.get(ctx, poolId);
    if (clientId !== undefined && clientId !== ALL_CLIENTS) await this.clients.getClientForPool(ctx, pool.id, clientId);
    const row = await this.effective(pool.id, clientId);
    return row ? toCustomization(row) : { poolId: pool.id, clientId: clientId ?? ALL_CLIENTS };
  }

  /** The logo of a pool's or client's branding, for the hosted pages. */
  async logo(poolId: string, clientId: string): Promise<{ type: string; bytes: Buffer } | undefined> {
    const row = await this.deps.store.oauth.findUiCustomization(poolId, clientId);
    if (!row || row.image === null || row.image_type === null) return undefined;
    return { type: row.image_type, bytes: Buffer.from(row.image, 'base64') };
  }

  /**
   * Where the logo is served (a hosted-pages route, on every host the pages are), versioned so that a new
   * logo is fetched anew; `absolute` adds the public URL (ImageUrl of the API).
   */
  logoUrl(c: UiCustomization, absolute = false): string | undefined {
    if (c.imageType === undefined) return undefined;
    const path = `/_tessera/ui/${encodeURIComponent(c.poolId)}/${encodeURIComponent(c.clientId)}/logo?v=${c.cssVersion ?? ''}`;
    return absolute ? `${this.deps.config.publicUrl}${path}` : path;
  }

  /** What a hosted page for this client shows. */
  async branding(poolId: string, clientId: string): Promise<Branding> {
    const row = await this.effective(poolId, clientId);
    if (!row) return {};
    const c = toCustomization(row);
    const logoUrl = this.logoUrl(c);
    return { ...(c.css === undefined ? {} : { css: c.css }), ...(logoUrl === undefined ? {} : { logoUrl }) };
  }

  private async effective(poolId: string, clientId: string | undefined): Promise<UiCustomizationRow | undefined> {
    const own = clientId !== undefined && clientId !== ALL_CLIENTS ? await this.deps.store.oauth.findUiCustomization(poolId, clientId) : undefined;
    return own ?? (await this.deps.store.oauth.findUiCustomization(poolId, ALL_CLIENTS));
  }
}
