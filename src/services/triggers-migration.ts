import { CognitoError } from '../domain/errors.js';
import { generateTemporaryPassword } from '../domain/password-policy.js';
import { passwordPolicyOf } from '../domain/pool-config.js';
import type { AttributeMap, AttributeWrite } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { AppClient } from './clients.js';
import type { ServiceDeps } from './context.js';
import { passwordCredentials } from './credentials.js';
import type { Pool } from './pools.js';
import { isRecord, optString, runTrigger, unrecognizable, type TriggerResponse } from './triggers.js';
import type { TriggerInputs } from './triggers-sign-up.js';
import { insertUser, newIdentity } from './user-create.js';
import { findUser } from './user-lookup.js';
import { invitationDestinations, sendInvitation, type Destination, type Medium } from './user-messages.js';
import { newUserRow } from './user-records.js';

export type MigrationSource = 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';

/** Attributes Cognito sets itself; a function cannot give them to a migrated user. */
const NOT_MIGRATED = new Set(['sub', 'username', 'cognito:user_status', 'cognito:mfa_enabled']);

/**
 * The user migration trigger: a user the pool does not know is looked up in the old directory by the
 * function. Its answer's userAttributes create the user (undefined answer or no userAttributes: still no such
 * user); `finalUserStatus` CONFIRMED (the default) or RESET_REQUIRED, `forceAliasCreation` as in
 * AdminCreateUser. Sign-in (UserMigration_Authentication) keeps the password that was just verified by the
 * function; a forgotten-password migration (UserMigration_ForgotPassword) has none, so the user is created
 * RESET_REQUIRED and can only go on with the reset code
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html).
 * The welcome message: sent unless messageAction is SUPPRESS, by desiredDeliveryMediums (default SMS), as
 * that page says; see `welcome` for what it is.
 */
export async function migrateUser(
  deps: ServiceDeps,
  pool: Pool,
  client: AppClient,
  source: MigrationSource,
  req: { username: string; password?: string | undefined; triggers?: TriggerInputs | undefined },
): Promise<UserRow | undefined> {
  const response = await runTrigger(deps, pool, 'UserMigration', {
    triggerSource: source,
    userName: req.username,
    clientId: client.id,
    request: {
      ...(req.password === undefined ? {} : { password: req.password }),
      validationData: req.triggers?.validationData ?? null,
      clientMetadata: req.triggers?.clientMetadata,
    },
    response: { userAttributes: null, forceAliasCreation: null, enableSMSMFA: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null },
  });
  if (!response || response.userAttributes === undefined || response.userAttributes === null) return undefined;
  const writes = attributeWrites(response);
  const status = finalStatus(response, source);
  const sub = deps.random.uuid();
  const { username, attrs } = newIdentity(pool, { username: req.username, attributes: writes }, sub);
  // Where the welcome message goes is settled before anything is written: a medium without its attribute
  // refuses the migration (InvalidParameterException, as AdminCreateUser) and leaves no user.
  const destinations = welcomeDestinations(response, attrs);
  const noPassword = { password_hash: null, srp_salt: null, srp_verifier_enc: null };
  const credentials = req.password === undefined ? noPassword : await passwordCredentials(deps, pool, username, req.password);
  const row = newUserRow(pool, { sub, username, status, credentials, attrs, now: deps.clock.now().getTime() });
  try {
    await insertUser(deps, pool, row, attrs, response.forceAliasCreation === true);
  } catch (err) {
    // Two sign-ins migrating the same user at once: the other one created it; go on with that user.
    if (err instanceof CognitoError && err.type === 'UsernameExistsException') return findUser(deps, pool, username);
    throw err;
  }
  await welcome(deps, pool, row, attrs, destinations);
  return row;
}

/**
 * messageAction SUPPRESS: no welcome message; absent or RESEND (AdminCreateUser's other value): one, to each of
 * desiredDeliveryMediums (EMAIL, SMS; SMS when absent, so a user without a phone number gets none).
 */
function welcomeDestinations(response: TriggerResponse, attrs: AttributeMap): Destination[] {
  const action = optString(response, 'messageAction');
  if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') throw unrecognizable();
  const given = response.desiredDeliveryMediums;
  let mediums: Medium[] | undefined;
  if (given !== undefined && given !== null) {
    if (!Array.isArray(given)) throw unrecognizable();
    mediums = given.map((m): Medium => {
      if (m !== 'EMAIL' && m !== 'SMS') throw unrecognizable();
      return m;
    });
  }
  if (action === 'SUPPRESS') return [];
  return invitationDestinations(attrs, mediums);
}

/**
 * The welcome message is the pool's invitation (AdminCreateUser's template and CustomMessage_AdminCreateUser):
 * the migration answer's messageAction, desiredDeliveryMediums and forceAliasCreation are AdminCreateUser's
 * request members, and that is the message Cognito sends new users. Its {####} is a freshly generated
 * temporary password that is never stored (Tessera's inference; the DG does not say): the migrated user keeps
 * the password the function verified, or resets it, and the user's real password is never put in a message.
 */
async function welcome(deps: ServiceDeps, pool: Pool, row: UserRow, attrs: AttributeMap, destinations: readonly Destination[]): Promise<void> {
  if (destinations.length === 0) return;
  await sendInvitation(deps, pool, row, attrs, generateTemporaryPassword(passwordPolicyOf(pool.doc), deps.random), destinations);
}

function attributeWrites(response: TriggerResponse): AttributeWrite[] {
  const given = response.userAttributes;
  if (!isRecord(given)) throw unrecognizable();
  const writes: AttributeWrite[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (typeof value !== 'string') throw unrecognizable();
    if (!NOT_MIGRATED.has(name)) writes.push({ name, value });
  }
  return writes;
}

function finalStatus(response: TriggerResponse, source: MigrationSource): 'CONFIRMED' | 'RESET_REQUIRED' {
  const given = optString(response, 'finalUserStatus');
  if (given !== undefined && given !== 'CONFIRMED' && given !== 'RESET_REQUIRED') {
    throw unrecognizable();
  }
  if (source === 'UserMigration_ForgotPassword') return 'RESET_REQUIRED';
  return given ?? 'CONFIRMED';
}
