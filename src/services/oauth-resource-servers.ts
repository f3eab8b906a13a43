import { CognitoError, invalidParameter, resourceNotFound } from '../domain/errors.js';
import type { Input } from '../domain/input.js';
import type { ResourceServerRow } from '../store/repositories/oauth.js';
import type { Store } from '../store/store.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { PoolService } from './pools.js';

export interface ResourceScope {
  ScopeName: string;
  ScopeDescription: string;
}

export interface ResourceServer {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceScope[];
}

/** "Resource servers per user pool: 25" (DG, quotas). */
export const MAX_RESOURCE_SERVERS = 25;

function parseScopes(json: string): ResourceScope[] {
  const v: unknown = JSON.parse(json);
  if (!Array.isArray(v)) return [];
  return v.flatMap((s: unknown) =>
    typeof s === 'object' && s !== null && 'ScopeName' in s && 'ScopeDescription' in s && typeof s.ScopeName === 'string' && typeof s.ScopeDescription === 'string'
      ? [{ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription }]
      : [],
  );
}

function toServer(row: ResourceServerRow): ResourceServer {
  return { poolId: row.pool_id, identifier: row.identifier, name: row.name, scopes: parseScopes(row.scopes) };
}

/** Every custom scope of a pool, `<identifier>/<scope name>` (what app clients and tokens may name). */
export async function customScopesOf(store: Store, poolId: string): Promise<Set<string>> {
  const rows = await store.oauth.listResourceServers(poolId, undefined, MAX_RESOURCE_SERVERS * 4);
  return new Set(rows.flatMap((r) => parseScopes(r.scopes).map((s) => `${r.identifier}/${s.ScopeName}`)));
}

/** Scopes of a request, in order, with each name once. */
function scopesOf(input: Input): ResourceScope[] {
  const seen = new Set<string>();
  const out: ResourceScope[] = [];
  for (const s of input.objList('Scopes')) {
    const scope = { ScopeName: s.str('ScopeName'), ScopeDescription: s.str('ScopeDescription') };
    if (seen.has(scope.ScopeName)) continue;
    seen.add(scope.ScopeName);
    out.push(scope);
  }
  return out;
}

const notFound = (identifier: string) => resourceNotFound(`Resource server ${identifier} does not exist.`);

/**
 * Resource servers: an API (identifier, usually its URL) and the custom scopes `<identifier>/<scope>` that
 * app clients may be allowed and access tokens may carry
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html).
 */
export class ResourceServerService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  async create(ctx: CallerContext, input: Input): Promise<ResourceServer> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const identifier = input.str('Identifier');
    if ((await this.deps.store.oauth.countResourceServers(pool.id)) >= MAX_RESOURCE_SERVERS) {
      throw new CognitoError('LimitExceededException', `A user pool can have at most ${MAX_RESOURCE_SERVERS} resource servers.`);
    }
    const now = this.deps.clock.now().getTime();
    const server: ResourceServer = { poolId: pool.id, identifier, name: input.str('Name'), scopes: scopesOf(input) };
    try {
      await this.deps.store.oauth.insertResourceServer({
        pool_id: pool.id,
        identifier,
        name: server.name,
        scopes: JSON.stringify(server.scopes),
        created_at: now,
        updated_at: now,
      });
    } catch (err) {
      if (!this.deps.store.dialect.isUniqueViolation(err)) throw err;
      throw invalidParameter(`${identifier} already exists in user pool ${pool.id}.`);
    }
    return server;
  }

  async describe(ctx: CallerContext, poolId: string, identifier: string): Promise<ResourceServer> {
    const pool = await this.pools.get(ctx, poolId);
    const row = await this.deps.store.oauth.findResourceServer(pool.id, identifier);
    if (!row) throw notFound(identifier);
    return toServer(row);
  }

  /** UpdateResourceServer replaces the name and the whole scope list (omitted Scopes: none). */
  async update(ctx: CallerContext, input: Input): Promise<ResourceServer> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const identifier = input.str('Identifier');
    const server: ResourceServer = { poolId: pool.id, identifier, name: input.str('Name'), scopes: scopesOf(input) };
    const ok = await this.deps.store.oauth.updateResourceServer(pool.id, identifier, server.name, JSON.stringify(server.scopes), this.deps.clock.now().getTime());
    if (!ok) throw notFound(identifier);
    return server;
  }

  async delete(ctx: CallerContext, poolId: string, identifier: string): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    if (!(await this.deps.store.oauth.deleteResourceServer(pool.id, identifier))) throw notFound(identifier);
  }

  async list(ctx: CallerContext, poolId: string, maxResults: number, nextToken: string | undefined): Promise<{ servers: ResourceServer[]; nextToken?: string }> {
    const pool = await this.pools.get(ctx, poolId);
    const kind = `resource-server:${pool.id}`;
    const after = nextToken === undefined ? undefined : decodeToken(nextToken, kind);
    const rows = await this.deps.store.oauth.listResourceServers(pool.id, after, maxResults + 1);
    const page = rows.slice(0, maxResults).map(toServer);
    const last = page[page.length - 1];
    return rows.length > maxResults && last ? { servers: page, nextToken: encodeToken(kind, last.identifier) } : { servers: page };
  }

  /** The pool's custom scopes (`<identifier>/<scope>`). */
  customScopes(poolId: string): Promise<Set<string>> {
    return customScopesOf(this.deps.store, poolId);
  }
}
