import type { Input } from '../../../domain/input.js';
import type { MfaOption, TokenCaller } from '../../../services/user-mfa.js';
import type { FactorPreference, MfaPreferenceRequest } from '../../../services/user-mfa-settings.js';
import { invalidParameter } from '../../../domain/errors.js';

function factor(input: Input, member: string): FactorPreference | undefined {
  const o = input.optObj(member);
  if (!o) return undefined;
  const enabled = o.optBool('Enabled');
  const preferred = o.optBool('PreferredMfa');
  return { ...(enabled === undefined ? {} : { enabled }), ...(preferred === undefined ? {} : { preferred }) };
}

/** SMSMfaSettings, SoftwareTokenMfaSettings and EmailMfaSettings of Set(Admin)UserMFAPreference. */
export function preferenceRequest(input: Input): MfaPreferenceRequest {
  const sms = factor(input, 'SMSMfaSettings');
  const totp = factor(input, 'SoftwareTokenMfaSettings');
  const email = factor(input, 'EmailMfaSettings');
  return { ...(sms ? { SMS_MFA: sms } : {}), ...(totp ? { SOFTWARE_TOKEN_MFA: totp } : {}), ...(email ? { EMAIL_OTP: email } : {}) };
}

/** MFAOptions of Set(Admin)UserSettings. */
export function mfaOptions(input: Input): MfaOption[] {
  return input.objList('MFAOptions').map((o) => {
    const medium = o.optStr('DeliveryMedium');
    const attribute = o.optStr('AttributeName');
    return { ...(medium === undefined ? {} : { deliveryMedium: medium }), ...(attribute === undefined ? {} : { attributeName: attribute }) };
  });
}

/** AccessToken or Session, exactly one (Associate/VerifySoftwareToken). */
export function tokenCaller(input: Input): TokenCaller {
  const accessToken = input.optStr('AccessToken');
  const session = input.optStr('Session');
  if (accessToken !== undefined && session === undefined) return { accessToken };
  if (session !== undefined && accessToken === undefined) return { session };
  throw invalidParameter('Either AccessToken or Session must be provided, but not both.');
}
