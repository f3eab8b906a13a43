import { invalidParameter } from '../domain/errors.js';
import { jsonObject } from '../domain/pool-config.js';
import { toJson, type Input, type Json } from '../domain/input.js';
import type { DomainRow } from '../store/repositories/oauth.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { regionOfPoolId, type PoolService } from './pools.js';

/** A user pool domain as the services see it. */
export interface PoolDomain {
  domain: string;
  poolId: string;
  kind: 'prefix' | 'custom';
  /** CustomDomainConfig (custom domains), ManagedLoginVersion, Routing, in wire shape. */
  doc: { [member: string]: Json };
}

/**
 * Words Cognito refuses in a prefix domain ("Domain cannot contain reserved word: ..."), so that the name
 * cannot pass for an AWS one
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html).
 */
const RESERVED = ['aws', 'amazon', 'cognito'];

/** A prefix domain: the model's DomainType pattern, which the service checks itself (see validation/compile.ts). */
const PREFIX = /^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$/;
/** A custom domain: two or more lower-case DNS labels. */
const FQDN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Cognito's answer when a request names a domain the pool does not have. */
const noSuchDomain = () => invalidParameter('No such domain or user pool exists.');

function toDomain(row: DomainRow): PoolDomain {
  return { domain: row.domain, poolId: row.pool_id, kind: row.kind === 'custom' ? 'custom' : 'prefix', doc: jsonObject(toJson(JSON.parse(row.doc))) };
}

/**
 * CreateUserPoolDomain and its relatives. A domain is a prefix (`<prefix>.auth.<region>.amazoncognito.com`)
 * or, with CustomDomainConfig, a fully qualified name of the owner's; a pool may have one of each. Names are
 * unique across the server (Cognito: unique in a region for prefixes, everywhere for custom names).
 */
export class DomainService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  async create(ctx: CallerContext, input: Input): Promise<PoolDomain> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const domain = input.str('Domain');
    const kind = input.has('CustomDomainConfig') ? 'custom' : 'prefix';
    if (kind === 'prefix') {
      if (!PREFIX.test(domain)) {
        throw invalidParameter(
          `The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ${PREFIX.source}`,
        );
      }
      const reserved = RESERVED.find((w) => domain.includes(w));
      if (reserved !== undefined) throw invalidParameter(`Domain cannot contain reserved word: ${reserved}`);
    } else if (!FQDN.test(domain)) {
      // Wording not confirmed against the live service.
      throw invalidParameter(`${domain} is not a valid custom domain name.`);
    }
    const existing = await this.deps.store.oauth.domainsOfPool(pool.id);
    if (existing.some((d) => d.kind === kind)) throw invalidParameter('User pool already has a domain configured.');
    const now = this.deps.clock.now().getTime();
    const row: DomainRow = { domain, pool_id: pool.id, kind, doc: JSON.stringify(settingsOf(input, {})), created_at: now, updated_at: now };
    try {
      await this.deps.store.oauth.insertDomain(row);
    } catch (err) {
      if (!this.deps.store.dialect.isUniqueViolation(err)) throw err;
      // Another pool has the name, or a concurrent request gave this pool a domain of this kind first.
      const owner = await this.deps.store.oauth.findDomain(domain);
      throw invalidParameter(owner && owner.pool_id !== pool.id ? 'Domain already associated with another user pool.' : 'User pool already has a domain configured.');
    }
    return toDomain(row);
  }

  /** DescribeUserPoolDomain: an unknown domain (or one of another region's pool) is an empty description. */
  async describe(ctx: CallerContext, domain: string): Promise<PoolDomain | undefined> {
    const row = await this.deps.store.oauth.findDomain(domain);
    if (!row || regionOfPoolId(row.pool_id) !== ctx.region) return undefined;
    return toDomain(row);
  }

  /** UpdateUserPoolDomain: a new certificate for a custom domain, or another ManagedLoginVersion. */
  async update(ctx: CallerContext, input: Input): Promise<PoolDomain> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'));
    const row = await this.deps.store.oauth.findDomain(input.str('Domain'));
    if (!row || row.pool_id !== pool.id) throw noSuchDomain();
    const current = toDomain(row);
    if (current.kind === 'prefix' && input.has('CustomDomainConfig')) {
      // Wording not confirmed against the live service: a prefix domain has no certificate to replace.
      throw invalidParameter('CustomDomainConfig can only be updated for a custom domain.');
    }
    const doc = settingsOf(input, current.doc);
    const ok = await this.deps.store.oauth.updateDomain(pool.id, row.domain, JSON.stringify(doc), this.deps.clock.now().getTime());
    if (!ok) throw noSuchDomain();
    return { ...current, doc };
  }

  async delete(ctx: CallerContext, poolId: string, domain: string): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    if (!(await this.deps.store.oauth.deleteDomain(pool.id, domain))) throw noSuchDomain();
  }

  /** The pool's domains by kind, for DescribeUserPool (Domain, CustomDomain). */
  async ofPool(poolId: string): Promise<{ prefix?: string; custom?: string }> {
    const rows = await this.deps.store.oauth.domainsOfPool(poolId);
    const prefix = rows.find((r) => r.kind === 'prefix')?.domain;
    const custom = rows.find((r) => r.kind === 'custom')?.domain;
    return { ...(prefix === undefined ? {} : { prefix }), ...(custom === undefined ? {} : { custom }) };
  }

  /** The domain a request's host names, if any (see oauth-hosts.ts for how hosts map to names). */
  async find(domain: string): Promise<PoolDomain | undefined> {
    const row = await this.deps.store.oauth.findDomain(domain);
    return row ? toDomain(row) : undefined;
  }
}

/** The stored settings: what the request gives replaces what was there; ManagedLoginVersion defaults to 1. */
function settingsOf(input: Input, current: { [member: string]: Json }): { [member: string]: Json } {
  const doc: { [member: string]: Json } = { ...current };
  for (const member of ['CustomDomainConfig', 'Routing']) {
    const v = input.json(member);
    if (v !== undefined && v !== null) doc[member] = v;
  }
  doc.ManagedLoginVersion = input.optNum('ManagedLoginVersion') ?? (typeof current.ManagedLoginVersion === 'number' ? current.ManagedLoginVersion : 1);
  return doc;
}
