import { CognitoError, internalError, invalidParameter } from '../domain/errors.js';
import { checkPassword, generateTemporaryPassword } from '../domain/password-policy.js';
import { passwordPolicyOf, schemaOf, strList } from '../domain/pool-config.js';
import {
  applyAttributeWrites,
  isEmail,
  isPhoneNumber,
  isTrue,
  missingRequired,
  parseAttributes,
  requiredAttributesError,
  VERIFIED_FLAG,
  type AttributeMap,
  type AttributeWrite,
} from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { UniqueViolation, type Displacement } from '../store/repositories/users.js';
import type { ServiceDeps } from './context.js';
import { passwordCredentials } from './credentials.js';
import type { Pool } from './pools.js';
import { aliasKey, requireUser } from './user-lookup.js';
import { invitationDestinations, sendInvitation, type Medium } from './user-messages.js';
import { preSignUp, type TriggerInputs } from './triggers-sign-up.js';
import { aliasConflict, aliasesFor, isUsernameAttribute, newUserRow, toView, withAttributes, type UserView } from './user-records.js';

export interface CreateUserRequest {
  username: string;
  attributes: AttributeWrite[];
  temporaryPassword: string | undefined;
  forceAliasCreation: boolean;
  messageAction: 'RESEND' | 'SUPPRESS' | undefined;
  desiredDeliveryMediums: Medium[] | undefined;
  /** ClientMetadata and ValidationData, for the Lambda triggers only. */
  triggers?: TriggerInputs;
}

/**
 * AdminCreateUser: a new user in FORCE_CHANGE_PASSWORD with a temporary password (given, and then held to
 * the policy, or generated), invited by email or SMS unless SUPPRESS; or, with RESEND, a new temporary
 * password and invitation for an existing user who has not signed in yet
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
 * Required schema attributes must be given: although the reference still says the user may supply them at
 * first sign-in, Cognito refuses the request without them (https://github.com/aws-amplify/amplify-backend/issues/3117).
 */
export async function createUser(deps: ServiceDeps, pool: Pool, req: CreateUserRequest): Promise<UserView> {
  if (req.messageAction === 'RESEND') return resendInvitation(deps, pool, req);
  const sub = deps.random.uuid();
  const { username, attrs } = newIdentity(pool, req, sub);
  const password = temporaryPassword(deps, pool, req.temporaryPassword);
  const destinations = req.messageAction === 'SUPPRESS' ? [] : invitationDestinations(attrs, req.desiredDeliveryMediums);
  // A refusing function leaves nothing behind; its answer's flags do not apply to administrators' users.
  await preSignUp(deps, pool, 'PreSignUp_AdminCreateUser', { userName: username, clientId: undefined, attrs, inputs: req.triggers });
  const credentials = await passwordCredentials(deps, pool, username, password);
  const now = deps.clock.now().getTime();
  const row = newUserRow(pool, { sub, username, status: 'FORCE_CHANGE_PASSWORD', credentials, attrs, now });
  await insertUser(deps, pool, row, attrs, req.forceAliasCreation);
  await sendInvitation(deps, pool, row, attrs, password, destinations);
  return toView(row, attrs);
}

function temporaryPassword(deps: ServiceDeps, pool: Pool, given: string | undefined): string {
  const policy = passwordPolicyOf(pool.doc);
  if (given === undefined) return generateTemporaryPassword(policy, deps.random);
  checkPassword(policy, given);
  return given;
}

/**
 * The stored username and the attributes of a new user. In a pool with UsernameAttributes the Username must
 * be an email or phone number (as the pool allows); it becomes that attribute and the stored username is
 * the sub. In a pool with AliasAttributes, a username may not look like an alias it would shadow.
 */
export function newIdentity(pool: Pool, req: Pick<CreateUserRequest, 'username' | 'attributes'>, sub: string): { username: string; attrs: AttributeMap } {
  const schema = schemaOf(pool.doc);
  const signIn = strList(pool.doc, 'UsernameAttributes');
  let username = req.username;
  let writes = req.attributes;
  if (signIn.length === 0) {
    refuseAliasShapedUsername(pool, req.username);
  } else {
    const kind = usernameKind(signIn, req.username);
    username = sub;
    writes = req.attributes.some((w) => w.name === kind)
      ? req.attributes.map((w) => (w.name === kind ? { name: kind, value: req.username } : w))
      : [{ name: kind, value: req.username }, ...req.attributes];
  }
  const attrs = applyAttributeWrites(schema, {}, writes, 'create');
  const missing = missingRequired(schema, attrs);
  if (missing.length > 0) throw requiredAttributesError(missing);
  return { username, attrs };
}

function usernameKind(signIn: readonly string[], username: string): 'email' | 'phone_number' {
  const email = signIn.includes('email');
  const phone = signIn.includes('phone_number');
  if (email && isEmail(username)) return 'email';
  if (phone && isPhoneNumber(username)) return 'phone_number';
  if (email && phone) throw invalidParameter('Username should be either an email or a phone number.');
  throw invalidParameter(email ? 'Username should be an email.' : 'Username should be a phone number.');
}

function refuseAliasShapedUsername(pool: Pool, username: string): void {
  const aliases = strList(pool.doc, 'AliasAttributes');
  if (aliases.includes('email') && isEmail(username)) {
    throw invalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && isPhoneNumber(username)) {
    throw invalidParameter('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
}

/**
 * Inserts the user; uniqueness is decided by the database. With ForceAliasCreation, a verified email or
 * phone number alias another user holds is taken from them (they can no longer sign in with it) in the same
 * transaction as the insert. A pool's sign-in name (UsernameAttributes) is a username, not an alias, and is
 * never taken.
 */
export async function insertUser(deps: ServiceDeps, pool: Pool, row: UserRow, attrs: AttributeMap, force: boolean): Promise<void> {
  const aliases = aliasesFor(pool, attrs);
  const displaced: Displacement[] = [];
  for (let attempt = 0; attempt < 2 * aliases.length + 3; attempt++) {
    try {
      if (displaced.length === 0) {
        await deps.store.users.createUser(row, aliases);
        return;
      }
      if (await deps.store.users.createUserDisplacing(row, aliases, displaced)) return;
      displaced.length = 0; // a holder changed meanwhile: find the holders again
    } catch (err) {
      if (!(err instanceof UniqueViolation)) throw err;
      if (err.what === 'username') throw new CognitoError('UsernameExistsException', 'User account already exists');
      const kind = err.what;
      if (!force || kind === 'preferred_username' || isUsernameAttribute(pool, kind) || !isTrue(attrs[VERIFIED_FLAG[kind]])) {
        throw aliasConflict(pool, kind, true);
      }
      const d = await displacement(deps, pool, kind, attrs[kind] ?? '', row.created_at);
      const stale = displaced.findIndex((x) => x.alias.kind === kind);
      if (stale >= 0) displaced.splice(stale, 1);
      if (d) displaced.push(d);
    }
  }
  throw internalError();
}

/** The holder of an alias, as it will be once the alias is taken from it; undefined if nobody holds it now. */
async function displacement(deps: ServiceDeps, pool: Pool, kind: 'email' | 'phone_number', value: string, now: number): Promise<Displacement | undefined> {
  const alias = { kind, key: aliasKey(pool, kind, value) };
  const before = await deps.store.users.findByAlias(pool.id, kind, alias.key);
  if (!before) return undefined;
  // The holder keeps the address, unverified: an unverified email or phone number is no alias.
  const attrs = { ...parseAttributes(before.attributes), [VERIFIED_FLAG[kind]]: 'false' };
  return { before, after: withAttributes(before, attrs, now), alias };
}

/** AdminCreateUser with RESEND: only a user still in FORCE_CHANGE_PASSWORD gets a new temporary password. */
async function resendInvitation(deps: ServiceDeps, pool: Pool, req: CreateUserRequest): Promise<UserView> {
  const row = await requireUser(deps, pool, req.username);
  const notResendable = () =>
    new CognitoError('UnsupportedUserStateException', `Resend not possible. ${req.username} status is not FORCE_CHANGE_PASSWORD`);
  if (row.status !== 'FORCE_CHANGE_PASSWORD') throw notResendable();
  const attrs = parseAttributes(row.attributes);
  const password = temporaryPassword(deps, pool, req.temporaryPassword);
  const destinations = invitationDestinations(attrs, req.desiredDeliveryMediums);
  const credentials = await passwordCredentials(deps, pool, row.username, password);
  const now = deps.clock.now().getTime();
  const fields = { ...credentials, password_set_at: now, updated_at: now };
  if (!(await deps.store.users.updateFields(row.id, fields, ['FORCE_CHANGE_PASSWORD']))) throw notResendable();
  const updated = { ...row, ...fields };
  await sendInvitation(deps, pool, updated, attrs, password, destinations);
  return toView(updated, attrs);
}

