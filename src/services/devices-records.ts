import { N, toBytes } from '../crypto/srp.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../domain/errors.js';
import type { DeviceRow } from '../store/repositories/devices.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';

/**
 * Device tracking rules shared by the device operations and the sign-in hooks: the pool's
 * DeviceConfiguration, new device keys, the sealed device verifier and the DeviceType view.
 * DG: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html
 */

/** What Cognito answers for a key that names no device of the user (SDKs look for "device" in it and retry). */
export const deviceNotFound = (): CognitoError => resourceNotFound('Device does not exist.');

export interface DeviceSettings {
  /** ChallengeRequiredOnNewDevice: a remembered device signs in with device SRP instead of an MFA code. */
  deviceAuthSkipsMfa: boolean;
  /** DeviceOnlyRememberedOnUserPrompt: ConfirmDevice leaves the device not_remembered until UpdateDeviceStatus. */
  rememberOnUserPrompt: boolean;
}

/**
 * The pool's device settings, or undefined when it does not track devices: "When you provide a value for any
 * property of DeviceConfiguration, you activate the device remembering" (API_DeviceConfigurationType).
 */
export function deviceSettingsOf(pool: Pool): DeviceSettings | undefined {
  const c = pool.doc.DeviceConfiguration;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  const challenge = c.ChallengeRequiredOnNewDevice;
  const prompt = c.DeviceOnlyRememberedOnUserPrompt;
  if (typeof challenge !== 'boolean' && typeof prompt !== 'boolean') return undefined;
  return { deviceAuthSkipsMfa: challenge === true, rememberOnUserPrompt: prompt === true };
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new, unconfirmed device row: key `<region>_<uuid>` as Cognito makes them, a random group key. */
export function newDeviceRow(deps: ServiceDeps, pool: Pool, user: UserRow, now: number): DeviceRow {
  // Cognito's group keys look like "-Ab1Cd2Ef" (a dash and nine letters or digits).
  const groupKey = `-${[...deps.random.bytes(9)].map((b) => BASE62[b % 62]).join('')}`;
  return {
    device_key: `${pool.region}_${deps.random.uuid()}`,
    pool_id: pool.id,
    user_id: user.id,
    group_key: groupKey,
    status: 'new',
    name: null,
    srp_salt: null,
    srp_verifier_enc: null,
    last_ip: null,
    created_at: now,
    updated_at: now,
    last_authenticated_at: now,
  };
}

/** Seal purpose of a device verifier: bound to its pool and device, so it cannot be moved to another row. */
const verifierPurpose = (poolId: string, deviceKey: string): string => `device-verifier:${poolId}/${deviceKey}`;

function integerOfBase64(text: string | undefined, member: string): bigint {
  const bytes = text === undefined ? Buffer.alloc(0) : Buffer.from(text, 'base64');
  // Buffer.from silently skips what is not base64; a value that does not survive the round trip is refused.
  if (bytes.length === 0 || bytes.toString('base64').replace(/=+$/, '') !== (text ?? '').replace(/=+$/, '')) {
    throw invalidParameter(`DeviceSecretVerifierConfig.${member} is not valid base64.`);
  }
  return BigInt(`0x${bytes.toString('hex')}`);
}

/**
 * ConfirmDevice's DeviceSecretVerifierConfig: base64 of the salt and of v = g^x mod N, both in the clients'
 * toBytes form (amazon-cognito-identity-js AuthenticationHelper.generateHashDevice). Stored as the salt's hex
 * and the sealed verifier; a verifier outside (0, N) could never verify and is refused.
 */
export function deviceVerifier(deps: ServiceDeps, poolId: string, deviceKey: string, config: { salt?: string; verifier?: string } | undefined): { srpSalt: string; srpVerifierEnc: string } {
  if (config === undefined) throw invalidParameter('DeviceSecretVerifierConfig is required.');
  const salt = integerOfBase64(config.salt, 'Salt');
  const v = integerOfBase64(config.verifier, 'PasswordVerifier');
  if (v % N === 0n || v >= N) throw invalidParameter('DeviceSecretVerifierConfig.PasswordVerifier is not a valid verifier.');
  return { srpSalt: toBytes(salt).toString('hex'), srpVerifierEnc: deps.secrets.seal(v.toString(16), verifierPurpose(poolId, deviceKey)) };
}

/** The salt and verifier of a confirmed device, or undefined before ConfirmDevice. */
export function deviceCredentialsOf(deps: ServiceDeps, device: DeviceRow): { salt: bigint; verifier: bigint } | undefined {
  if (device.srp_salt === null || device.srp_verifier_enc === null) return undefined;
  const v = deps.secrets.open(device.srp_verifier_enc, verifierPurpose(device.pool_id, device.device_key));
  return { salt: BigInt(`0x${device.srp_salt}`), verifier: BigInt(`0x${v}`) };
}

/** DeviceType, times in epoch ms (the handler converts them). */
export interface DeviceView {
  key: string;
  attributes: Array<{ Name: string; Value: string }>;
  createdAt: number;
  modifiedAt: number;
  lastAuthenticatedAt: number;
}

/**
 * A device as Cognito describes it: the attributes of the API reference's AdminListDevices example
 * (device_status, device_name, dev:device_arn, dev:device_owner, last_ip_used, dev:device_remembered_status),
 * each only when known.
 */
export function deviceView(deps: ServiceDeps, pool: Pool, user: UserRow, d: DeviceRow): DeviceView {
  const owner = `${user.username}.${pool.id}`;
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    ...(d.name === null ? [] : [{ Name: 'device_name', Value: d.name }]),
    { Name: 'dev:device_arn', Value: `arn:aws:cognito-idp:${pool.region}:${deps.accountId}:owner/${owner}/device/${d.device_key}` },
    { Name: 'dev:device_owner', Value: owner },
    ...(d.last_ip === null ? [] : [{ Name: 'last_ip_used', Value: d.last_ip }]),
    ...(d.status === 'new' ? [] : [{ Name: 'dev:device_remembered_status', Value: d.status }]),
  ];
  return { key: d.device_key, attributes, createdAt: d.created_at, modifiedAt: d.updated_at, lastAuthenticatedAt: d.last_authenticated_at ?? d.created_at };
}
