import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software passkey authenticator for API tests (the browser test uses Chromium's virtual authenticator):
 * ES256 keys, "none" attestation, user present and verified, a sign counter that moves by one per use.
 * It builds exactly what a browser returns: RegistrationResponseJSON and AuthenticationResponseJSON.
 */
/** JSON as the SDK's Document members take it. */
export type JsonDoc = string | number | boolean | null | JsonDoc[] | { [k: string]: JsonDoc };

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private counter = 0;
  userHandle: string | undefined;

  constructor(private readonly origin: string) {}

  get id(): string {
    return this.credentialId.toString('base64url');
  }

  /** navigator.credentials.create with CredentialCreationOptions (JSON) → RegistrationResponseJSON. */
  create(options: Record<string, unknown>, over: { rpId?: string; origin?: string } = {}): { [k: string]: JsonDoc } {
    const rp = record(options.rp);
    const user = record(options.user);
    const rpId = over.rpId ?? String(rp.id);
    this.userHandle = String(user.id);
    const clientData = this.clientData('webauthn.create', String(options.challenge), over.origin);
    const authData = Buffer.concat([this.authHeader(rpId, 0x45), Buffer.alloc(16), u16(this.credentialId.length), this.credentialId, coseKey(this.keys.publicKey)]);
    const attestationObject = cbor(new Map<string | number, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return this.credential({ clientDataJSON: clientData.toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports: ['internal'] });
  }

  /** navigator.credentials.get with CredentialRequestOptions (JSON) → AuthenticationResponseJSON. */
  get(options: Record<string, unknown>, over: { counter?: number; origin?: string } = {}): { [k: string]: JsonDoc } {
    this.counter = over.counter ?? this.counter + 1;
    const clientData = this.clientData('webauthn.get', String(options.challenge), over.origin);
    const authData = this.authHeader(String(options.rpId), 0x05);
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientData).digest()]), this.keys.privateKey);
    return this.credential({
      clientDataJSON: clientData.toString('base64url'),
      authenticatorData: authData.toString('base64url'),
      signature: signature.toString('base64url'),
      ...(this.userHandle ? { userHandle: this.userHandle } : {}),
    });
  }

  /** The public key credential around a ceremony's `response`, as a platform authenticator's browser returns it. */
  private credential(response: { [k: string]: JsonDoc }): { [k: string]: JsonDoc } {
    return { id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {}, response };
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** rpIdHash, flags (UP 0x01, UV 0x04, AT 0x40), signCount. */
  private authHeader(rpId: string, flags: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count]);
  }
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {};
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function coseKey(pub: KeyObject): Buffer {
  const jwk = pub.export({ format: 'jwk' });
  const x = Buffer.from(String(jwk.x), 'base64url');
  const y = Buffer.from(String(jwk.y), 'base64url');
  return cbor(new Map<string | number, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]));
}

type Cbor = number | string | Buffer | Map<string | number, Cbor>;

/** The few CBOR types WebAuthn needs (RFC 8949 §3): integers, byte and text strings, maps. */
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  const parts = [head(5, v.size)];
  for (const [k, val] of v) parts.push(cbor(k), cbor(val));
  return Buffer.concat(parts);
}

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  return Buffer.concat([Buffer.from([(major << 5) | 25]), u16(n)]);
}
