import { createDecipheriv, createHash, createPrivateKey, generateKeyPair as nodeGenerateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  CompactEncrypt,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  importPKCS8,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
} from 'jose';

/**
 * JWT signing and verification (RS256, as Cognito signs ID and access tokens) and the encrypted refresh
 * token (a compact JWE, `dir` + A256GCM under a key derived from the server key). Pure crypto: no store,
 * no clock reads (callers pass the time).
 */

const generateKeyPair = promisify(nodeGenerateKeyPair);

/** The public half of a signing key as a JWKS entry (RFC 7517), in the member order Cognito publishes. */
export interface PublicJwk {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

export interface NewSigningKey {
  kid: string;
  publicJwk: PublicJwk;
  /** PKCS#8 PEM: seal it before storing. */
  privatePem: string;
}

/**
 * A fresh RSA-2048 key pair (generated on libuv's thread pool, so the event loop keeps serving). The kid is
 * the base64 SHA-256 of the modulus: 44 characters, the shape of Cognito's kids.
 */
export async function newSigningKey(): Promise<NewSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const jwk = publicKey.export({ format: 'jwk' });
  const n = typeof jwk.n === 'string' ? jwk.n : '';
  const e = typeof jwk.e === 'string' ? jwk.e : '';
  const kid = createHash('sha256').update(Buffer.from(n, 'base64url')).digest('base64');
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { kid, publicJwk: { alg: 'RS256', e, kid, kty: 'RSA', n, use: 'sig' }, privatePem };
}

/** The private key as a Node KeyObject: signing goes through node:crypto (see signJwt). */
export function importPrivateKey(pem: string): KeyObject {
  return createPrivateKey({ key: pem, format: 'pem' });
}

export async function importPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  const k = await importJWK({ ...jwk }, 'RS256');
  if (k instanceof Uint8Array) throw new Error('expected an RSA public key');
  return k;
}

/** Parses a stored public JWK; throws on anything that is not one. */
export function parsePublicJwk(text: string): PublicJwk {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null) throw new Error('malformed JWK');
  const get = (k: string): string => {
    const x: unknown = Reflect.get(v, k);
    if (typeof x !== 'string') throw new Error(`malformed JWK: ${k}`);
    return x;
  };
  return { alg: 'RS256', e: get('e'), kid: get('kid'), kty: 'RSA', n: get('n'), use: 'sig' };
}

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/**
 * Signs claims as a compact JWS (RFC 7515 §7.1) with header `{kid, alg: RS256}` (Cognito's header, in its
 * order): RSASSA-PKCS1-v1_5 with SHA-256 over `base64url(header).base64url(payload)`. Done with node:crypto
 * rather than jose's WebCrypto path: every sign-in and refresh signs two tokens, and WebCrypto's per-call
 * overhead on the main thread (algorithm normalisation, key transfer) measured about 15% of a refresh.
 * Tokens are verified with jose (and with aws-jwt-verify in the tests).
 */
export function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const input = `${b64url(JSON.stringify({ kid, alg: 'RS256' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'utf8'), key).toString('base64url')}`;
}

export interface UnverifiedJwt {
  kid: string;
  claims: JWTPayload;
}

/** Header kid and claims of a compact JWS, without verifying anything; undefined for anything garbled. */
export function peekJwt(token: string): UnverifiedJwt | undefined {
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') return undefined;
    return { kid: header.kid, claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

export type JwtFailure = 'expired' | 'invalid';

/**
 * Verifies signature, algorithm, issuer and expiry at `now` (epoch ms). Expiry is exact: Cognito allows
 * no clock skew. Returns the claims, or why the token was refused.
 */
export async function verifyJwt(token: string, key: CryptoKey, issuer: string, now: number): Promise<{ claims: JWTPayload } | { failure: JwtFailure }> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['RS256'], issuer, currentDate: new Date(now), requiredClaims: ['exp', 'iat'] });
    return { claims: payload };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { failure: 'expired' };
    return { failure: 'invalid' };
  }
}

/** Encrypts a refresh token's contents: `{alg: dir, enc: A256GCM, cty: JWT}` like Cognito's JWE header shape. */
export function sealRefreshToken(contents: Record<string, unknown>, key: Uint8Array): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(contents)))
    .setProtectedHeader({ cty: 'JWT', enc: 'A256GCM', alg: 'dir' })
    .encrypt(key);
}

/**
 * Decrypts a refresh token; undefined for anything not sealed by this server (garbled, tampered, foreign).
 * RFC 7516 §5.2 for `dir` + A256GCM done with node:crypto: jose's path imports the raw key through WebCrypto
 * on every call, and every refresh opens its token (twice when SECRET_HASH is checked first).
 */
export function openRefreshToken(token: string, key: Uint8Array): Record<string, unknown> | undefined {
  const [header, encryptedKey, iv, ciphertext, tag, ...rest] = token.split('.');
  if (header === undefined || encryptedKey !== '' || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) return undefined;
  try {
    const h: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    if (typeof h !== 'object' || h === null || Reflect.get(h, 'alg') !== 'dir' || Reflect.get(h, 'enc') !== 'A256GCM') return undefined;
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== 12 || tagBytes.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
    decipher.setAAD(Buffer.from(header, 'ascii'));
    decipher.setAuthTag(tagBytes);
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    const v: unknown = JSON.parse(plain.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    return Object.fromEntries(Object.entries(v));
  } catch {
    return undefined;
  }
}
