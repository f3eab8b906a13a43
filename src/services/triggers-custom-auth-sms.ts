import { timingSafeEqual } from 'node:crypto';
import { parseAttributes } from '../domain/user-attributes.js';
import { randomString } from '../integrations/runtime.js';
import type { UserRow } from '../store/schema.js';
import type { SignInTarget } from './auth-outcome.js';
import type { ServiceDeps } from './context.js';
import { mfaConfigOf } from './mfa-config.js';
import { deliverCode } from './triggers-delivery.js';
import { unrecognizable } from './triggers.js';
import { maskDestination } from './user-codes.js';

/**
 * SMS_MFA asked by the define auth challenge function inside CUSTOM_AUTH. Cognito lists SMS_MFA among the
 * challenge names of the `session` history (DG user-pool-lambda-define-auth-challenge) and answers a define
 * function's `challengeName: "SMS_MFA"` with an SMS_MFA challenge (aws-amplify/amplify-js#566, #4157); the
 * answer's verdict joins the history and define decides again, as for CUSTOM_CHALLENGE. SOFTWARE_TOKEN_MFA
 * is not among the names define may issue (amplify-js#12887, from the Cognito team), nor are the device
 * challenges, which Cognito issues itself.
 */

/** The Session kind of such a challenge (its own, so MFA's SMS_MFA answers leave it to CUSTOM_AUTH). */
export const SMS_KIND = 'CUSTOM_AUTH:SMS_MFA';

/** Cognito's default SmsAuthenticationMessage. */
const DEFAULT_SMS_MESSAGE = 'Your authentication code is {####}. ';

/**
 * Sends a six-digit code to the user's phone number (custom SMS sender or custom message trigger, source
 * Authentication); answers the code, to be sealed into the Session, and the challenge parameters. A user
 * without a phone number cannot be asked: the function's answer is not one Tessera can act on.
 */
export async function sendCustomAuthSms(deps: ServiceDeps, t: SignInTarget, user: UserRow): Promise<{ code: string; parameters: Record<string, string> }> {
  const phone = parseAttributes(user.attributes).phone_number;
  if (phone === undefined || phone === '') throw unrecognizable();
  const code = randomString(deps.random, 6, '0123456789');
  const template = mfaConfigOf(t.pool.doc).SmsMfaConfiguration?.SmsAuthenticationMessage;
  await deliverCode(deps, t.pool, {
    cause: { source: 'Authentication', clientId: t.client.id },
    user,
    channel: 'SMS',
    destination: phone,
    text: { body: typeof template === 'string' && template !== '' ? template : DEFAULT_SMS_MESSAGE },
    code,
    purpose: 'SMS_MFA',
  });
  return { code, parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: maskDestination('phone_number', phone) } };
}

/** Whether the answered code is the sealed one (constant time). */
export function smsCodeMatches(sealed: string | number | boolean | undefined, given: string): boolean {
  if (typeof sealed !== 'string') return false;
  const a = Buffer.from(sealed);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
