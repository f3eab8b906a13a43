import type { OperationHandler } from '../../operation.js';
import { preferenceRequest } from './wire.js';

/** AdminSetUserMFAPreference. */
export const adminSetUserMfaPreference: OperationHandler = async (input, ctx, s) => {
  await s.userMfa.setPreferenceAdmin(ctx, input.str('UserPoolId'), input.str('Username'), preferenceRequest(input));
  return {};
};
