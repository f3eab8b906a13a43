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

/** User pool lifecycle and settings. */
export class PoolService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The pool, if it exists in the caller's region; otherwise Cognito's ResourceNotFoundException. */
  async get(ctx: CallerContext, id: string): Promise<Pool> {
    const row = regionOfPoolId(id) === ctx.region ? await this.deps.store.pools.findPool(id) : undefined;
    if (!row) throw resourceNotFound(`User pool ${id} does not exist.`);
    return toPool(row);
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
    const pool = await this.get(ctx, input.str('UserPoolId'));
    const doc = updatedPoolDoc(pool.doc, input);
    const name = input.optStr('PoolName') ?? pool.name;
    await this.deps.store.pools.updatePool(pool.id, name, JSON.stringify(doc), this.deps.clock.now().getTime());
  }

  async delete(ctx: CallerContext, id: string): Promise<void> {
    const pool = await this.get(ctx, id);
    if (pool.doc.DeletionProtection === 'ACTIVE') {
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');
    }
    await this.deps.store.pools.deletePool(pool.id);
  }

  async list(ctx: CallerContext, maxResults: number, nextToken: string | undefined): Promise<{ pools: Pool[]; nextToken?: string }> {
    const after = nextToken === undefined ? undefined : decodeToken(nextToken, 'pool');
    const rows = await this.deps.store.pools.listPools(ctx.region, after, maxResults + 1);
    const page = rows.slice(0, maxResults).map(toPool);
    const last = page[page.length - 1];
    return rows.length > maxResults && last ? { pools: page, nextToken: encodeToken('pool', last.id) } : { pools: page };
  }

  async addCustomAttributes(ctx: CallerContext, poolId: string, attrs: readonly Input[]): Promise<void> {
    const pool = await this.get(ctx, poolId);
    const schema = buildSchema(attrs, schemaOf(pool.doc));
    await this.deps.store.pools.updatePool(pool.id, pool.name, JSON.stringify(setSchema(pool.doc, schema)), this.deps.clock.now().getTime());
  }

  async estimatedUsers(poolId: string): Promise<number> {
    return this.deps.store.pools.countUsers(poolId);
  }

  /** Pool by ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`), for the tagging operations. */
  async getByArn(ctx: CallerContext, arn: string): Promise<Pool> {
    const m = /^arn:aws:cognito-idp:([^:]+):(\d{12}):userpool\/(.+)$/.exec(arn);
    if (!m || m[2] !== this.deps.accountId || m[1] !== ctx.region) throw resourceNotFound(`Resource ${arn} does not exist.`);
    return this.get(ctx, m[3] ?? '');
  }

  async setTags(pool: Pool, tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length > 50) throw new CognitoError('InvalidParameterException', 'A user pool can have at most 50 tags.');
    const doc = { ...pool.doc, UserPoolTags: tags };
    await this.deps.store.pools.updatePool(pool.id, pool.name, JSON.stringify(doc), this.deps.clock.now().getTime());
  }
}
