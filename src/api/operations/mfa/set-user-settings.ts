import type { OperationHandler } from '../../operation.js';
import { mfaOptions } from './wire.js';

/** SetUserSettings (legacy: SMS MFA on or off). */
export const setUserSettings: OperationHandler = async (input, _ctx, s) => {
  await s.userMfa.setSettingsByToken(input.str('AccessToken'), mfaOptions(input));
  return {};
};
