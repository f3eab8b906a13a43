import { CognitoError, invalidParameter } from '../domain/errors.js';
import { toJson, type Input, type Json } from '../domain/input.js';
import type { BrandingRow } from '../store/repositories/oauth.js';
import type { ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { checkSettings, DEFAULT_SETTINGS, isObject, mergeSettings, type JsonObject } from './oauth-branding-settings.js';
import type { PoolService } from './pools.js';

/** AssetType as stored: Bytes base64. */
export interface BrandingAsset {
  Category: string;
  ColorMode: string;
  Extension: string;
  Bytes?: string;
  ResourceId?: string;
}

/** ManagedLoginBrandingType. */
export interface ManagedLoginBranding {
  id: string;
  poolId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  settings: JsonObject;
  assets: BrandingAsset[];
  createdAt: number;
  updatedAt: number;
}

const notFound = (): CognitoError => new CognitoError('ResourceNotFoundException', 'Managed login branding does not exist.');

/** The file types a category takes where the category names one (the favicons); others take any image type. */
const CATEGORY_EXTENSIONS: Record<string, string> = { FAVICON_ICO: 'ICO', FAVICON_SVG: 'SVG' };

/** Checks the bytes are the image type the Extension names (first bytes; an SVG must be an svg element). */
function checkImage(a: BrandingAsset): void {
  const want = CATEGORY_EXTENSIONS[a.Category];
  if (want !== undefined && a.Extension !== want) throw invalidParameter(`Asset category ${a.Category} requires extension ${want}.`);
  if (a.Bytes === undefined) {
    if (a.ResourceId === undefined) throw invalidParameter(`Asset ${a.Category} (${a.ColorMode}) needs Bytes or a ResourceId.`);
    return;
  }
  const b = Buffer.from(a.Bytes, 'base64');
  const starts = (...bytes: number[]) => bytes.every((x, i) => b[i] === x);
  const ok: Record<string, () => boolean> = {
    PNG: () => starts(0x89, 0x50, 0x4e, 0x47),
    JPEG: () => starts(0xff, 0xd8, 0xff),
    ICO: () => starts(0x00, 0x00, 0x01, 0x00),
    WEBP: () => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
    SVG: () => /<svg[\s>]/i.test(b.subarray(0, 4096).toString('utf8')),
  };
  if (!(ok[a.Extension]?.() ?? false)) throw invalidParameter(`Asset ${a.Category} (${a.ColorMode}) is not a valid ${a.Extension} file.`);
}

/** The request's Assets, checked; one asset per category and colour mode. */
function assetsOf(input: Input): BrandingAsset[] | undefined {
  if (!input.has('Assets')) return undefined;
  const seen = new Set<string>();
  return input.objList('Assets').map((a) => {
    const asset: BrandingAsset = { Category: a.str('Category'), ColorMode: a.str('ColorMode'), Extension: a.str('Extension') };
    const bytes = a.optStr('Bytes');
    const resourceId = a.optStr('ResourceId');
    if (bytes !== undefined) asset.Bytes = bytes;
    if (resourceId !== undefined) asset.ResourceId = resourceId;
    const key = `${asset.Category}/${asset.ColorMode}`;
    if (seen.has(key)) throw invalidParameter(`Duplicate asset for category ${asset.Category} and color mode ${asset.ColorMode}.`);
    seen.add(key);
    checkImage(asset);
    return asset;
  });
}

/** "When you specify true for this option, you must also omit values for Settings and Assets" (API reference). */
function checkExclusive(input: Input): void {
  if (input.optBool('UseCognitoProvidedValues') === true && (input.has('Settings') || input.has('Assets'))) {
    throw invalidParameter('Settings and Assets must be omitted when UseCognitoProvidedValues is true.');
  }
}

function settingsOf(input: Input): JsonObject | undefined {
  const s: Json | undefined = input.json('Settings');
  if (s === undefined) return undefined;
  checkSettings(s);
  return isObject(s) ? s : {};
}

/** A stored asset list read back (written by this service, still parsed rather than trusted). */
function storedAssets(text: string): BrandingAsset[] {
  const list = toJson(JSON.parse(text));
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).flatMap((a): BrandingAsset[] => {
    const { Category, ColorMode, Extension, Bytes, ResourceId } = a;
    if (typeof Category !== 'string' || typeof ColorMode !== 'string' || typeof Extension !== 'string') return [];
    return [{ Category, ColorMode, Extension, ...(typeof Bytes === 'string' ? { Bytes } : {}), ...(typeof ResourceId === 'string' ? { ResourceId } : {}) }];
  });
}

function toBranding(row: BrandingRow): ManagedLoginBranding {
  const settings = toJson(JSON.parse(row.settings));
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    useCognitoProvidedValues: row.use_cognito_provided === 1,
    settings: isObject(settings) ? settings : {},
    assets: storedAssets(row.assets),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The managed login branding operations (CreateManagedLoginBranding and its four siblings,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html):
 * one style per app client, Settings merged on update (Cognito "preserves existing style settings that you don't
 * specify"), Assets replaced per category and colour mode.
 */
export class BrandingService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
  ) {}

  async create(ctx: CallerContext, input: Input): Promise<ManagedLoginBranding> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const clientId = input.str('ClientId');
    await this.clients.getClientForPool(ctx, pool.id, clientId);
    checkExclusive(input);
    const settings = settingsOf(input) ?? {};
    const assets = assetsOf(input) ?? [];
    const now = this.deps.clock.now().getTime();
    const row: BrandingRow = {
      id: this.deps.random.uuid(),
      pool_id: pool.id,
      client_id: clientId,
      use_cognito_provided: input.optBool('UseCognitoProvidedValues') === true || (!input.has('Settings') && !input.has('Assets')) ? 1 : 0,
      settings: JSON.stringify(settings),
      assets: JSON.stringify(assets),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.store.oauth.insertBranding(row);
    } catch (err) {
      if (!this.deps.store.dialect.isUniqueViolation(err)) throw err;
      throw new CognitoError('ManagedLoginBrandingExistsException', 'The app client already has a managed login branding style.');
    }
    return toBranding(row);
  }

  async describe(ctx: CallerContext, poolId: string, id: string): Promise<ManagedLoginBranding> {
    const pool = await this.pools.get(ctx, poolId);
    const row = await this.deps.store.oauth.findBranding(pool.id, id);
    if (!row) throw notFound();
    return toBranding(row);
  }

  async describeByClient(ctx: CallerContext, poolId: string, clientId: string): Promise<ManagedLoginBranding> {
    const pool = await this.pools.get(ctx, poolId);
    await this.clients.getClientForPool(ctx, pool.id, clientId);
    const row = await this.deps.store.oauth.findBrandingByClient(pool.id, clientId);
    if (!row) throw notFound();
    return toBranding(row);
  }

  /** UseCognitoProvidedValues true resets the style to the defaults (no settings, no assets). */
  async update(ctx: CallerContext, input: Input): Promise<ManagedLoginBranding> {
    const poolId = input.optStr('UserPoolId');
    const id = input.optStr('ManagedLoginBrandingId');
    if (poolId === undefined || id === undefined) throw invalidParameter('UserPoolId and ManagedLoginBrandingId are required.');
    const current = await this.describe(ctx, poolId, id);
    checkExclusive(input);
    const reset = input.optBool('UseCognitoProvidedValues') === true;
    const given = settingsOf(input);
    const settings = reset ? {} : given === undefined ? current.settings : mergeSettings(current.settings, given);
    const assets = reset ? [] : mergeAssets(current.assets, assetsOf(input));
    const now = Math.max(this.deps.clock.now().getTime(), current.updatedAt + 1);
    const row: BrandingRow = {
      id,
      pool_id: current.poolId,
      client_id: current.clientId,
      use_cognito_provided: reset || (current.useCognitoProvidedValues && given === undefined && !input.has('Assets')) ? 1 : 0,
      settings: JSON.stringify(settings),
      assets: JSON.stringify(assets),
      created_at: current.createdAt,
      updated_at: now,
    };
    if (!(await this.deps.store.oauth.updateBranding(row, current.updatedAt))) {
      throw new CognitoError('ConcurrentModificationException', 'The managed login branding style was changed by another request. Try again.');
    }
    return toBranding(row);
  }

  async delete(ctx: CallerContext, poolId: string, id: string): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    if (!(await this.deps.store.oauth.deleteBranding(pool.id, id))) throw notFound();
  }

  /** The style a client's pages wear, if it has one. */
  async forClient(poolId: string, clientId: string): Promise<ManagedLoginBranding | undefined> {
    const row = await this.deps.store.oauth.findBrandingByClient(poolId, clientId);
    return row ? toBranding(row) : undefined;
  }

  /** One image of a style, for the pages (their asset route). */
  async asset(poolId: string, id: string, category: string, mode: string): Promise<BrandingAsset | undefined> {
    const row = await this.deps.store.oauth.findBranding(poolId, id);
    return row ? toBranding(row).assets.find((a) => a.Category === category && a.ColorMode === mode && a.Bytes !== undefined) : undefined;
  }

  /** ReturnMergedResources: the customized settings over the defaults. */
  merged(b: ManagedLoginBranding): JsonObject {
    return mergeSettings(DEFAULT_SETTINGS, b.settings);
  }
}

/** New assets replace the ones of the same category and colour mode; the rest stay. */
function mergeAssets(current: BrandingAsset[], given: BrandingAsset[] | undefined): BrandingAsset[] {
  if (given === undefined) return current;
  const key = (a: BrandingAsset) => `${a.Category}/${a.ColorMode}`;
  const replaced = new Set(given.map(key));
  return [...current.filter((a) => !replaced.has(key(a))), ...given];
}
