import type { OperationHandler } from '../../operation.js';

/** ConfirmDevice (unsigned, by access token): stores the device's SRP verifier after a sign-in gave it a key. */
export const confirmDevice: OperationHandler = async (input, _ctx, s) => {
  const config = input.optObj('DeviceSecretVerifierConfig');
  const verifier = config && { salt: config.optStr('Salt'), verifier: config.optStr('PasswordVerifier') };
  const r = await s.devices.confirm(input.str('AccessToken'), input.str('DeviceKey'), verifier, input.optStr('DeviceName'));
  return { UserConfirmationNecessary: r.userConfirmationNecessary };
};
