import { CognitoError, internalError, invalidParameter } from '../domain/errors.js';
import { schemaOf, strList, subDoc } from '../domain/pool-config.js';
import {
  applyAttributeDeletes,
  applyAttributeWrites,
  isTrue,
  parseAttributes,
  VERIFIED_FLAG,
  type AttributeMap,
  type AttributeWrite,
} from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { UniqueViolation } from '../store/repositories/users.js';
import type { AppClient } from './clients.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { checkWritable } from './self-common.js';
import { markVerified } from './self-sign-up.js';
import { consumeCode, sendCode, type CodeDeliveryDetails, type ContactAttribute } from './user-codes.js';
import { aliasConflict, aliasesFor, withAttributes } from './user-records.js';

const CAS_ATTEMPTS = 16;
const CONTACTS: readonly ContactAttribute[] = ['email', 'phone_number'];
const isContact = (name: string): name is ContactAttribute => name === 'email' || name === 'phone_number';
const verifyPurpose = (a: ContactAttribute): 'VERIFY_email' | 'VERIFY_phone_number' => (a === 'email' ? 'VERIFY_email' : 'VERIFY_phone_number');

/** Read, change, compare-and-set; again from a fresh read when another request changed the user meanwhile. */
async function changeAttributes(deps: ServiceDeps, pool: Pool, userId: string, change: (current: AttributeMap) => AttributeMap): Promise<{ before: AttributeMap; after: AttributeMap; row: UserRow }> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const row = await deps.store.users.findBySub(pool.id, userId);
    if (!row) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    const before = parseAttributes(row.attributes);
    const after = change(before);
    try {
      if (await deps.store.users.saveAttributes(withAttributes(row, after, deps.clock.now().getTime()), row.attributes, aliasesFor(pool, after))) return { before, after, row };
    } catch (err) {
      if (err instanceof UniqueViolation && err.what !== 'username') throw aliasConflict(pool, err.what, false);
      throw err;
    }
  }
  throw internalError();
}

/**
 * UpdateUserAttributes. A changed email or phone number becomes unverified and, when the pool auto-verifies
 * it, gets a code. Where the pool lists it in UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
 * and the current value is verified, the current value stays in force and the new one waits for
 * VerifyUserAttribute (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html).
 */
export async function updateUserAttributes(deps: ServiceDeps, pool: Pool, client: AppClient | undefined, user: UserRow, writes: readonly AttributeWrite[]): Promise<CodeDeliveryDetails[]> {
  checkWritable(client, writes.map((w) => w.name));
  const schema = schemaOf(pool.doc);
  const holdBack = new Set(strList(subDoc(pool.doc, 'UserAttributeUpdateSettings'), 'AttributesRequireVerificationBeforeUpdate'));
  const auto = new Set(strList(pool.doc, 'AutoVerifiedAttributes'));
  let pending: AttributeWrite[] = [];
  const { before, after, row } = await changeAttributes(deps, pool, user.id, (current) => {
    pending = writes.filter((w) => isContact(w.name) && holdBack.has(w.name) && w.value && w.value !== current[w.name] && isTrue(current[VERIFIED_FLAG[w.name]]));
    applyAttributeWrites(schema, current, pending, 'update'); // validates the held-back values now
    return applyAttributeWrites(schema, current, writes.filter((w) => !pending.includes(w)), 'update');
  });
  const out: CodeDeliveryDetails[] = [];
  for (const a of CONTACTS) {
    const held = pending.find((w) => w.name === a)?.value;
    if (held) out.push(await sendCode(deps, pool, row, after, verifyPurpose(a), { attribute: a, destination: held }, held));
    else if (after[a] !== undefined && after[a] !== before[a] && auto.has(a)) {
      out.push(await sendCode(deps, pool, row, after, verifyPurpose(a), { attribute: a, destination: after[a] ?? '' }));
    } else if (after[a] !== before[a]) await deps.store.codes.clearPending(user.id, verifyPurpose(a));
  }
  return out;
}

/** DeleteUserAttributes: also drops codes and waiting values for a deleted email or phone number. */
export async function deleteUserAttributes(deps: ServiceDeps, pool: Pool, client: AppClient | undefined, user: UserRow, names: readonly string[]): Promise<void> {
  checkWritable(client, names);
  const schema = schemaOf(pool.doc);
  await changeAttributes(deps, pool, user.id, (current) => applyAttributeDeletes(schema, current, names));
  for (const a of CONTACTS) {
    if (!names.includes(a)) continue;
    await deps.store.codes.discard(user.id, verifyPurpose(a));
    await deps.store.codes.clearPending(user.id, verifyPurpose(a));
  }
}

function contactName(name: string): ContactAttribute {
  if (!isContact(name)) throw invalidParameter('Invalid attribute name');
  return name;
}

/** GetUserAttributeVerificationCode: a code to the email or phone number (the waiting new value, if any). */
export async function getUserAttributeVerificationCode(deps: ServiceDeps, pool: Pool, user: UserRow, attributeName: string): Promise<CodeDeliveryDetails> {
  const a = contactName(attributeName);
  const attrs = parseAttributes(user.attributes);
  const held = await deps.store.codes.pendingValue(user.id, verifyPurpose(a));
  const destination = held ?? attrs[a];
  if (destination === undefined) throw invalidParameter(`User does not have attribute ${a}`);
  return sendCode(deps, pool, user, attrs, verifyPurpose(a), { attribute: a, destination }, held ?? null, { source: 'VerifyUserAttribute' });
}

/** VerifyUserAttribute: consumes the code and marks the attribute verified (putting a waiting value in force). */
export async function verifyUserAttribute(deps: ServiceDeps, pool: Pool, user: UserRow, attributeName: string, code: string): Promise<void> {
  const a = contactName(attributeName);
  await consumeCode(deps, user, verifyPurpose(a), code);
  const held = await deps.store.codes.pendingValue(user.id, verifyPurpose(a));
  await markVerified(deps, pool, user.id, a, false, held);
  if (held !== undefined) await deps.store.codes.clearPending(user.id, verifyPurpose(a));
}
