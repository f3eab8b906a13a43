import { createDiffieHellman, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The server side of SRP-6a as Cognito's clients compute it (amazon-cognito-identity-js
 * `AuthenticationHelper.js`, Amplify's `utils/srp`; ../shared/spec/TOKENS-AND-TRIGGERS.md (d)):
 * the 3072-bit MODP group of RFC 3526 §4 with g = 2 and H = SHA-256, integers hashed in their
 * `toBytes` form (Java BigInteger.toByteArray: minimal big-endian, a 0x00 byte in front when the top bit
 * is set), k = H(N | g), u = H(A | B), x = H(salt | H(poolName | userIdForSrp | ':' | password)), the
 * "Caldera Derived Key" HKDF and the PASSWORD_CLAIM_SIGNATURE.
 *
 * Modular exponentiation goes through OpenSSL (node's DiffieHellman with the group's prime: setting the
 * private key to the exponent, `generateKeys` gives g^e mod N and `computeSecret(y)` gives y^e mod N).
 * BigInt square-and-multiply took 5.5 ms per 256-bit exponent here, OpenSSL 0.6 ms with one reused
 * object (its Montgomery context is cached), constant-time for the private exponent.
 */

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
const N_BYTES = N_HEX.length / 2;

/**
 * Bytes of the server's ephemeral exponent b. NIST SP 800-56A Rev. 3 §5.6.1.1.1 asks for at least 2s bits
 * in a safe-prime group of security strength s; s = 128 for 3072 bits (SP 800-57 Part 1, table 2).
 */
const EPHEMERAL_BYTES = 32;

/** Java BigInteger.toByteArray of a non-negative integer (the clients' `padHex`). */
export function toBytes(x: bigint): Buffer {
  let hex = x.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

/** Fixed-width big-endian bytes (what OpenSSL takes and gives). */
function fixedBytes(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(N_BYTES * 2, '0'), 'hex');
}

const fromBytes = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`));

/** A non-negative integer from hex as the clients send it (any case, no prefix); undefined if not hex. */
export function parseHex(hex: string): bigint | undefined {
  return /^[0-9a-fA-F]{1,2048}$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
}

function sha256(...parts: Array<Buffer | string>): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** k = H(N | g) with the sign-padded encoding (not RFC 5054's PAD(g)), as the clients compute it. */
export const k = fromBytes(sha256(toBytes(N), toBytes(g)));

/** Modular exponentiation in the group through one reused OpenSSL DH object (calls are synchronous). */
const dh = createDiffieHellman(Buffer.from(N_HEX, 'hex'), Buffer.from([2]));

/** g^e mod N. */
function powG(e: Buffer): bigint {
  dh.setPrivateKey(e);
  return fromBytes(dh.generateKeys());
}

/** y^e mod N for 0 <= y < N (OpenSSL refuses the bases 0, 1 and N − 1 as public keys: done here). */
function pow(y: bigint, e: Buffer): bigint {
  if (y <= 1n) return y;
  if (y === N - 1n) return (e[e.length - 1] ?? 0) % 2 === 1 ? y : 1n;
  dh.setPrivateKey(e);
  return fromBytes(dh.computeSecret(fixedBytes(y)));
}

/** The pool's name in SRP: the part of the pool id after '_' (`us-east-1_AbC123` → `AbC123`). */
export function srpPoolName(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

/** x = H(salt | H(poolName | userIdForSrp | ':' | password)), salt as an integer in its toBytes form. */
export function srpX(salt: bigint, poolName: string, userIdForSrp: string, password: string): Buffer {
  return sha256(toBytes(salt), sha256(`${poolName}${userIdForSrp}:${password}`));
}

/** A fresh salt: 16 random bytes as an integer, like Cognito's (and the clients' device salts). */
export function srpSalt(randomBytes: (n: number) => Buffer): bigint {
  return fromBytes(randomBytes(16));
}

/** The verifier v = g^x mod N stored for a password. */
export function srpVerifier(salt: bigint, poolName: string, userIdForSrp: string, password: string): bigint {
  return powG(srpX(salt, poolName, userIdForSrp, password));
}

export interface SrpChallenge {
  /** The server's public value B = (k·v + g^b) mod N. */
  B: bigint;
  /** The 16-byte key both sides derive; undefined when A·v^u is degenerate (the proof then fails). */
  key: Buffer | undefined;
}

/**
 * The server's answer to a client's A for a user with verifier v, and the key the client will prove it
 * knows. Everything is computed here, in the first step: the second step only checks an HMAC, so the
 * state between the steps is 16 bytes. S = (A·v^u)^b mod N; key = HKDF(ikm = S, salt = u,
 * info = "Caldera Derived Key", 16 bytes). `randomBytes` supplies b.
 */
export function srpChallenge(A: bigint, v: bigint, randomBytes: (n: number) => Buffer): SrpChallenge {
  if (A % N === 0n) throw new RangeError('A mod N is zero');
  let b: Buffer;
  let B: bigint;
  do {
    b = randomBytes(EPHEMERAL_BYTES);
    B = (k * v + powG(b)) % N;
  } while (B === 0n);
  const u = fromBytes(sha256(toBytes(A), toBytes(B)));
  if (u === 0n) return { B, key: undefined };
  const base = ((A % N) * pow(v, toBytes(u))) % N;
  if (base <= 1n || base >= N - 1n) return { B, key: undefined };
  const S = pow(base, b);
  return { B, key: Buffer.from(hkdfSync('sha256', toBytes(S), toBytes(u), 'Caldera Derived Key', 16)) };
}

/** PASSWORD_CLAIM_SIGNATURE = HMAC-SHA256(key, poolName | userIdForSrp | SECRET_BLOCK bytes | TIMESTAMP). */
export function passwordClaimSignature(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: Buffer, timestamp: string): Buffer {
  return createHmac('sha256', key).update(poolName).update(userIdForSrp).update(secretBlock).update(timestamp).digest();
}

/** Whether a base64 PASSWORD_CLAIM_SIGNATURE is the expected one (constant time). */
export function signatureMatches(expected: Buffer, given: string): boolean {
  const got = Buffer.from(given, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** The clients' TIMESTAMP: `EEE MMM d HH:mm:ss 'UTC' yyyy`, day not zero-padded ("Tue Nov 3 21:09:51 UTC 2026"). */
export function formatSrpTimestamp(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})$/;

/** Epoch ms of a TIMESTAMP in exactly the clients' format (weekday consistent with the date); else undefined. */
export function parseSrpTimestamp(s: string): number | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [, day, mon, date, hh, mm, ss, year] = m;
  const t = Date.UTC(Number(year), MONTHS.indexOf(mon ?? ''), Number(date), Number(hh), Number(mm), Number(ss));
  const d = new Date(t);
  if (d.getUTCDate() !== Number(date) || DAYS[d.getUTCDay()] !== day) return undefined;
  return t;
}
