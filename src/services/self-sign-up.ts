import { CognitoError, internalError, invalidParameter, notAuthorized } from '../domain/errors.js';
import { checkPassword } from '../domain/password-policy.js';
import { passwordPolicyOf, subDoc } from '../domain/pool-config.js';
import { parseAttributes, VERIFIED_FLAG, type AttributeMap, type AttributeWrite } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { UniqueViolation } from '../store/repositories/users.js';
import type { AppClient } from './clients.js';
import type { ServiceDeps } from './context.js';
import { passwordCredentials } from './credentials.js';
import type { Pool } from './pools.js';
import { checkSecretHash } from './secret-hash.js';
import { refuseCompromisedPassword } from './risk-compromised.js';
import { recordAccountEvent } from './auth-events.js';
import { checkWritable, hidesUsers, unknownUser, userForCodeRequest } from './self-common.js';
import { hasTrigger } from './triggers.js';
import { postConfirmation, preSignUp, withAutoVerified, type TriggerInputs } from './triggers-sign-up.js';
import { insertUser, newIdentity } from './user-create.js';
import { confirmationTarget, consumeCode, sendCode, type CodeDeliveryDetails } from './user-codes.js';
import { aliasKey, findUser } from './user-lookup.js';
import { aliasConflict, aliasesFor, newUserRow, withAttributes } from './user-records.js';

export interface SignUpRequest {
  username: string;
  password: string | undefined;
  secretHash: string | undefined;
  attributes: AttributeWrite[];
  /** ClientMetadata and ValidationData, for the Lambda triggers only. */
  triggers?: TriggerInputs;
}

export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  delivery?: CodeDeliveryDetails;
}

const CAS_ATTEMPTS = 16;

/**
 * SignUp: a new UNCONFIRMED user with the chosen password, and a confirmation code to the first of the
 * pool's AutoVerifiedAttributes the user has (none: the user waits for AdminConfirmSignUp)
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html).
 * SignUp reveals existing usernames whatever PreventUserExistenceErrors says, as Cognito's does.
 */
export async function signUp(deps: ServiceDeps, pool: Pool, client: AppClient, req: SignUpRequest): Promise<SignUpResult> {
  await checkSecretHash(deps, client, req.username, req.secretHash);
  if (subDoc(pool.doc, 'AdminCreateUserConfig').AllowAdminCreateUserOnly === true) throw notAuthorized('SignUp is not permitted for this user pool');
  checkWritable(client, req.attributes.map((a) => a.name));
  if (req.password === undefined) throw invalidParameter('Password is required for this user pool.');
  checkPassword(passwordPolicyOf(pool.doc), req.password);
  const compromised = await refuseCompromisedPassword(deps, pool, client.id, 'SIGN_UP', req.password);
  const sub = deps.random.uuid();
  const identity = newIdentity(pool, req, sub);
  const { username } = identity;
  // Before anything is written: a refusing function leaves no trace (PreSignUp_SignUp).
  const answer = await preSignUp(deps, pool, 'PreSignUp_SignUp', { userName: username, clientId: client.id, attrs: identity.attrs, inputs: req.triggers });
  const attrs = withAutoVerified(identity.attrs, answer);
  const credentials = await passwordCredentials(deps, pool, username, req.password);
  const now = deps.clock.now().getTime();
  const status = answer.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED';
  const row = newUserRow(pool, { sub, username, status, credentials, attrs, now });
  try {
    await insertUser(deps, pool, row, attrs, false);
  } catch (err) {
    if (err instanceof CognitoError && err.type === 'UsernameExistsException' && err.message === 'User account already exists') {
      throw new CognitoError('UsernameExistsException', 'User already exists');
    }
    throw err;
  }
  await recordAccountEvent(deps, pool, sub, 'SignUp', { compromised });
  if (answer.autoConfirmUser) return { userConfirmed: true, userSub: sub };
  const target = confirmationTarget(pool, attrs);
  if (!target) return { userConfirmed: false, userSub: sub };
  return { userConfirmed: false, userSub: sub, delivery: await sendCode(deps, pool, row, attrs, 'SIGN_UP', target, null, { source: 'SignUp', clientId: client.id, clientMetadata: req.triggers?.clientMetadata }) };
}

/** The user an unsigned request names, or Cognito's error (a code mismatch when existence is hidden). */
async function namedUser(deps: ServiceDeps, pool: Pool, client: AppClient, username: string, hidden: () => CognitoError): Promise<UserRow> {
  const user = await findUser(deps, pool, username);
  if (!user) throw hidesUsers(client) ? hidden() : unknownUser();
  return user;
}

/**
 * ConfirmSignUp: consumes the code, marks the contact it went to verified (which may make it an alias:
 * AliasExistsException if another user holds it, unless ForceAliasCreation moves it here) and confirms.
 */
export async function confirmSignUp(
  deps: ServiceDeps,
  pool: Pool,
  client: AppClient,
  req: { username: string; code: string; secretHash: string | undefined; forceAliasCreation: boolean; triggers?: TriggerInputs },
): Promise<void> {
  await checkSecretHash(deps, client, req.username, req.secretHash);
  const user = await namedUser(deps, pool, client, req.username, () => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'));
  if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  const target = confirmationTarget(pool, parseAttributes(user.attributes));
  if (target && !req.forceAliasCreation) await refuseTakenAlias(deps, pool, user, target.attribute);
  await consumeCode(deps, user, 'SIGN_UP', req.code);
  if (target) await markVerified(deps, pool, user.id, target.attribute, req.forceAliasCreation);
  const now = deps.clock.now().getTime();
  if (!(await deps.store.users.updateFields(user.id, { status: 'CONFIRMED', updated_at: now }, ['UNCONFIRMED']))) {
    throw notAuthorized('User cannot be confirmed. Current status is CONFIRMED');
  }
  if (!hasTrigger(pool, 'PostConfirmation')) return;
  const confirmed = (await deps.store.users.findBySub(pool.id, user.id)) ?? { ...user, status: 'CONFIRMED' };
  await postConfirmation(deps, pool, 'PostConfirmation_ConfirmSignUp', confirmed, client.id, req.triggers);
}

/** Checked before the code is spent, so a refused confirmation can be retried with the same code. */
async function refuseTakenAlias(deps: ServiceDeps, pool: Pool, user: UserRow, kind: 'email' | 'phone_number'): Promise<void> {
  const attrs = { ...parseAttributes(user.attributes), [VERIFIED_FLAG[kind]]: 'true' };
  const alias = aliasesFor(pool, attrs).find((a) => a.kind === kind);
  if (!alias) return;
  const holder = await deps.store.users.findByAlias(pool.id, kind, alias.key);
  if (holder && holder.id !== user.id) throw aliasConflict(pool, kind, false);
}

/**
 * Sets `<kind>_verified` = true (compare-and-set on the attributes). With `force`, an alias another user
 * holds is taken from them first: they keep the value, unverified, as AdminCreateUser's ForceAliasCreation does.
 */
export async function markVerified(deps: ServiceDeps, pool: Pool, userId: string, kind: 'email' | 'phone_number', force: boolean, value?: string): Promise<void> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const row = await deps.store.users.findBySub(pool.id, userId);
    if (!row) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    const next: AttributeMap = { ...parseAttributes(row.attributes), ...(value === undefined ? {} : { [kind]: value }), [VERIFIED_FLAG[kind]]: 'true' };
    try {
      if (await deps.store.users.saveAttributes(withAttributes(row, next, deps.clock.now().getTime()), row.attributes, aliasesFor(pool, next))) return;
    } catch (err) {
      if (!(err instanceof UniqueViolation) || err.what === 'username') throw err;
      if (!force || err.what !== kind) throw aliasConflict(pool, err.what, false);
      await unverifyHolder(deps, pool, kind, next[kind] ?? '');
    }
  }
  throw internalError();
}

async function unverifyHolder(deps: ServiceDeps, pool: Pool, kind: 'email' | 'phone_number', value: string): Promise<void> {
  const holder = await deps.store.users.findByAlias(pool.id, kind, aliasKey(pool, kind, value));
  if (!holder) return;
  const attrs = { ...parseAttributes(holder.attributes), [VERIFIED_FLAG[kind]]: 'false' };
  await deps.store.users.saveAttributes(withAttributes(holder, attrs, deps.clock.now().getTime()), holder.attributes, aliasesFor(pool, attrs));
}

/** ResendConfirmationCode: a new sign-up code for a user who is still UNCONFIRMED. */
export async function resendConfirmationCode(
  deps: ServiceDeps,
  pool: Pool,
  client: AppClient,
  req: { username: string; secretHash: string | undefined },
): Promise<CodeDeliveryDetails> {
  const found = await userForCodeRequest(deps, pool, client, req);
  if ('decoy' in found) return found.decoy;
  const { user } = found;
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  const attrs = parseAttributes(user.attributes);
  const target = confirmationTarget(pool, attrs);
  if (!target) throw invalidParameter('Cannot resend codes. Auto verification not turned on.');
  return sendCode(deps, pool, user, attrs, 'SIGN_UP', target, null, { source: 'ResendCode', clientId: client.id });
}
