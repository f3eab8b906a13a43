import { CognitoError, internalError, invalidParameter } from '../domain/errors.js';
import { parseAttributes } from '../domain/user-attributes.js';
import type { MfaSettings, UserMfaRow } from '../store/repositories/user-mfa.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';

/** The MFA factors a user can have, by their challenge names. */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
export const MFA_FACTORS: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

/** One factor's part of Set(Admin)UserMFAPreference: SMSMfaSettings and its siblings (absent = unchanged). */
export interface FactorPreference {
  enabled?: boolean;
  preferred?: boolean;
}
export type MfaPreferenceRequest = Partial<Record<MfaFactor, FactorPreference>>;

const NO_SETTINGS: MfaSettings = { sms: false, totp: false, email: false, preferred: null };

export function settingsOf(row: UserMfaRow | undefined): MfaSettings {
  if (!row) return NO_SETTINGS;
  return { sms: row.sms_enabled === 1, totp: row.totp_enabled === 1, email: row.email_enabled === 1, preferred: row.preferred };
}

export function enabledFactors(s: MfaSettings): MfaFactor[] {
  return MFA_FACTORS.filter((f) => (f === 'SMS_MFA' ? s.sms : f === 'SOFTWARE_TOKEN_MFA' ? s.totp : s.email));
}

function withFactor(s: MfaSettings, f: MfaFactor, on: boolean): MfaSettings {
  return f === 'SMS_MFA' ? { ...s, sms: on } : f === 'SOFTWARE_TOKEN_MFA' ? { ...s, totp: on } : { ...s, email: on };
}

/**
 * The settings after a preference request: a factor named with Enabled turns on or off; PreferredMfa makes
 * it the preferred one (only one may be), and turning the preferred factor off clears the preference
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html).
 */
export function applyPreference(current: MfaSettings, req: MfaPreferenceRequest): MfaSettings {
  const preferred = MFA_FACTORS.filter((f) => req[f]?.preferred === true);
  if (preferred.length > 1) throw invalidParameter('Only one MFA can be set as preferred.');
  let next = current;
  for (const f of MFA_FACTORS) {
    const p = req[f];
    if (p === undefined) continue;
    const on = p.enabled ?? (p.preferred === true ? true : f === 'SMS_MFA' ? current.sms : f === 'SOFTWARE_TOKEN_MFA' ? current.totp : current.email);
    next = withFactor(next, f, on);
    if (p.preferred === true && on) next = { ...next, preferred: f };
    else if (next.preferred === f && (!on || p.preferred === false)) next = { ...next, preferred: null };
  }
  return next;
}

/**
 * Cognito's refusal to turn a factor on, the same whether the user cannot receive it or the pool does not
 * offer it: InvalidParameterException "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
 * is what Cognito answers for TOTP without a verified token (aws/aws-sdk-js-v3#4645) and in a pool whose MFA
 * configuration leaves TOTP out.
 */
export const cannotTurnOn = (f: MfaFactor): CognitoError => invalidParameter(`User does not have delivery config set to turn on ${f}`);

/**
 * Refuses turning on a factor the pool does not offer (SetUserPoolMfaConfig) or the user cannot receive: SMS
 * needs a phone number, email MFA an email address, TOTP a verified software token.
 */
export function checkDeliverable(user: UserRow, row: UserMfaRow | undefined, offered: readonly MfaFactor[], before: MfaSettings, after: MfaSettings): void {
  const attrs = parseAttributes(user.attributes);
  for (const f of enabledFactors(after)) {
    if (enabledFactors(before).includes(f)) continue;
    const receivable = f === 'SMS_MFA' ? Boolean(attrs.phone_number) : f === 'EMAIL_OTP' ? Boolean(attrs.email) : Boolean(row?.totp_secret_enc);
    if (!offered.includes(f) || !receivable) throw cannotTurnOn(f);
  }
}

/** UserMFASettingList, PreferredMfaSetting and the legacy MFAOptions of GetUser / AdminGetUser. */
export interface MfaView {
  MFAOptions?: Array<{ DeliveryMedium: string; AttributeName: string }>;
  PreferredMfaSetting?: string;
  UserMFASettingList?: string[];
}

/** What GetUser and AdminGetUser add for a user's MFA; members are absent while the user has none (as Cognito). */
export async function mfaViewOf(deps: ServiceDeps, userId: string): Promise<MfaView> {
  return mfaView(settingsOf(await deps.store.userMfa.find(userId)));
}

/** MFAOptions, PreferredMfaSetting and UserMFASettingList for these settings (absent ones left out). */
export function mfaView(s: MfaSettings | undefined = NO_SETTINGS): MfaView {
  const list = enabledFactors(s);
  return {
    ...(s.sms ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] } : {}),
    ...(s.preferred !== null && list.some((f) => f === s.preferred) ? { PreferredMfaSetting: s.preferred } : {}),
    ...(list.length > 0 ? { UserMFASettingList: list } : {}),
  };
}

/** Turns one factor on for the user (compare-and-set like every settings write; MFA_SETUP of email MFA). */
export async function enableFactor(deps: ServiceDeps, userId: string, factor: MfaFactor): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const row = await deps.store.userMfa.find(userId);
    const before = settingsOf(row);
    if (await deps.store.userMfa.replaceSettings(userId, row ? before : undefined, applyPreference(before, { [factor]: { enabled: true } }), deps.clock.now().getTime())) return;
  }
  throw internalError();
}
