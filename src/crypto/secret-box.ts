import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import type { Random } from '../integrations/runtime.js';

/**
 * Encrypts secrets at rest (access-key secrets, client secrets, signing keys, TOTP seeds, SRP verifiers)
 * with AES-256-GCM under the server key. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 * The associated data binds a ciphertext to its purpose, so one secret cannot be swapped for another.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serverKey: Buffer, private readonly random: Random) {
    if (serverKey.length < 32) throw new Error('server key must be at least 32 bytes');
    this.key = createHash('sha256').update('tessera-secret-box-v1').update(serverKey).digest();
  }

  /** A 32-byte key for one other use (e.g. refresh-token encryption), derived from the server key by HKDF-SHA256. */
  deriveKey(info: string): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', this.key, Buffer.alloc(0), `tessera:${info}`, 32));
  }

  seal(plaintext: string, purpose: string): string {
    const iv = this.random.bytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string, purpose: string): string {
    const [v, iv, tag, ct] = sealed.split('.');
    if (v !== 'v1' || iv === undefined || tag === undefined || ct === undefined) throw new Error('malformed sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
