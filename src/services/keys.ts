import { randomString } from '../integrations/runtime.js';
import type { ServiceDeps } from './context.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PURPOSE = 'access-key';
const CACHE_MS = 5_000;

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  createdAt: number;
  description: string | null;
}

/**
 * Administrator access keys (what SigV4 requests are signed with). Secrets are stored sealed with the
 * server key. Lookups are cached briefly: SigV4 needs one per request, and a deleted key stops working
 * on every node within CACHE_MS.
 */
export class KeyService {
  private readonly cache = new Map<string, { secret: string | undefined; at: number }>();

  constructor(private readonly deps: ServiceDeps) {}

  async create(description: string | null, given?: { accessKeyId: string; secretAccessKey: string }): Promise<AccessKey> {
    const key: AccessKey = {
      accessKeyId: given?.accessKeyId ?? `AKIA${randomString(this.deps.random, 16, ID_ALPHABET)}`,
      secretAccessKey: given?.secretAccessKey ?? randomString(this.deps.random, 40, SECRET_ALPHABET),
      createdAt: this.deps.clock.now().getTime(),
      description,
    };
    await this.deps.store.keys.insertAccessKey({
      accessKeyId: key.accessKeyId,
      secretEnc: this.deps.secrets.seal(key.secretAccessKey, PURPOSE),
      createdAt: key.createdAt,
      description,
    });
    this.cache.delete(key.accessKeyId);
    return key;
  }

  /** Makes sure the configured root key exists with this secret (TESSERA_ACCESS_KEY_ID/SECRET). */
  async ensure(accessKeyId: string, secretAccessKey: string): Promise<void> {
    const existing = await this.secretOf(accessKeyId);
    if (existing === secretAccessKey) return;
    if (existing !== undefined) await this.deps.store.keys.deleteAccessKey(accessKeyId);
    await this.create('root (from environment)', { accessKeyId, secretAccessKey });
  }

  async list(): Promise<Array<Omit<AccessKey, 'secretAccessKey'>>> {
    const rows = await this.deps.store.keys.listAccessKeys();
    return rows.map((r) => ({ accessKeyId: r.accessKeyId, createdAt: r.createdAt, description: r.description }));
  }

  async delete(accessKeyId: string): Promise<boolean> {
    this.cache.delete(accessKeyId);
    return this.deps.store.keys.deleteAccessKey(accessKeyId);
  }

  /** The secret for SigV4 verification, or undefined for an unknown key. */
  async secretOf(accessKeyId: string): Promise<string | undefined> {
    const now = this.deps.clock.now().getTime();
    const hit = this.cache.get(accessKeyId);
    if (hit && now - hit.at < CACHE_MS) return hit.secret;
    const rec = await this.deps.store.keys.findAccessKey(accessKeyId);
    const secret = rec ? this.deps.secrets.open(rec.secretEnc, PURPOSE) : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(accessKeyId, { secret, at: now });
    return secret;
  }
}
