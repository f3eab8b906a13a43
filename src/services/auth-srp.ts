import { createHmac, hkdfSync } from 'node:crypto';
import { invalidSession, missingParameter, sessionExpired } from '../domain/auth-flows.js';
import { invalidParameter } from '../domain/errors.js';
import { strList } from '../domain/pool-config.js';
import {
  N,
  parseHex,
  parseSrpTimestamp,
  passwordClaimSignature,
  signatureMatches,
  srpChallenge,
  srpPoolName,
  toBytes,
} from '../crypto/srp.js';
import type { UserRow } from '../store/schema.js';
import type { SignInTarget } from './auth-outcome.js';
import { openState, sealedOfSecretBlock, sealState, secretBlockOf, sessionValidityMs, type AuthState } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { srpCredentialsOf } from './credentials.js';
import { usernameKey } from './user-lookup.js';

/**
 * USER_SRP_AUTH → PASSWORD_VERIFIER (SRP-6a, crypto/srp.ts). The first step does all the arithmetic and
 * seals the derived key into the SECRET_BLOCK with the pool, client, user and an expiry; the second step
 * opens it, marks it used and checks the client's HMAC over it. An unknown user (when the client hides
 * user existence) or one without a stored verifier gets a stand-in challenge computed the same way from
 * values derived from the server key and the name, so the same name always gets the same SALT; its proof
 * never verifies.
 */

/** Server-key-derived secret for the stand-in values; derived once per key. */
const standInKeys = new WeakMap<ServiceDeps, Uint8Array>();

function standInKey(deps: ServiceDeps): Uint8Array {
  let k = standInKeys.get(deps);
  if (!k) {
    k = deps.secrets.deriveKey('srp-stand-in-v1');
    standInKeys.set(deps, k);
  }
  return k;
}

/** A plausible salt, verifier and USER_ID_FOR_SRP for a name with no usable verifier. */
function standIn(deps: ServiceDeps, target: SignInTarget, name: string): { salt: bigint; verifier: bigint; userId: string } {
  const seed = createHmac('sha256', standInKey(deps)).update(`${target.pool.id}\n${usernameKey(target.pool, name)}`).digest();
  const bytes = Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), 'stand-in', 16 + 384 + 16));
  const salt = BigInt(`0x${bytes.subarray(0, 16).toString('hex')}`);
  const verifier = BigInt(`0x${bytes.subarray(16, 400).toString('hex')}`) % N;
  // In a pool whose sign-in names are email or phone, real users' USER_ID_FOR_SRP is a UUID.
  const hasUsernameAttributes = strList(target.pool.doc, 'UsernameAttributes').length > 0;
  return { salt, verifier, userId: hasUsernameAttributes ? uuidOf(bytes.subarray(400)) : name };
}

function uuidOf(b: Buffer): string {
  const h = Buffer.from(b);
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The PASSWORD_VERIFIER challenge for SRP_A; `user` undefined means a stand-in challenge. */
export function startSrp(deps: ServiceDeps, target: SignInTarget, user: UserRow | undefined, name: string, srpA: string | undefined): Record<string, string> {
  if (srpA === undefined) throw missingParameter('SRP_A');
  const A = parseHex(srpA);
  if (A === undefined) throw invalidParameter('SRP_A must be a hexadecimal number.');
  if (A % N === 0n) throw invalidParameter('SRP_A mod N cannot be 0.');
  const real = user && srpCredentialsOf(deps, target.pool, user);
  const creds = real && user ? { ...real, userId: user.username } : standIn(deps, target, name);
  const { B, key } = srpChallenge(A, creds.verifier, (n) => deps.random.bytes(n));
  const state: AuthState = {
    kind: 'PASSWORD_VERIFIER',
    id: deps.random.uuid(),
    poolId: target.pool.id,
    clientId: target.client.id,
    sub: real && user ? user.id : null,
    username: creds.userId,
    expiresAt: deps.clock.now().getTime() + sessionValidityMs(target),
    ...(key ? { key: key.toString('base64') } : {}),
  };
  return {
    SALT: toBytes(creds.salt).toString('hex'),
    SRP_B: B.toString(16),
    SECRET_BLOCK: secretBlockOf(sealState(deps, state)),
    USERNAME: creds.userId,
    USER_ID_FOR_SRP: creds.userId,
  };
}

export interface SrpProof {
  state: AuthState;
  /** Checks the client's signature; true when it proves the password. */
  verify(): boolean;
}

/**
 * Opens the SECRET_BLOCK of a PASSWORD_VERIFIER answer: it must be this pool's and client's, unexpired and
 * well formed. Marking it used and checking the proof are the caller's (after the lockout check).
 */
export function openSrpProof(deps: ServiceDeps, target: SignInTarget, responses: Record<string, string>): SrpProof {
  const block = responses.PASSWORD_CLAIM_SECRET_BLOCK;
  const signature = responses.PASSWORD_CLAIM_SIGNATURE;
  const timestamp = responses.TIMESTAMP;
  if (block === undefined) throw missingParameter('PASSWORD_CLAIM_SECRET_BLOCK');
  if (signature === undefined) throw missingParameter('PASSWORD_CLAIM_SIGNATURE');
  if (timestamp === undefined) throw missingParameter('TIMESTAMP');
  const state = openState(deps, 'PASSWORD_VERIFIER', sealedOfSecretBlock(block));
  if (!state || state.poolId !== target.pool.id || state.clientId !== target.client.id) throw invalidSession();
  if (deps.clock.now().getTime() >= state.expiresAt) throw sessionExpired();
  return {
    state,
    verify() {
      // The clients' format exactly: a zero-padded day, say, is refused as Cognito refuses it.
      if (parseSrpTimestamp(timestamp) === undefined || state.key === undefined) return false;
      const expected = passwordClaimSignature(Buffer.from(state.key, 'base64'), srpPoolName(target.pool.id), state.username, Buffer.from(block, 'base64'), timestamp);
      return signatureMatches(expected, signature);
    },
  };
}
