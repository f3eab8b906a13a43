import { CognitoError } from '../domain/errors.js';
import { renderTemplate, verificationTemplates } from '../domain/messages.js';
import { strList } from '../domain/pool-config.js';
import { type AttributeMap } from '../domain/user-attributes.js';
import { randomString } from '../integrations/runtime.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { RESET_CODE_PURPOSE } from './user-messages.js';
import { signInName } from './user-records.js';
import { customMessage, type MessageCause } from './triggers-message.js';
import { sendThroughFunction } from './triggers-sender.js';

/** What a code confirms. FORGOT_PASSWORD is shared with AdminResetUserPassword (user-messages.ts). */
export type CodePurpose = 'SIGN_UP' | typeof RESET_CODE_PURPOSE | 'VERIFY_email' | 'VERIFY_phone_number';
export type ContactAttribute = 'email' | 'phone_number';

/**
 * Lifetimes: sign-up confirmation and attribute verification codes 24 hours, password-reset codes 1 hour
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html).
 */
const TTL_MS: Record<CodePurpose, number> = {
  SIGN_UP: 86_400_000,
  FORGOT_PASSWORD: 3_600_000,
  VERIFY_email: 86_400_000,
  VERIFY_phone_number: 86_400_000,
};
/** Codes a user may ask for per purpose in one window; more get LimitExceededException. */
export const CODE_REQUEST_LIMIT = 5;
export const CODE_REQUEST_WINDOW_MS = 15 * 60_000;
/** Wrong guesses a code survives; after that only a new code helps. */
export const CODE_FAILURE_LIMIT = 5;

export const attemptLimit = (): CognitoError => new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
export const codeMismatch = (): CognitoError => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
const expiredCode = (): CognitoError => new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');

/** Where a code goes. */
export interface CodeTarget {
  attribute: ContactAttribute;
  destination: string;
}

/** CodeDeliveryDetailsType as Cognito answers it: the destination masked. */
export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: ContactAttribute;
}

/** `j***@e***` for an email address, `+*******1234` for a phone number (Cognito's masking). */
export function maskDestination(attribute: ContactAttribute, value: string): string {
  if (attribute === 'email') {
    const at = value.lastIndexOf('@');
    return `${value.charAt(0)}***@${value.charAt(at + 1)}***`;
  }
  return `+${'*'.repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`;
}

export function deliveryDetails(t: CodeTarget): CodeDeliveryDetails {
  return { Destination: maskDestination(t.attribute, t.destination), DeliveryMedium: t.attribute === 'email' ? 'EMAIL' : 'SMS', AttributeName: t.attribute };
}

/**
 * Where a sign-up confirmation code goes: the pool's AutoVerifiedAttributes that the user has; with both,
 * the phone number (Cognito verifies the phone number first and the email later).
 */
export function confirmationTarget(pool: Pool, attrs: AttributeMap): CodeTarget | undefined {
  const auto = strList(pool.doc, 'AutoVerifiedAttributes');
  if (auto.includes('phone_number') && attrs.phone_number) return { attribute: 'phone_number', destination: attrs.phone_number };
  if (auto.includes('email') && attrs.email) return { attribute: 'email', destination: attrs.email };
  return undefined;
}

/** The custom message trigger source a code's purpose has unless the caller says otherwise. */
const DEFAULT_CAUSE: Record<CodePurpose, MessageCause['source']> = {
  SIGN_UP: 'SignUp',
  FORGOT_PASSWORD: 'ForgotPassword',
  VERIFY_email: 'UpdateUserAttribute',
  VERIFY_phone_number: 'UpdateUserAttribute',
};

/**
 * Sends a new code for `purpose` to `target` with the pool's verification template (or the custom message
 * trigger's text), replacing any earlier one; only its Argon2id hash is kept. Counts the request first: over
 * CODE_REQUEST_LIMIT in the window the request is refused and nothing is sent. `pending` is a value the code
 * will make effective (or null); `cause` names the call for the custom message trigger.
 */
export async function sendCode(
  deps: ServiceDeps,
  pool: Pool,
  user: UserRow,
  attrs: AttributeMap,
  purpose: CodePurpose,
  target: CodeTarget,
  pending: string | null = null,
  cause: MessageCause = { source: DEFAULT_CAUSE[purpose] },
): Promise<CodeDeliveryDetails> {
  const now = deps.clock.now().getTime();
  if (!(await deps.store.codes.recordRequest(user.id, purpose, now, CODE_REQUEST_WINDOW_MS, CODE_REQUEST_LIMIT, pending))) throw attemptLimit();
  const t = verificationTemplates(pool.doc);
  const email = target.attribute === 'email';
  // Before the code is made: a failing trigger leaves any earlier code in force.
  const text = await customMessage(deps, pool, cause, user, attrs, email ? 'EMAIL' : 'SMS', email ? { subject: t.email.subject, body: t.email.body } : { body: t.sms });
  const code = randomString(deps.random, 6, '0123456789');
  const codeHash = await deps.hasher.hash(code);
  await deps.store.users.putCode({ user_id: user.id, purpose, code_hash: codeHash, created_at: now, expires_at: now + TTL_MS[purpose] });
  if (sendThroughFunction(deps, pool, email ? 'EMAIL' : 'SMS', cause, user, attrs, code)) return deliveryDetails(target);
  await deps.delivery.deliver({
    poolId: pool.id,
    channel: email ? 'EMAIL' : 'SMS',
    destination: target.destination,
    ...(text.subject !== undefined ? { subject: text.subject } : {}),
    body: renderTemplate(text.body, { username: signInName(pool, user, attrs), code }),
    purpose,
    username: user.username,
  });
  return deliveryDetails(target);
}

/**
 * Consumes the user's code for `purpose`: wrong → CodeMismatchException (and one failure counted), right
 * but expired → ExpiredCodeException, too many failures → LimitExceededException. The final delete is
 * conditional on the code read, so of concurrent requests with the right code exactly one succeeds.
 */
export async function consumeCode(deps: ServiceDeps, user: UserRow, purpose: CodePurpose, code: string): Promise<void> {
  const stored = await deps.store.codes.find(user.id, purpose);
  if (!stored) throw codeMismatch();
  if (stored.attempts >= CODE_FAILURE_LIMIT) throw attemptLimit();
  if (!/^[0-9]{6}$/.test(code) || !(await deps.hasher.verify(stored.codeHash, code))) {
    await deps.store.codes.countFailure(user.id, purpose, stored.codeHash);
    throw codeMismatch();
  }
  if (deps.clock.now().getTime() >= stored.expiresAt) throw expiredCode();
  if (!(await deps.store.codes.consume(user.id, purpose, stored.codeHash))) throw codeMismatch();
}
