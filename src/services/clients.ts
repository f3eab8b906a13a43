import { buildClientDoc, type ClientDoc, type ClientContext } from '../domain/client-config.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../domain/errors.js';
import { toJson, type Input } from '../domain/input.js';
import { jsonObject, schemaOf } from '../domain/pool-config.js';
import { randomString } from '../integrations/runtime.js';
import type { ClientRow } from '../store/schema.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { customScopesOf } from './oauth-resource-servers.js';
import { decodeToken, encodeToken } from './pagination.js';
import { regionOfPoolId, type Pool, type PoolService } from './pools.js';

/** An app client as the services see it (secrets are separate: see `secretsOf`). */
export interface AppClient {
  id: string;
  poolId: string;
  name: string;
  doc: ClientDoc;
  createdAt: number;
  updatedAt: number;
}

export interface ClientSecretDescriptor {
  id: string;
  createdAt: number;
  /** Only when the secret was generated here, and only in the AddUserPoolClientSecret answer. */
  value?: string;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CLIENT_ID_LENGTH = 26;
const SECRET_LENGTH = 51;
/** "Supports up to 2 active secrets per app client" (API reference, AddUserPoolClientSecret). */
const MAX_SECRETS = 2;

/** Seal purpose: binds a sealed secret to its client, so one client's secret cannot be moved to another. */
const purpose = (clientId: string): string => `client-secret:${clientId}`;

/** Plaintext secrets of a client, oldest first (for SECRET_HASH checks and client authentication). */
export async function clientSecrets(deps: ServiceDeps, clientId: string): Promise<string[]> {
  const rows = await deps.store.pools.listClientSecrets(clientId);
  return rows.map((r) => deps.secrets.open(r.secret_enc, purpose(clientId)));
}

function toClient(row: ClientRow): AppClient {
  return {
    id: row.client_id,
    poolId: row.pool_id,
    name: row.client_name,
    doc: jsonObject(toJson(JSON.parse(row.doc))),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * How long a node trusts its copy of an app client. Unsigned operations name only the client, and the
 * dispatcher, the flow and the token service each need it; other nodes' changes are seen within this time,
 * this node's at once (as for pools, see PoolService).
 */
const CLIENT_CACHE_MS = 1_000;
const CLIENT_CACHE_MAX = 10_000;

/** App clients of user pools and their secrets. */
export class ClientService {
  private readonly cache = new Map<string, { client: AppClient | undefined; at: number }>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  /** The app client with this id, in any pool; shared and frozen (see CLIENT_CACHE_MS). */
  async find(clientId: string): Promise<AppClient | undefined> {
    const now = this.deps.clock.now().getTime();
    const hit = this.cache.get(clientId);
    if (hit && now - hit.at < CLIENT_CACHE_MS) return hit.client;
    const row = await this.deps.store.pools.findClient(clientId);
    const client = row ? Object.freeze(toClient(row)) : undefined;
    if (this.cache.size >= CLIENT_CACHE_MAX) this.cache.clear();
    this.cache.set(clientId, { client, at: now });
    return client;
  }

  /** Region of the pool an app client belongs to (unsigned operations name only the client). */
  async regionOfClient(clientId: string): Promise<string | undefined> {
    const client = await this.find(clientId);
    return client ? regionOfPoolId(client.poolId) : undefined;
  }

  /** The client, if it belongs to this pool (in the caller's region); otherwise ResourceNotFoundException. */
  async getClientForPool(ctx: CallerContext, poolId: string, clientId: string): Promise<AppClient> {
    await this.pools.get(ctx, poolId);
    return this.requireClient(poolId, clientId);
  }

  /** Plaintext secrets of a client, oldest first (for SECRET_HASH and client authentication). */
  async secretsOf(clientId: string): Promise<string[]> {
    return clientSecrets(this.deps, clientId);
  }

  async create(ctx: CallerContext, input: Input): Promise<{ client: AppClient; secret?: string }> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const given = input.optStr('ClientSecret');
    const generate = input.optBool('GenerateSecret') ?? false;
    if (generate && given !== undefined) {
      throw invalidParameter('You cannot specify both GenerateSecret as true and provide a ClientSecret value.');
    }
    const secret = given ?? (generate ? this.newSecret() : undefined);
    const doc = buildClientDoc(input, await this.context(pool, 'create', secret !== undefined));
    const now = this.deps.clock.now().getTime();
    const row: ClientRow = {
      client_id: randomString(this.deps.random, CLIENT_ID_LENGTH, ID_ALPHABET),
      pool_id: pool.id,
      client_name: input.str('ClientName'),
      doc: JSON.stringify(doc),
      created_at: now,
      updated_at: now,
    };
    await this.deps.store.pools.insertClient(row);
    if (secret !== undefined) await this.storeSecret(row.client_id, secret, now);
    return secret === undefined ? { client: toClient(row) } : { client: toClient(row), secret };
  }

  async update(ctx: CallerContext, input: Input): Promise<AppClient> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const current = await this.requireClient(pool.id, input.str('ClientId'));
    const hasSecret = (await this.deps.store.pools.listClientSecrets(current.id)).length > 0;
    const doc = buildClientDoc(input, await this.context(pool, 'update', hasSecret));
    const name = input.optStr('ClientName') ?? current.name;
    const now = this.deps.clock.now().getTime();
    await this.deps.store.pools.updateClient(current.id, name, JSON.stringify(doc), now);
    this.cache.delete(current.id);
    return { ...current, name, doc, updatedAt: now };
  }

  async delete(ctx: CallerContext, poolId: string, clientId: string): Promise<void> {
    const client = await this.getClientForPool(ctx, poolId, clientId);
    await this.deps.store.pools.deleteClient(client.id);
    this.cache.delete(client.id);
  }

  async list(ctx: CallerContext, poolId: string, maxResults: number, nextToken: string | undefined): Promise<{ clients: AppClient[]; nextToken?: string }> {
    const pool = await this.pools.get(ctx, poolId);
    const after = nextToken === undefined ? undefined : decodeToken(nextToken, `client:${pool.id}`);
    const rows = await this.deps.store.pools.listClients(pool.id, after, maxResults + 1);
    const page = rows.slice(0, maxResults).map(toClient);
    const last = page[page.length - 1];
    return rows.length > maxResults && last ? { clients: page, nextToken: encodeToken(`client:${pool.id}`, last.id) } : { clients: page };
  }

  /** The secret DescribeUserPoolClient shows: the oldest active one (Cognito returns the value there). */
  async primarySecret(clientId: string): Promise<string | undefined> {
    const [first] = await this.secretsOf(clientId);
    return first;
  }

  /** AddUserPoolClientSecret: a second secret for zero-downtime rotation of a confidential client. */
  async addSecret(ctx: CallerContext, poolId: string, clientId: string, given: string | undefined): Promise<ClientSecretDescriptor> {
    const client = await this.getClientForPool(ctx, poolId, clientId);
    const existing = await this.deps.store.pools.listClientSecrets(client.id);
    if (existing.length === 0) {
      throw invalidParameter(`User pool client ${client.id} does not have a client secret.`);
    }
    if (existing.length >= MAX_SECRETS) throw this.tooManySecrets();
    const value = given ?? this.newSecret();
    // Ids are `<client-id>--<epoch-create-time>`; keep them distinct even within one millisecond.
    const latest = Math.max(...existing.map((s) => s.created_at));
    const createdAt = Math.max(this.deps.clock.now().getTime(), latest + 1);
    const id = await this.storeSecret(client.id, value, createdAt);
    // Two concurrent adds can both pass the count check; whoever sees more than the limit backs out.
    if ((await this.deps.store.pools.listClientSecrets(client.id)).length > MAX_SECRETS) {
      await this.deps.store.pools.deleteClientSecret(client.id, id);
      throw this.tooManySecrets();
    }
    return given === undefined ? { id, createdAt, value } : { id, createdAt };
  }

  async listSecrets(ctx: CallerContext, poolId: string, clientId: string): Promise<ClientSecretDescriptor[]> {
    const client = await this.getClientForPool(ctx, poolId, clientId);
    const rows = await this.deps.store.pools.listClientSecrets(client.id);
    return rows.map((r) => ({ id: r.secret_id, createdAt: r.created_at }));
  }

  /** "You cannot delete the last remaining secret for an app client" (API reference, DeleteUserPoolClientSecret). */
  async deleteSecret(ctx: CallerContext, poolId: string, clientId: string, secretId: string): Promise<void> {
    const client = await this.getClientForPool(ctx, poolId, clientId);
    const rows = await this.deps.store.pools.listClientSecrets(client.id);
    if (!rows.some((r) => r.secret_id === secretId)) throw resourceNotFound(`Client secret ${secretId} does not exist.`);
    if (rows.length <= 1) throw invalidParameter('You cannot delete the last remaining secret for an app client.');
    await this.deps.store.pools.deleteClientSecret(client.id, secretId);
  }

  private async requireClient(poolId: string, clientId: string): Promise<AppClient> {
    const client = await this.find(clientId);
    if (!client || client.poolId !== poolId) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
    return client;
  }

  private async context(pool: Pool, op: 'create' | 'update', hasSecret: boolean): Promise<ClientContext> {
    const customScopes = await customScopesOf(this.deps.store, pool.id);
    return {
      op,
      schema: schemaOf(pool.doc),
      hasSecret,
      // Federated identity providers are not implemented yet: only COGNITO exists.
      providerExists: () => false,
      // A custom scope is `<resource server identifier>/<scope name>` of one of the pool's resource servers.
      customScopeExists: (scope) => customScopes.has(scope),
    };
  }

  private async storeSecret(clientId: string, value: string, createdAt: number): Promise<string> {
    const secretId = `${clientId}--${createdAt}`;
    await this.deps.store.pools.insertClientSecret({
      secretId,
      clientId,
      secretEnc: this.deps.secrets.seal(value, purpose(clientId)),
      createdAt,
    });
    return secretId;
  }

  private newSecret(): string {
    return randomString(this.deps.random, SECRET_LENGTH, ID_ALPHABET);
  }

  private tooManySecrets(): CognitoError {
    return new CognitoError('LimitExceededException', `An app client can have at most ${MAX_SECRETS} client secrets.`);
  }
}
