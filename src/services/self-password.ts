import { CognitoError, invalidParameter, notAuthorized, userNotFound } from '../domain/errors.js';
import { checkPassword } from '../domain/password-policy.js';
import { passwordPolicyOf } from '../domain/pool-config.js';
import { parseAttributes } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { AppClient } from './clients.js';
import type { ServiceDeps } from './context.js';
import { passwordCredentials } from './credentials.js';
import type { Pool } from './pools.js';
import { checkPasswordHistory, rememberReplacedPassword } from './password-history.js';
import { refuseCompromisedPassword } from './risk-compromised.js';
import { recordAccountEvent } from './auth-events.js';
import { checkSecretHash } from './secret-hash.js';
import { hidesUsers, unknownUser, userForCodeRequest } from './self-common.js';
import { codeMismatch, consumeCode, sendCode, type CodeDeliveryDetails } from './user-codes.js';
import { findUser } from './user-lookup.js';
import { RESET_CODE_PURPOSE, recoveryDestination } from './user-messages.js';
import { hasTrigger } from './triggers.js';
import { postConfirmation, type TriggerInputs } from './triggers-sign-up.js';
import { migrateUser } from './triggers-migration.js';

/** Statuses whose password a reset code may replace; the user ends CONFIRMED. */
const RESETTABLE = ['CONFIRMED', 'RESET_REQUIRED'];

/**
 * ForgotPassword: a reset code to the recovery destination AccountRecoverySetting picks (verified email or
 * phone number); the user keeps signing in with the old password until ConfirmForgotPassword
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html).
 * With PreventUserExistenceErrors an unknown user gets a plausible answer and nothing is sent.
 */
export async function forgotPassword(
  deps: ServiceDeps,
  pool: Pool,
  client: AppClient,
  req: { username: string; secretHash: string | undefined; triggers?: TriggerInputs },
): Promise<CodeDeliveryDetails> {
  if (hasTrigger(pool, 'UserMigration') && !(await findUser(deps, pool, req.username))) {
    await checkSecretHash(deps, client, req.username, req.secretHash);
    await migrateUser(deps, pool, client, 'UserMigration_ForgotPassword', req);
  }
  const found = await userForCodeRequest(deps, pool, client, req);
  if ('decoy' in found) return found.decoy;
  const { user } = found;
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw notAuthorized('User password cannot be reset in the current state.');
  const attrs = parseAttributes(user.attributes);
  const dest = recoveryDestination(pool, attrs);
  if (!dest) throw invalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  const target = { attribute: dest.channel === 'EMAIL' ? ('email' as const) : ('phone_number' as const), destination: dest.destination };
  const delivery = await sendCode(deps, pool, user, attrs, RESET_CODE_PURPOSE, target, null, { source: 'ForgotPassword', clientId: client.id });
  await recordAccountEvent(deps, pool, user.id, 'ForgotPassword', { compromised: false });
  return delivery;
}

/**
 * ConfirmForgotPassword: the new password is held to the policy before the code is spent; the code is
 * consumed once; the user ends CONFIRMED with the new password (hash and SRP verifier).
 */
export async function confirmForgotPassword(
  deps: ServiceDeps,
  pool: Pool,
  client: AppClient,
  req: { username: string; code: string; password: string; secretHash: string | undefined; triggers?: TriggerInputs },
): Promise<void> {
  await checkSecretHash(deps, client, req.username, req.secretHash);
  const user = await findUser(deps, pool, req.username);
  if (!user) throw hidesUsers(client) ? codeMismatch() : unknownUser();
  checkPassword(passwordPolicyOf(pool.doc), req.password);
  const compromised = await refuseCompromisedPassword(deps, pool, client.id, 'PASSWORD_CHANGE', req.password, user.id);
  await checkPasswordHistory(deps, pool, user, req.password);
  await consumeCode(deps, user, RESET_CODE_PURPOSE, req.code);
  await setPassword(deps, pool, user, req.password, RESETTABLE, () => notAuthorized('User password cannot be reset in the current state.'));
  await recordAccountEvent(deps, pool, user.id, 'PasswordChange', { compromised });
  if (!hasTrigger(pool, 'PostConfirmation')) return;
  const after = (await deps.store.users.findBySub(pool.id, user.id)) ?? { ...user, status: 'CONFIRMED' };
  await postConfirmation(deps, pool, 'PostConfirmation_ConfirmForgotPassword', after, client.id, req.triggers);
}

/**
 * ChangePassword (authorized by the access token): the previous password must be right (Cognito's
 * "Incorrect username or password."), the proposed one must satisfy the policy and the password history.
 */
export async function changePassword(deps: ServiceDeps, pool: Pool, user: UserRow, previous: string | undefined, proposed: string): Promise<void> {
  const ok = user.password_hash !== null && previous !== undefined && (await deps.hasher.verify(user.password_hash, previous));
  if (!ok) throw notAuthorized('Incorrect username or password.');
  checkPassword(passwordPolicyOf(pool.doc), proposed);
  const compromised = await refuseCompromisedPassword(deps, pool, undefined, 'PASSWORD_CHANGE', proposed, user.id);
  await checkPasswordHistory(deps, pool, user, proposed);
  await setPassword(deps, pool, user, proposed, ['CONFIRMED'], () => userNotFound());
  await recordAccountEvent(deps, pool, user.id, 'PasswordChange', { compromised });
}

/** Writes a new password (Argon2id hash and SRP verifier) and CONFIRMED, while the status is one of `from`. */
async function setPassword(deps: ServiceDeps, pool: Pool, user: UserRow, password: string, from: readonly string[], refused: () => CognitoError): Promise<void> {
  const credentials = await passwordCredentials(deps, pool, user.username, password);
  const now = deps.clock.now().getTime();
  const fields = { ...credentials, password_set_at: now, status: 'CONFIRMED', updated_at: now };
  if (await deps.store.users.updateFields(user.id, fields, from)) {
    await rememberReplacedPassword(deps, user, now);
    return;
  }
  if (!(await deps.store.users.findBySub(pool.id, user.id))) throw userNotFound();
  throw refused();
}
