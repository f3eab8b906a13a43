import type { OperationHandler } from '../../operation.js';
import { preferenceRequest } from './wire.js';

/** SetUserMFAPreference (access token). */
export const setUserMfaPreference: OperationHandler = async (input, _ctx, s) => {
  await s.userMfa.setPreferenceByToken(input.str('AccessToken'), preferenceRequest(input));
  return {};
};
