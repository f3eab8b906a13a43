import type { KeyObject } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { importPrivateKey, importPublicKey, newSigningKey, parsePublicJwk, type PublicJwk } from '../crypto/jwt.js';
import type { SigningKeyRow } from '../store/schema.js';
import type { TokenUse } from '../store/repositories/tokens.js';
import type { ServiceDeps } from './context.js';

/**
 * A retired key stays in the JWKS until every token it signed has expired: ID and access tokens live at
 * most one day (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html).
 */
export const RETIRED_KEY_RETENTION_MS = 86_400_000;
/** How long a node trusts its copy of a pool's keys (a rotation by another node is seen within this time). */
const CACHE_MS = 60_000;
/** An unknown kid makes a node re-read the pool's keys, at most this often. */
const MISS_RELOAD_MS = 1_000;
const CACHE_MAX = 10_000;

interface LoadedKey {
  kid: string;
  use: TokenUse;
  generation: number;
  retiredAt: number | null;
  jwk: PublicJwk;
  publicKey: CryptoKey;
  sealed: string;
  privateKey?: KeyObject;
}

interface PoolKeys {
  keys: LoadedKey[];
  loadedAt: number;
}

export interface SigningKey {
  kid: string;
  key: KeyObject;
}

const USES: readonly TokenUse[] = ['id', 'access'];
const sealPurpose = (poolId: string, kid: string): string => `signing-key:${poolId}:${kid}`;

/**
 * Per-pool RSA signing keys, one for ID tokens and one for access tokens (Cognito signs them with different
 * kids). Keys are made on first need; concurrent first use, on one node or many, ends with one key per use:
 * every creator inserts generation N+1 if absent and then reads back whichever insert won. Private keys are
 * sealed with the server key at rest and imported once per node (they are needed for every token).
 */
export class SigningKeys {
  private readonly cache = new Map<string, PoolKeys>();
  private readonly loading = new Map<string, Promise<PoolKeys>>();

  constructor(private readonly deps: ServiceDeps) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /** The key that signs new tokens of this use, created if the pool has none yet. */
  async forSigning(poolId: string, use: TokenUse): Promise<SigningKey> {
    let pk = await this.poolKeys(poolId);
    let k = active(pk.keys, use);
    if (!k) {
      pk = await this.reload(poolId, true);
      k = active(pk.keys, use);
    }
    if (!k) throw new Error(`no ${use} signing key for ${poolId}`);
    k.privateKey ??= importPrivateKey(this.deps.secrets.open(k.sealed, sealPurpose(poolId, k.kid)));
    return { kid: k.kid, key: k.privateKey };
  }

  /** The public key that verifies tokens of this use with this kid (active or recently retired). */
  async verificationKey(poolId: string, use: TokenUse, kid: string): Promise<CryptoKey | undefined> {
    let pk = await this.poolKeys(poolId);
    let k = pk.keys.find((x) => x.kid === kid);
    if (!k && this.now() - pk.loadedAt >= MISS_RELOAD_MS) {
      pk = await this.reload(poolId, false);
      k = pk.keys.find((x) => x.kid === kid);
    }
    return k && k.use === use && this.published(k) ? k.publicKey : undefined;
  }

  /** The pool's JWKS: active keys and retired keys whose tokens may still be valid. */
  async jwks(poolId: string): Promise<{ keys: PublicJwk[] }> {
    let pk = await this.poolKeys(poolId);
    if (USES.some((u) => !active(pk.keys, u))) pk = await this.reload(poolId, true);
    return { keys: pk.keys.filter((k) => this.published(k)).map((k) => k.jwk) };
  }

  /**
   * Retires the pool's current keys and makes new ones (tokens they signed keep verifying until they
   * expire). Keys retired longer than the retention are dropped. Returns the new kids.
   */
  async rotate(poolId: string): Promise<{ id: string; access: string }> {
    const now = this.now();
    const rows = await this.deps.store.tokens.keysOfPool(poolId);
    for (const use of USES) {
      const generation = Math.max(0, ...rows.filter((r) => r.token_use === use).map((r) => r.generation)) + 1;
      await this.insert(poolId, use, generation, now);
      await this.deps.store.tokens.retireKeysBefore(poolId, use, generation, now);
    }
    await this.deps.store.tokens.deleteKeysRetiredBefore(poolId, now - RETIRED_KEY_RETENTION_MS);
    const pk = await this.reload(poolId, false);
    return { id: active(pk.keys, 'id')?.kid ?? '', access: active(pk.keys, 'access')?.kid ?? '' };
  }

  private published(k: LoadedKey): boolean {
    return k.retiredAt === null || this.now() - k.retiredAt < RETIRED_KEY_RETENTION_MS;
  }

  private async poolKeys(poolId: string): Promise<PoolKeys> {
    const hit = this.cache.get(poolId);
    if (hit && this.now() - hit.loadedAt < CACHE_MS) return hit;
    return this.reload(poolId, false);
  }

  /** Reads the pool's keys (one read in flight per pool); with `create`, first makes any that are missing. */
  private reload(poolId: string, create: boolean): Promise<PoolKeys> {
    const key = `${poolId}\u0000${create ? 'c' : 'r'}`;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const p = this.load(poolId, create).finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  private async load(poolId: string, create: boolean): Promise<PoolKeys> {
    let rows = await this.deps.store.tokens.keysOfPool(poolId);
    if (create) {
      let made = false;
      for (const use of USES) {
        const mine = rows.filter((r) => r.token_use === use);
        if (mine.some((r) => r.retired_at === null)) continue;
        await this.insert(poolId, use, Math.max(0, ...mine.map((r) => r.generation)) + 1, this.now());
        made = true;
      }
      if (made) rows = await this.deps.store.tokens.keysOfPool(poolId);
    }
    const previous = this.cache.get(poolId)?.keys ?? [];
    const keys = await Promise.all(rows.map((r) => this.loaded(r, previous)));
    const entry = { keys, loadedAt: this.now() };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(poolId, entry);
    return entry;
  }

  /** A row as a usable key; keys already imported on this node are reused (import costs more than a read). */
  private async loaded(r: SigningKeyRow, previous: readonly LoadedKey[]): Promise<LoadedKey> {
    const old = previous.find((k) => k.kid === r.kid);
    if (old) return { ...old, retiredAt: r.retired_at };
    const jwk = parsePublicJwk(r.public_jwk);
    const use: TokenUse = r.token_use === 'id' ? 'id' : 'access';
    return { kid: r.kid, use, generation: r.generation, retiredAt: r.retired_at, jwk, publicKey: await importPublicKey(jwk), sealed: r.private_key_enc };
  }

  private async insert(poolId: string, use: TokenUse, generation: number, now: number): Promise<void> {
    const k = await newSigningKey();
    await this.deps.store.tokens.insertKeyIfAbsent({
      pool_id: poolId,
      token_use: use,
      generation,
      kid: k.kid,
      public_jwk: JSON.stringify(k.publicJwk),
      private_key_enc: this.deps.secrets.seal(k.privatePem, sealPurpose(poolId, k.kid)),
      created_at: now,
      retired_at: null,
    });
  }
}

/** The newest unretired key of a use. */
function active(keys: readonly LoadedKey[], use: TokenUse): LoadedKey | undefined {
  let best: LoadedKey | undefined;
  for (const k of keys) if (k.use === use && k.retiredAt === null && (!best || k.generation > best.generation)) best = k;
  return best;
}
