import type { OperationHandler } from '../../operation.js';
import { adminSetUserMfaPreference } from './admin-set-user-mfa-preference.js';
import { adminSetUserSettings } from './admin-set-user-settings.js';
import { associateSoftwareToken } from './associate-software-token.js';
import { setUserMfaPreference } from './set-user-mfa-preference.js';
import { setUserSettings } from './set-user-settings.js';
import { verifySoftwareToken } from './verify-software-token.js';

/** A user's MFA settings and software token. */
export const mfaOperations: Record<string, OperationHandler> = {
  SetUserMFAPreference: setUserMfaPreference,
  AdminSetUserMFAPreference: adminSetUserMfaPreference,
  SetUserSettings: setUserSettings,
  AdminSetUserSettings: adminSetUserSettings,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
};
