import { incorrectCredentials, invalidSession, missingParameter } from '../domain/auth-flows.js';
import { invalidParameter, notAuthorized } from '../domain/errors.js';
import { N, parseHex, parseSrpTimestamp, passwordClaimSignature, signatureMatches, srpChallenge, toBytes } from '../crypto/srp.js';
import type { DeviceRow } from '../store/repositories/devices.js';
import type { UserRow } from '../store/schema.js';
import { stepExtra, stepOf, type SignInStep } from './auth-next-step.js';
import type { AuthOutcome, SignInTarget } from './auth-outcome.js';
import { challengeSession, openSession, sealedOfSecretBlock, secretBlockOf, type AuthState } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { deviceCredentialsOf, deviceNotFound } from './devices-records.js';
import { checkSecretHash } from './secret-hash.js';
import { findUser } from './user-lookup.js';

/**
 * Device authentication: DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER. The same SRP-6a as USER_SRP_AUTH
 * (crypto/srp.ts) with the device group key in place of the pool name and the device key in place of the
 * username, against the verifier ConfirmDevice stored (amazon-cognito-identity-js CognitoUser.getDeviceResponse;
 * DG amazon-cognito-user-pools-device-tracking, "Signing in with a device").
 *
 * The DEVICE_SRP_AUTH Session carries the sign-in so far; the answer's arithmetic is done at once and its key
 * sealed into the next state, which is both the DEVICE_PASSWORD_VERIFIER Session and its SECRET_BLOCK, so the
 * proof step only checks an HMAC. Each state works once.
 */

const SRP_AUTH = 'DEVICE_SRP_AUTH';
const PASSWORD_VERIFIER = 'DEVICE_PASSWORD_VERIFIER';

/** The DEVICE_SRP_AUTH challenge for a sign-in from a remembered device. */
export function deviceSrpChallenge(deps: ServiceDeps, step: SignInStep & { deviceKey: string }): AuthOutcome {
  const { session } = challengeSession(deps, step.target, SRP_AUTH, step.user, step.authTime, stepExtra(step));
  return { challenge: { name: SRP_AUTH, session, parameters: { USERNAME: step.user.username, DEVICE_KEY: step.deviceKey } } };
}

export interface DeviceLookup {
  /** The user's device with this key, if it is remembered and has a verifier. */
  remembered(user: UserRow, deviceKey: string): Promise<DeviceRow | undefined>;
}

/** The user a challenge state belongs to, named by USERNAME (any name that resolves to it) with its SECRET_HASH. */
async function answeringUser(deps: ServiceDeps, target: SignInTarget, state: AuthState, r: Record<string, string>): Promise<UserRow> {
  const name = r.USERNAME;
  if (name === undefined || name === '') throw missingParameter('USERNAME');
  const user = await findUser(deps, target.pool, name);
  if (!user || user.id !== state.sub) throw invalidSession();
  if (!target.hosted) await checkSecretHashOverEither(deps, target, [name, user.username], r.SECRET_HASH);
  if (user.enabled !== 1) throw notAuthorized('User is disabled.');
  return user;
}

/** SECRET_HASH computed over the name as sent or over the stored username (clients use either). */
async function checkSecretHashOverEither(deps: ServiceDeps, target: SignInTarget, names: readonly string[], secretHash: string | undefined): Promise<void> {
  let first: unknown;
  for (const name of new Set(names)) {
    try {
      return await checkSecretHash(deps, target.client, name, secretHash, { source: 'SECRET_HASH' });
    } catch (err) {
      first ??= err;
    }
  }
  throw first;
}

function requiredDeviceKey(state: AuthState, r: Record<string, string>): string {
  const key = r.DEVICE_KEY;
  if (key === undefined || key === '') throw missingParameter('DEVICE_KEY');
  if (key !== state.extra?.d) throw deviceNotFound();
  return key;
}

/** DEVICE_SRP_AUTH answered with SRP_A: the DEVICE_PASSWORD_VERIFIER challenge (SRP_B, SALT, SECRET_BLOCK). */
export async function answerDeviceSrp(deps: ServiceDeps, devices: DeviceLookup, target: SignInTarget, session: string | undefined, r: Record<string, string>): Promise<AuthOutcome> {
  const state = openSession(deps, target, SRP_AUTH, session);
  const user = await answeringUser(deps, target, state, r);
  const deviceKey = requiredDeviceKey(state, r);
  if (r.SRP_A === undefined) throw missingParameter('SRP_A');
  const A = parseHex(r.SRP_A);
  if (A === undefined) throw invalidParameter('SRP_A must be a hexadecimal number.');
  if (A % N === 0n) throw invalidParameter('SRP_A mod N cannot be 0.');
  const device = await devices.remembered(user, deviceKey);
  const creds = device && deviceCredentialsOf(deps, device);
  if (!device || !creds) throw deviceNotFound();
  if (!(await deps.store.signIn.useOnce(state.id, state.expiresAt, deps.clock.now().getTime()))) throw invalidSession();
  const { B, key } = srpChallenge(A, creds.verifier, (n) => deps.random.bytes(n));
  const extra = { ...state.extra, g: device.group_key, ...(key ? { k: key.toString('base64') } : {}) };
  const next = challengeSession(deps, target, PASSWORD_VERIFIER, user, state.authTime, extra).session;
  return {
    challenge: {
      name: PASSWORD_VERIFIER,
      session: next,
      parameters: { SRP_B: B.toString(16), SALT: toBytes(creds.salt).toString('hex'), SECRET_BLOCK: secretBlockOf(next), USERNAME: user.username, DEVICE_KEY: deviceKey },
    },
  };
}

/**
 * DEVICE_PASSWORD_VERIFIER: the client's HMAC over group key, device key, SECRET_BLOCK and TIMESTAMP with the
 * derived key proves it holds the device secret. Returns the sign-in step to continue (at 'TOKENS': a remembered
 * device stands in for MFA).
 */
export async function answerDevicePassword(deps: ServiceDeps, devices: DeviceLookup, target: SignInTarget, session: string | undefined, r: Record<string, string>): Promise<SignInStep> {
  const state = openSession(deps, target, PASSWORD_VERIFIER, session);
  const block = r.PASSWORD_CLAIM_SECRET_BLOCK;
  const signature = r.PASSWORD_CLAIM_SIGNATURE;
  const timestamp = r.TIMESTAMP;
  if (block === undefined) throw missingParameter('PASSWORD_CLAIM_SECRET_BLOCK');
  if (signature === undefined) throw missingParameter('PASSWORD_CLAIM_SIGNATURE');
  if (timestamp === undefined) throw missingParameter('TIMESTAMP');
  if (session === undefined || sealedOfSecretBlock(block) !== session) throw invalidSession();
  const user = await answeringUser(deps, target, state, r);
  const deviceKey = requiredDeviceKey(state, r);
  if (!(await deps.store.signIn.useOnce(state.id, state.expiresAt, deps.clock.now().getTime()))) throw invalidSession();
  const key = state.extra?.k;
  const groupKey = state.extra?.g;
  if (typeof key !== 'string' || typeof groupKey !== 'string' || parseSrpTimestamp(timestamp) === undefined) throw incorrectCredentials();
  const expected = passwordClaimSignature(Buffer.from(key, 'base64'), groupKey, deviceKey, Buffer.from(block, 'base64'), timestamp);
  if (!signatureMatches(expected, signature)) throw incorrectCredentials();
  // Forgotten (or no longer remembered) between the two steps: no MFA skip for it.
  if (!(await devices.remembered(user, deviceKey))) throw deviceNotFound();
  return { ...stepOf(target, user, state.authTime, state.extra, deviceKey), tokenSource: 'TokenGeneration_AuthenticateDevice' };
}
