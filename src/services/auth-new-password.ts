import { invalidSession, missingParameter, sessionUsed } from '../domain/auth-flows.js';
import { internalError, notAuthorized } from '../domain/errors.js';
import { checkPassword } from '../domain/password-policy.js';
import { passwordPolicyOf, schemaOf, strList } from '../domain/pool-config.js';
import { applyAttributeWrites, missingRequired, parseAttributes, requiredAttributesError, type AttributeMap, type AttributeWrite } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { UniqueViolation } from '../store/repositories/users.js';
import type { SignInTarget } from './auth-outcome.js';
import { challengeSession, openSession, type AuthState, type StateExtra } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { passwordCredentials } from './credentials.js';
import { checkPasswordHistory, rememberReplacedPassword } from './password-history.js';
import { aliasConflict, aliasesFor, withAttributes } from './user-records.js';

/**
 * NEW_PASSWORD_REQUIRED: a user created by an administrator (FORCE_CHANGE_PASSWORD) who signed in with the
 * temporary password chooses a new one, and may supply attributes, in RespondToAuthChallenge
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html).
 */

const PREFIX = 'userAttributes.';
/** Attributes no app client may write, whatever its WriteAttributes say. */
const NEVER_WRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);

/** The challenge, with ChallengeParameters as Cognito sends them (JSON strings; `sub` not among the attributes). */
export function newPasswordChallenge(deps: ServiceDeps, target: SignInTarget, user: UserRow, authTime: number, extra: StateExtra): { name: string; session: string; parameters: Record<string, string> } {
  const attrs = parseAttributes(user.attributes);
  const missing = missingRequired(schemaOf(target.pool.doc), attrs);
  return {
    name: 'NEW_PASSWORD_REQUIRED',
    session: challengeSession(deps, target, 'NEW_PASSWORD_REQUIRED', user, authTime, extra).session,
    parameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missing.map((n) => `${PREFIX}${n}`)),
      userAttributes: JSON.stringify(attrs),
    },
  };
}

/** The session of a NEW_PASSWORD_REQUIRED answer, checked for this pool and client and not expired. */
export function openNewPasswordSession(deps: ServiceDeps, target: SignInTarget, session: string | undefined): ReturnType<typeof openSession> {
  return openSession(deps, target, 'NEW_PASSWORD_REQUIRED', session);
}

/** The `userAttributes.<name>` answers, checked against the client's write permissions. */
function attributeWrites(target: SignInTarget, responses: Record<string, string>): AttributeWrite[] {
  const allowed = target.client.doc.WriteAttributes === undefined ? undefined : new Set(strList(target.client.doc, 'WriteAttributes'));
  const writes: AttributeWrite[] = [];
  for (const [k, value] of Object.entries(responses)) {
    if (!k.startsWith(PREFIX)) continue;
    const name = k.slice(PREFIX.length);
    if (NEVER_WRITABLE.has(name) || (allowed && !allowed.has(name))) throw notAuthorized('A client attempted to write unauthorized attribute');
    writes.push({ name, value });
  }
  return writes;
}

/**
 * Attributes after the answers: ones the user does not have yet may be set even if immutable (that is
 * what the challenge asks for); ones the user has are updated under the usual rules.
 */
function nextAttributes(target: SignInTarget, current: AttributeMap, writes: readonly AttributeWrite[]): AttributeMap {
  const schema = schemaOf(target.pool.doc);
  const fresh = writes.filter((w) => current[w.name] === undefined);
  const changed = writes.filter((w) => current[w.name] !== undefined);
  const next = applyAttributeWrites(schema, applyAttributeWrites(schema, current, fresh, 'create'), changed, 'update');
  const missing = missingRequired(schema, next);
  if (missing.length > 0) throw requiredAttributesError(missing);
  return next;
}

/**
 * Sets the new password (and attributes) and confirms the user; the session is used up by it. Validation
 * failures (a password the policy refuses, a bad attribute) leave the session usable for another try.
 */
export async function completeNewPassword(deps: ServiceDeps, target: SignInTarget, state: AuthState, user: UserRow, responses: Record<string, string>): Promise<UserRow> {
  const password = responses.NEW_PASSWORD;
  if (password === undefined) throw missingParameter('NEW_PASSWORD');
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw (await deps.store.signIn.wasUsed(state.id)) ? sessionUsed() : invalidSession();
  const writes = attributeWrites(target, responses);
  if (writes.length > 0) nextAttributes(target, parseAttributes(user.attributes), writes); // validate before anything is used up
  checkPassword(passwordPolicyOf(target.pool.doc), password);
  await checkPasswordHistory(deps, target.pool, user, password);
  const credentials = await passwordCredentials(deps, target.pool, user.username, password);
  if (!(await deps.store.signIn.useOnce(state.id, state.expiresAt, deps.clock.now().getTime()))) throw sessionUsed();
  const now = deps.clock.now().getTime();
  const row = writes.length > 0 ? await saveAttributes(deps, target, user, writes, now) : user;
  const fields = { ...credentials, password_set_at: now, status: 'CONFIRMED', updated_at: now };
  if (!(await deps.store.users.updateFields(user.id, fields, ['FORCE_CHANGE_PASSWORD']))) throw invalidSession();
  await rememberReplacedPassword(deps, user, now);
  return { ...row, ...fields };
}

/** Compare-and-set of the attributes, again from a fresh read if another request changed them meanwhile. */
async function saveAttributes(deps: ServiceDeps, target: SignInTarget, user: UserRow, writes: readonly AttributeWrite[], now: number): Promise<UserRow> {
  let current = user;
  for (let attempt = 0; attempt < 8; attempt++) {
    const attrs = nextAttributes(target, parseAttributes(current.attributes), writes);
    const row = withAttributes(current, attrs, now);
    try {
      if (await deps.store.users.saveAttributes(row, current.attributes, aliasesFor(target.pool, attrs))) return row;
    } catch (err) {
      if (err instanceof UniqueViolation && err.what !== 'username') throw aliasConflict(target.pool, err.what, false);
      throw err;
    }
    const reread = await deps.store.users.findBySub(target.pool.id, user.id);
    if (!reread) throw invalidSession();
    current = reread;
  }
  throw internalError();
}
