import { createSigningCertificate } from '../crypto/x509.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { PoolService } from './pools.js';

const PURPOSE = 'pool-signing-key';
/** "Issued certificates are valid for 10 years from the date of issue" (API reference, GetSigningCertificate). */
const VALIDITY_MS = 10 * 365.25 * 24 * 3600 * 1000;

/** The certificate that signs a pool's SAML requests, made on first request. */
export class SigningCertificateService {

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  /** Base64 DER X.509 certificate of the pool. */
  async certificateOf(ctx: CallerContext, poolId: string): Promise<string> {
    const pool = await this.pools.get(ctx, poolId);
    const existing = await this.deps.store.certificates.find(pool.id);
    if (existing) return existing.certificate;
    const now = this.deps.clock.now();
    const expires = new Date(now.getTime() + VALIDITY_MS);
    const made = await createSigningCertificate({
      commonName: pool.id,
      // 16 random bytes with the top bit clear: a positive serial (RFC 5280 section 4.1.2.2).
      serialHex: Buffer.from([this.deps.random.int(128), ...this.deps.random.bytes(15)]).toString('hex'),
      notBefore: now,
      notAfter: expires,
    });
    const stored = await this.deps.store.certificates.insertOrGet({
      pool_id: pool.id,
      certificate: made.certificateBase64,
      private_key_enc: this.deps.secrets.seal(made.privateKeyPkcs8Base64, `${PURPOSE}:${pool.id}`),
      created_at: now.getTime(),
      expires_at: expires.getTime(),
    });
    return stored.certificate;
  }

  /** The PKCS#8 private key (base64) matching the certificate, for signing SAML requests later. */
  async privateKeyOf(poolId: string): Promise<string | undefined> {
    const row = await this.deps.store.certificates.find(poolId);
    return row ? this.deps.secrets.open(row.private_key_enc, `${PURPOSE}:${poolId}`) : undefined;
  }
}
