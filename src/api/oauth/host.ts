import type { Services } from '../../services/services.js';
import { regionOfPoolId } from '../../services/pools.js';

/** Which user pool a request's Host names: a domain's pool, none (the server's own origin), or an unknown domain. */
export type HostPool = { kind: 'domain'; poolId: string; domain: string } | { kind: 'own' } | { kind: 'unknown' };

/** `<prefix>.auth.<region>.<anything>`: Cognito's prefix domains are `<prefix>.auth.<region>.amazoncognito.com`. */
const PREFIX_HOST = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.auth\.([a-z]{2}(?:-[a-z]+)+-\d+)\.[a-z0-9.-]+$/;
const CACHE_MS = 1_000;

/**
 * Maps the Host header to a user pool domain. A prefix domain is reached as `<prefix>.auth.<region>.` followed
 * by any suffix (amazoncognito.com through a hosts entry, or `localhost`, which browsers resolve to loopback),
 * a custom domain by its name; any other host is the server's own origin, where the client id names the pool.
 * Lookups are cached per node for a second, like pools and clients.
 */
export class HostResolver {
  private readonly cache = new Map<string, { v: HostPool; at: number }>();

  constructor(private readonly services: Services) {}

  async resolve(hostHeader: string | undefined): Promise<HostPool> {
    const host = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
    const now = this.services.deps.clock.now().getTime();
    const hit = this.cache.get(host);
    if (hit && now - hit.at < CACHE_MS) return hit.v;
    const v = await this.lookup(host);
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(host, { v, at: now });
    return v;
  }

  private async lookup(host: string): Promise<HostPool> {
    const m = PREFIX_HOST.exec(host);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      const d = await this.services.domains.find(m[1]);
      return d && d.kind === 'prefix' && regionOfPoolId(d.poolId) === m[2] ? { kind: 'domain', poolId: d.poolId, domain: d.domain } : { kind: 'unknown' };
    }
    if (host.includes('.') && !/^[\d.]+$/.test(host)) {
      const d = await this.services.domains.find(host);
      if (d && d.kind === 'custom') return { kind: 'domain', poolId: d.poolId, domain: d.domain };
    }
    return { kind: 'own' };
  }
}

/** The pool a domain request is limited to (undefined on the server's own origin). */
export const domainPoolOf = (h: HostPool): string | undefined => (h.kind === 'domain' ? h.poolId : undefined);
