import type { OperationHandler } from '../../operation.js';
import { mfaOptions } from './wire.js';

/** AdminSetUserSettings (legacy: SMS MFA on or off). */
export const adminSetUserSettings: OperationHandler = async (input, ctx, s) => {
  await s.userMfa.setSettingsAdmin(ctx, input.str('UserPoolId'), input.str('Username'), mfaOptions(input));
  return {};
};
