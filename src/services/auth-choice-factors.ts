import { allowedFirstFactors, type FirstFactor } from '../domain/auth-factors.js';
import type { UserRow } from '../store/schema.js';
import { otpDestination } from './auth-choice-otp.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { mfaViewOf } from './user-mfa-settings.js';

/** What a user may pick in SELECT_CHALLENGE: the password factor comes as PASSWORD and PASSWORD_SRP. */
export type ChoiceChallenge = 'PASSWORD' | 'PASSWORD_SRP' | 'WEB_AUTHN' | 'EMAIL_OTP' | 'SMS_OTP';
export const CHOICE_CHALLENGES: readonly ChoiceChallenge[] = ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP'];

export const isChoiceChallenge = (v: string): v is ChoiceChallenge => (CHOICE_CHALLENGES as readonly string[]).includes(v);

/**
 * The first factors a user can use now: those the pool's SignInPolicy allows and the user has set up
 * (a password; a registered passkey; a verified email address or phone number for the one-time codes).
 * Passwordless factors are left out while the pool requires MFA: Cognito offers them only in pools where MFA
 * is off or optional, and never follows them with MFA
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html).
 */
export async function userFirstFactors(deps: ServiceDeps, pool: Pool, user: UserRow): Promise<FirstFactor[]> {
  const passwordless = pool.doc.MfaConfiguration !== 'ON';
  const out: FirstFactor[] = [];
  for (const f of allowedFirstFactors(pool.doc)) {
    if (f === 'PASSWORD' && user.password_hash !== null) out.push(f);
    if (!passwordless) continue;
    if (f === 'WEB_AUTHN' && (await deps.store.webauthn.countForUser(user.id)) > 0) out.push(f);
    if ((f === 'EMAIL_OTP' || f === 'SMS_OTP') && otpDestination(user, f) !== undefined) out.push(f);
  }
  return out;
}

/** AvailableChallenges of SELECT_CHALLENGE. */
export async function availableChallenges(deps: ServiceDeps, pool: Pool, user: UserRow): Promise<ChoiceChallenge[]> {
  const factors = await userFirstFactors(deps, pool, user);
  return factors.flatMap((f): ChoiceChallenge[] => (f === 'PASSWORD' ? ['PASSWORD', 'PASSWORD_SRP'] : [f]));
}

/**
 * GetUserAuthFactors / AdminGetUserAuthFactors: the first factors the user can sign in with through USER_AUTH
 * (ConfiguredUserAuthFactors; PASSWORD stands for both password challenges) and the user's MFA settings.
 */
export async function userAuthFactors(deps: ServiceDeps, pool: Pool, user: UserRow): Promise<{ [k: string]: string | string[] }> {
  const mfa = await mfaViewOf(deps, user.id);
  const configured = await userFirstFactors(deps, pool, user);
  return {
    Username: user.username,
    ...(mfa.PreferredMfaSetting === undefined ? {} : { PreferredMfaSetting: mfa.PreferredMfaSetting }),
    ...(mfa.UserMFASettingList === undefined ? {} : { UserMFASettingList: mfa.UserMFASettingList }),
    ConfiguredUserAuthFactors: configured,
  };
}
