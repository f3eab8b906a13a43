import { CognitoError } from '../domain/errors.js';
import { randomString } from '../integrations/runtime.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import { mfaConfigOf } from './mfa-config.js';
import type { Pool } from './pools.js';
import { attemptLimit, CODE_FAILURE_LIMIT, CODE_REQUEST_LIMIT, CODE_REQUEST_WINDOW_MS, maskDestination } from './user-codes.js';
import { deliverCode } from './triggers-delivery.js';
import type { MessageCause } from './triggers-message.js';

/**
 * One-time passwords as a first factor (USER_AUTH EMAIL_OTP / SMS_OTP). Cognito sends them with the pool's
 * email MFA template (EmailMfaConfiguration Subject/Message) and SmsAuthenticationMessage
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html).
 * The code is kept as an Argon2id hash in user_codes (one pending code per user and channel, replaced by a
 * new one), counts its wrong guesses there, and is consumed by a conditional delete, so a Session cannot be
 * brute-forced and a right code works once; the same request limit as other codes applies.
 */
export type OtpChannel = 'EMAIL_OTP' | 'SMS_OTP';

/** Codes live as long as the challenge Session can (AuthSessionValidity is at most 15 minutes). */
const OTP_TTL_MS = 15 * 60_000;
const DEFAULT_SUBJECT = 'Your authentication code';
const DEFAULT_MESSAGE = 'Your authentication code is {####}. ';

const purposeOf = (c: OtpChannel): string => `SIGN_IN_${c}`;
const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);

/** Where the channel's code goes: a verified email address or phone number, or nowhere. */
export function otpDestination(user: UserRow, channel: OtpChannel): string | undefined {
  const attrs: unknown = JSON.parse(user.attributes);
  const get = (k: string): unknown => (typeof attrs === 'object' && attrs !== null ? Reflect.get(attrs, k) : undefined);
  const [value, verified] = channel === 'EMAIL_OTP' ? [user.email, get('email_verified')] : [user.phone_number, get('phone_number_verified')];
  return value && typeof verified === 'string' && verified.toLowerCase() === 'true' ? value : undefined;
}

/** Sends a fresh code; answers the challenge parameters that say where it went. */
export async function sendOtp(deps: ServiceDeps, pool: Pool, user: UserRow, channel: OtpChannel, destination: string, cause: Omit<MessageCause, 'source'> = {}): Promise<Record<string, string>> {
  const now = deps.clock.now().getTime();
  const purpose = purposeOf(channel);
  if (!(await deps.store.codes.recordRequest(user.id, purpose, now, CODE_REQUEST_WINDOW_MS, CODE_REQUEST_LIMIT, null))) throw attemptLimit();
  const code = randomString(deps.random, 6, '0123456789');
  await deps.store.users.putCode({ user_id: user.id, purpose, code_hash: await deps.hasher.hash(code), created_at: now, expires_at: now + OTP_TTL_MS });
  const cfg = mfaConfigOf(pool.doc);
  const email = channel === 'EMAIL_OTP';
  const emailCfg = cfg.EmailMfaConfiguration ?? {};
  const template = email ? text(emailCfg.Message, DEFAULT_MESSAGE) : text(pool.doc.SmsAuthenticationMessage, DEFAULT_MESSAGE);
  // Through the custom sender or custom message trigger when the pool has one (CustomMessage_Authentication).
  await deliverCode(deps, pool, {
    cause: { ...cause, source: 'Authentication' },
    user,
    channel: email ? 'EMAIL' : 'SMS',
    destination,
    text: email ? { subject: text(emailCfg.Subject, DEFAULT_SUBJECT), body: template } : { body: template },
    code,
    purpose: channel,
  });
  return { CODE_DELIVERY_DELIVERY_MEDIUM: email ? 'EMAIL' : 'SMS', CODE_DELIVERY_DESTINATION: maskDestination(email ? 'email' : 'phone_number', destination) };
}

const mismatch = () => new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');

/** Consumes the user's pending code for the channel; wrong, expired or used-up codes are refused. */
export async function consumeOtp(deps: ServiceDeps, user: UserRow, channel: OtpChannel, code: string): Promise<void> {
  const purpose = purposeOf(channel);
  const stored = await deps.store.codes.find(user.id, purpose);
  if (!stored || deps.clock.now().getTime() >= stored.expiresAt) throw mismatch();
  if (stored.attempts >= CODE_FAILURE_LIMIT) throw attemptLimit();
  if (!/^[0-9]{6}$/.test(code) || !(await deps.hasher.verify(stored.codeHash, code))) {
    await deps.store.codes.countFailure(user.id, purpose, stored.codeHash);
    throw mismatch();
  }
  if (!(await deps.store.codes.consume(user.id, purpose, stored.codeHash))) throw mismatch();
}
