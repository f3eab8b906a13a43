import { CognitoError, invalidParameter } from './errors.js';
import { jsonObject, subDoc, type PoolDoc } from './pool-config.js';

/**
 * Choice-based sign-in (USER_AUTH): which first factors a pool allows, and the rules Cognito applies to
 * its SignInPolicy (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignInPolicyType.html).
 */
export type FirstFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** The order AvailableChallenges lists factors in; PASSWORD stands for both PASSWORD and PASSWORD_SRP. */
const FACTOR_ORDER: readonly FirstFactor[] = ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP'];

function isFirstFactor(v: string): v is FirstFactor {
  return (FACTOR_ORDER as readonly string[]).includes(v);
}

/** AllowedFirstAuthFactors as stored; a pool without a SignInPolicy signs in with a password only. */
export function allowedFirstFactors(doc: PoolDoc): FirstFactor[] {
  const list = jsonObject(subDoc(doc, 'Policies').SignInPolicy).AllowedFirstAuthFactors;
  if (!Array.isArray(list)) return ['PASSWORD'];
  const names = list.filter((v): v is string => typeof v === 'string').filter(isFirstFactor);
  return FACTOR_ORDER.filter((f) => names.includes(f));
}

export const poolTier = (doc: PoolDoc): string => (typeof doc.UserPoolTier === 'string' ? doc.UserPoolTier : 'ESSENTIALS');

/**
 * Create/UpdateUserPool: PASSWORD must stay allowed (every user pool keeps password sign-in; the CDK and
 * CloudFormation docs say "This must be true"), SOFTWARE_TOKEN is an MFA factor only ("not currently
 * supported as a first auth factor"), and anything beyond PASSWORD needs the Essentials tier or higher.
 */
export function validateSignInPolicy(doc: PoolDoc): void {
  const list = jsonObject(subDoc(doc, 'Policies').SignInPolicy).AllowedFirstAuthFactors;
  if (!Array.isArray(list)) return;
  const names = list.filter((v): v is string => typeof v === 'string');
  if (names.includes('SOFTWARE_TOKEN')) throw invalidParameter('SOFTWARE_TOKEN is not supported as a first authentication factor.');
  if (!names.includes('PASSWORD')) throw invalidParameter('AllowedFirstAuthFactors must include PASSWORD.');
  if (new Set(names).size !== names.length) throw invalidParameter('AllowedFirstAuthFactors must not contain duplicate values.');
  if (names.length > 1 && poolTier(doc) === 'LITE') {
    throw new CognitoError('FeatureUnavailableInTierException', 'Passwordless sign-in is not available in the LITE feature plan. Upgrade the user pool to ESSENTIALS or PLUS.');
  }
}
