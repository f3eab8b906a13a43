import { CognitoError, invalidParameter, resourceNotFound } from '../domain/errors.js';
import { toJson, type Input } from '../domain/input.js';
import { buildSchema, jsonObject, newPoolDoc, schemaOf, setSchema, updatedPoolDoc, type PoolDoc } from '../domain/pool-config.js';
import { randomString } from '../integrations/runtime.js';
import type { PoolRow } from '../store/schema.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { CallerContext, ServiceDeps } from './context.js';

export interface Pool {
  id: string;
  region: string;
  name: string;
  doc: PoolDoc;
  createdAt: number;
  updatedAt: number;
}

const POOL_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function poolArn(deps: ServiceDeps, pool: { id: string; region: string }): string {
  return `arn:aws:cognito-idp:${pool.region}:${deps.accountId}:userpool/${pool.id}`;
}

/** Region a pool id belongs to (`us-east-1_AbC123` → `us-east-1`). */
export function regionOfPoolId(id: string): string {
  const i = id.lastIndexOf('_');
  return i > 0 ? id.slice(0, i) : '';
}

function toPool(row: PoolRow): Pool {
  return { id: row.id, region: row.region, name: row.name, doc: jsonObject(toJson(JSON.parse(row.doc))), createdAt: row.created_at, updatedAt: row.updated_at };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * How long a node trusts its copy of a pool's settings. Every request reads its pool, and re-reading and
 * re-parsing the settings document dominated AdminGetUser; settings changed on another node are seen within
 * this time (this node's own changes at once). Read-modify-write paths always read fresh.
 */
const POOL_CACHE_MS = 1_000;
const POOL_CACHE_MAX = 10_000;
/** EstimatedNumberOfUsers is an estimate in Cognito too; counting a million rows on every describe is not worth it. */
const COUNT_CACHE_MS = 10_000;
/** Below this many users counting takes a few milliseconds, so the count is exact. */
const COUNT_EXACT_BELOW = 100_000;

/** User pool lifecycle and settings. */
export class PoolService {
  private readonly cache = new Map<string, { pool: Pool; at: number }>();
  private readonly counts = new Map<string, { n: number; at: number }>();

  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The pool, if it exists in the caller's region; otherwise Cognito's ResourceNotFoundException. The
   * result is shared and deeply frozen; `fresh` bypasses the cache (for read-modify-write).
   */
  async get(ctx: CallerContext, id: string, fresh = false): Promise<Pool> {
    if (regionOfPoolId(id) !== ctx.region) throw resourceNotFound(`User pool ${id} does not exist.`);
    const now = this.deps.clock.now().getTime();
    const hit = fresh ? undefined : this.cache.get(id);
    if (hit && now - hit.at < POOL_CACHE_MS) return hit.pool;
    const row = await this.deps.store.pools.findPool(id);
    if (!row) {
      this.cache.delete(id);
      throw resourceNotFound(`User pool ${id} does not exist.`);
    }
    const pool = deepFreeze(toPool(row));
    if (this.cache.size >= POOL_CACHE_MAX) this.cache.clear();
    this.cache.set(id, { pool, at: now });
    return pool;
  }

  /** Writes new settings (and name) for a pool read with `get(ctx, id, true)`. */
  async save(pool: Pool, name: string, doc: PoolDoc): Promise<void> {
    this.cache.delete(pool.id);
    await this.deps.store.pools.updatePool(pool.id, name, JSON.stringify(doc), this.deps.clock.now().getTime());
    this.cache.delete(pool.id);
  }

  async create(ctx: CallerContext, input: Input): Promise<Pool> {
    const doc = newPoolDoc(input);
    const now = this.deps.clock.now().getTime();
    const row: PoolRow = {
      id: `${ctx.region}_${randomString(this.deps.random, 9, POOL_ID_ALPHABET)}`,
      region: ctx.region,
      name: input.str('PoolName'),
      doc: JSON.stringify(doc),
      created_at: now,
      updated_at: now,
    };
    await this.deps.store.pools.insertPool(row);
    return toPool(row);
  }

  async update(ctx: CallerContext, input: Input): Promise<void> {
    const pool = await this.get(ctx, input.str('UserPoolId'), true);
    await this.save(pool, input.optStr('PoolName') ?? pool.name, updatedPoolDoc(pool.doc, input));
  }

  async delete(ctx: CallerContext, id: string): Promise<void> {
    const pool = await this.get(ctx, id, true);
    if (pool.doc.DeletionProtection === 'ACTIVE') {
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    await this.deps.store.pools.deletePool(pool.id);
    this.cache.delete(pool.id);
  }

  async list(ctx: CallerContext, maxResults: number, nextToken: string | undefined): Promise<{ pools: Pool[]; nextToken?: string }> {
    const after = nextToken === undefined ? undefined : decodeToken(nextToken, 'pool');
    const rows = await this.deps.store.pools.listPools(ctx.region, after, maxResults + 1);
    const page = rows.slice(0, maxResults).map(toPool);
    const last = page[page.length - 1];
    return rows.length > maxResults && last ? { pools: page, nextToken: encodeToken('pool', last.id) } : { pools: page };
  }

  async addCustomAttributes(ctx: CallerContext, poolId: string, attrs: readonly Input[]): Promise<void> {
    const pool = await this.get(ctx, poolId, true);
    const schema = buildSchema(attrs, schemaOf(pool.doc));
    await this.save(pool, pool.name, setSchema(pool.doc, schema));
  }

  async estimatedUsers(poolId: string): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const hit = this.counts.get(poolId);
    if (hit && now - hit.at < COUNT_CACHE_MS) return hit.n;
    const n = await this.deps.store.pools.countUsers(poolId);
    if (n < COUNT_EXACT_BELOW) return n;
    if (this.counts.size >= POOL_CACHE_MAX) this.counts.clear();
    this.counts.set(poolId, { n, at: now });
    return n;
  }

  /** Pool by ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`), for the tagging operations. */
  async getByArn(ctx: CallerContext, arn: string, fresh = false): Promise<Pool> {
    const m = /^arn:aws:cognito-idp:([^:]+):(\d{12}):userpool\/(.+)$/.exec(arn);
    if (!m || m[2] !== this.deps.accountId || m[1] !== ctx.region) throw resourceNotFound(`Resource ${arn} does not exist.`);
    return this.get(ctx, m[3] ?? '', fresh);
  }

  async setTags(pool: Pool, tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length > 50) throw new CognitoError('InvalidParameterException', 'A user pool can have at most 50 tags.');
    await this.save(pool, pool.name, { ...pool.doc, UserPoolTags: tags });
  }
}
