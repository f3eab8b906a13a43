import { createRequire } from 'node:module';
import { claimSignature, clientTimestamp, srpClient } from './cognito-srp-client.js';

/**
 * The device half of Cognito's device SRP as amazon-cognito-identity-js computes it: the verifier ConfirmDevice
 * sends (AuthenticationHelper.generateHashDevice, base64 of salt and verifier as CognitoUser sends them) and the
 * DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER answers (CognitoUser.getDeviceResponse).
 */
const require = createRequire(import.meta.url);

function helperFor(groupKey: string): Record<string, unknown> {
  const mod: unknown = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js');
  const d = typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
  if (typeof d !== 'function') throw new Error('AuthenticationHelper: no default export');
  const made: unknown = Reflect.construct(d, [groupKey]);
  if (typeof made !== 'object' || made === null) throw new Error('AuthenticationHelper: not an object');
  return { self: made };
}

function call(obj: Record<string, unknown>, name: string, ...args: unknown[]): unknown {
  const self = obj.self;
  const f = typeof self === 'object' && self !== null ? Reflect.get(self, name) : undefined;
  if (typeof f !== 'function') throw new Error(`missing method ${name}`);
  return Reflect.apply(f, self, args);
}

export interface DeviceSecret {
  deviceKey: string;
  groupKey: string;
  /** The device's random password (kept by the client, never sent). */
  password: string;
  /** ConfirmDevice's DeviceSecretVerifierConfig. */
  config: { Salt: string; PasswordVerifier: string };
}

/** What a client makes for NewDeviceMetadata before ConfirmDevice. */
export function deviceSecret(deviceKey: string, groupKey: string): Promise<DeviceSecret> {
  const h = helperFor(groupKey);
  return new Promise((resolve, reject) => {
    call(h, 'generateHashDevice', groupKey, deviceKey, (err: unknown) => {
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      const salt = String(call(h, 'getSaltDevices'));
      const verifier = String(call(h, 'getVerifierDevices'));
      resolve({
        deviceKey,
        groupKey,
        password: String(call(h, 'getRandomPassword')),
        config: { Salt: Buffer.from(salt, 'hex').toString('base64'), PasswordVerifier: Buffer.from(verifier, 'hex').toString('base64') },
      });
    });
  });
}

/** DEVICE_SRP_AUTH answer (SRP_A) and the DEVICE_PASSWORD_VERIFIER answer to the server's parameters. */
export function deviceProof(device: DeviceSecret): { A: string; answer(params: Record<string, string>, username: string, timestamp?: string): Promise<Record<string, string>> } {
  const srp = srpClient(device.groupKey);
  return {
    A: srp.A,
    async answer(params, username, timestamp = clientTimestamp()) {
      const key = await srp.key(device.deviceKey, device.password, params.SRP_B ?? '', params.SALT ?? '');
      const block = params.SECRET_BLOCK ?? '';
      return {
        USERNAME: username,
        DEVICE_KEY: device.deviceKey,
        PASSWORD_CLAIM_SECRET_BLOCK: block,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: claimSignature(key, device.groupKey, device.deviceKey, block, timestamp),
      };
    },
  };
}
