// The client half of Cognito's SRP for the load generator, written from the published description (the
// 3072-bit group of RFC 3526, g = 2, k = H(N | g), u = H(A | B), x = H(salt | H(poolName | user | ':' | pw)),
// the "Caldera Derived Key" HKDF and the claim signature), with exponentiation through OpenSSL (node's
// DiffieHellman) so that the generator stays lean. A wrong client would show as failed sign-ins.
import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
const N = BigInt(`0x${N_HEX}`);
const dh = createDiffieHellman(Buffer.from(N_HEX, 'hex'), Buffer.from([2]));

function toBytes(x) {
  let h = x.toString(16);
  if (h.length % 2) h = `0${h}`;
  if (/^[89a-f]/.test(h)) h = `00${h}`;
  return Buffer.from(h, 'hex');
}
const big = (b) => BigInt(`0x${b.toString('hex') || '0'}`);
const sha = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const k = big(sha(toBytes(N), toBytes(2n)));

function powG(e) {
  dh.setPrivateKey(e);
  return big(dh.generateKeys());
}
function pow(y, e) {
  dh.setPrivateKey(e);
  return big(dh.computeSecret(Buffer.from(y.toString(16).padStart(768, '0'), 'hex')));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
function timestamp(d = new Date()) {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** g^x per (user, salt): a real client keeps nothing, but here it would only measure the generator. */
const gxCache = new Map();

/** A sign-in's client state: the secret a (256 bits here, to keep the generator lean) and SRP_A. */
export function srpStart() {
  const a = randomBytes(32);
  const A = powG(a);
  return { a: big(a), A, srpA: A.toString(16) };
}

/** The PASSWORD_VERIFIER ChallengeResponses for a challenge's parameters. */
export function srpAnswer(poolId, params, password, start) {
  const poolName = poolId.slice(poolId.indexOf('_') + 1);
  const userId = params.USER_ID_FOR_SRP;
  const B = BigInt(`0x${params.SRP_B}`);
  const salt = BigInt(`0x${params.SALT}`);
  const u = big(sha(toBytes(start.A), toBytes(B)));
  const x = big(sha(toBytes(salt), sha(`${poolName}${userId}:${password}`)));
  const cacheKey = `${userId}/${params.SALT}`;
  let gx = gxCache.get(cacheKey);
  if (gx === undefined) {
    gx = powG(toBytes(x));
    gxCache.set(cacheKey, gx);
  }
  const base = (((B - k * gx) % N) + N) % N;
  const S = pow(base, toBytes(start.a + u * x));
  const key = Buffer.from(hkdfSync('sha256', toBytes(S), toBytes(u), 'Caldera Derived Key', 16));
  const ts = timestamp();
  const sig = createHmac('sha256', key).update(poolName).update(userId).update(Buffer.from(params.SECRET_BLOCK, 'base64')).update(ts).digest('base64');
  return { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK, TIMESTAMP: ts, PASSWORD_CLAIM_SIGNATURE: sig };
}
