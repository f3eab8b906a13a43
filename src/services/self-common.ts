import { CognitoError, notAuthorized } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import { checkSecretHash } from './secret-hash.js';
import { findUser } from './user-lookup.js';
import { isEmail, isPhoneNumber } from '../domain/user-attributes.js';
import { strList } from '../domain/pool-config.js';
import type { AppClient } from './clients.js';
import type { Pool } from './pools.js';
import { deliveryDetails, type CodeDeliveryDetails } from './user-codes.js';

/** Rules the self-service operations share: client permissions, user existence, Cognito's wording. */

/** The verified flags are set by Cognito when a code is confirmed, never written by the user. */
const NEVER_WRITABLE = new Set(['email_verified', 'phone_number_verified']);

/**
 * Attributes an app client may write for its users: its WriteAttributes, or every attribute when it sets
 * none (or when the client is gone); never the verified flags (Cognito answers "A client attempted to write unauthorized attribute").
 */
export function checkWritable(client: AppClient | undefined, names: readonly string[]): void {
  const allowed = client && Array.isArray(client.doc.WriteAttributes) ? new Set(client.doc.WriteAttributes.filter((x) => typeof x === 'string')) : undefined;
  for (const n of names) {
    if (NEVER_WRITABLE.has(n) || (allowed !== undefined && !allowed.has(n))) throw notAuthorized('A client attempted to write unauthorized attribute');
  }
}

/** PreventUserExistenceErrors: ENABLED hides whether a user exists; LEGACY (the default) does not. */
export const hidesUsers = (client: AppClient): boolean => client.doc.PreventUserExistenceErrors === 'ENABLED';

/** Cognito's answer for an unknown user in the unsigned operations that name one. */
export const unknownUser = (): CognitoError => new CognitoError('UserNotFoundException', 'Username/client id combination not found.');

/**
 * A plausible CodeDeliveryDetails for a user who does not exist, so that the answer does not reveal it
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html).
 * The medium follows the username's shape, else the pool's auto-verified attributes.
 */
export function decoyDelivery(pool: Pool, username: string): CodeDeliveryDetails {
  if (isEmail(username)) return deliveryDetails({ attribute: 'email', destination: username });
  if (isPhoneNumber(username)) return deliveryDetails({ attribute: 'phone_number', destination: username });
  const phone = strList(pool.doc, 'AutoVerifiedAttributes').includes('phone_number');
  const first = username.charAt(0).toLowerCase() || 'u';
  return phone
    ? deliveryDetails({ attribute: 'phone_number', destination: `+1555${(username.length * 7919) % 10_000}`.padEnd(12, '0') })
    : deliveryDetails({ attribute: 'email', destination: `${first}@${first}.com` });
}

/**
 * The user a code request (ForgotPassword, ResendConfirmationCode) names, after the client's SECRET_HASH;
 * for an unknown user either the decoy answer (PreventUserExistenceErrors) or UserNotFoundException.
 */
export async function userForCodeRequest(
  deps: ServiceDeps,
  pool: Pool,
  client: AppClient,
  req: { username: string; secretHash: string | undefined },
): Promise<{ user: UserRow } | { decoy: CodeDeliveryDetails }> {
  await checkSecretHash(deps, client, req.username, req.secretHash);
  const user = await findUser(deps, pool, req.username);
  if (user) return { user };
  if (hidesUsers(client)) return { decoy: decoyDelivery(pool, req.username) };
  throw unknownUser();
}
