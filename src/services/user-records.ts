import { CognitoError } from '../domain/errors.js';
import { strList } from '../domain/pool-config.js';
import { isTrue, parseAttributes, VERIFIED_FLAG, type AttributeMap } from '../domain/user-attributes.js';
import type { ListedUser, UserRow } from '../store/schema.js';
import type { Alias, AliasKind } from '../store/repositories/users.js';
import { aliasKey, usernameKey } from './user-lookup.js';
import type { Pool } from './pools.js';

/** A user as the admin API shows it (UserType / AdminGetUserResponse), times in epoch ms. */
export interface UserView {
  username: string;
  /** Every attribute, `sub` first. */
  attributes: Array<{ Name: string; Value: string }>;
  createdAt: number;
  updatedAt: number;
  enabled: boolean;
  status: string;
}

export function toView(row: ListedUser, attrs: AttributeMap = parseAttributes(row.attributes)): UserView {
  return {
    username: row.username,
    attributes: [{ Name: 'sub', Value: row.id }, ...Object.entries(attrs).map(([Name, Value]) => ({ Name, Value }))],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    enabled: row.enabled === 1,
    status: row.status,
  };
}

/** The indexed copies of searchable attributes; written with every change of `attributes`. */
export function searchColumns(attrs: AttributeMap): Pick<UserRow, 'email' | 'phone_number' | 'name' | 'given_name' | 'family_name' | 'preferred_username'> {
  return {
    email: attrs.email ?? null,
    phone_number: attrs.phone_number ?? null,
    name: attrs.name ?? null,
    given_name: attrs.given_name ?? null,
    family_name: attrs.family_name ?? null,
    preferred_username: attrs.preferred_username ?? null,
  };
}

/** The row with new attributes, their searchable columns and a new modification time. */
export function withAttributes(row: UserRow, attrs: AttributeMap, now: number): UserRow {
  return { ...row, ...searchColumns(attrs), attributes: JSON.stringify(attrs), updated_at: now };
}

const usernameAttributes = (pool: Pool): string[] => strList(pool.doc, 'UsernameAttributes');

/** Whether `kind` is one of the pool's UsernameAttributes (its value is then the sign-in name). */
export const isUsernameAttribute = (pool: Pool, kind: AliasKind): boolean => usernameAttributes(pool).includes(kind);

/**
 * The aliases a user holds, each unique in the pool. In a pool with UsernameAttributes, the email and phone
 * number are sign-in names and always unique. With AliasAttributes, an email or phone number is an alias
 * only once verified, and preferred_username always
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-aliases).
 */
export function aliasesFor(pool: Pool, attrs: AttributeMap): Alias[] {
  const aliasAttributes = strList(pool.doc, 'AliasAttributes');
  const out: Alias[] = [];
  for (const kind of ['email', 'phone_number'] as const) {
    const value = attrs[kind];
    if (value === undefined) continue;
    if (isUsernameAttribute(pool, kind) || (aliasAttributes.includes(kind) && isTrue(attrs[VERIFIED_FLAG[kind]]))) {
      out.push({ kind, key: aliasKey(pool, kind, value) });
    }
  }
  const preferred = attrs.preferred_username;
  if (preferred !== undefined && aliasAttributes.includes('preferred_username')) {
    out.push({ kind: 'preferred_username', key: aliasKey(pool, 'preferred_username', preferred) });
  }
  return out;
}

/**
 * Another user holds the alias. A new user whose email or phone number is the pool's sign-in name gets
 * UsernameExistsException; every other case is AliasExistsException. Same message for both.
 */
export function aliasConflict(pool: Pool, kind: AliasKind, creating: boolean): CognitoError {
  const message = `An account with the given ${kind} already exists.`;
  return creating && isUsernameAttribute(pool, kind) ? new CognitoError('UsernameExistsException', message) : new CognitoError('AliasExistsException', message);
}

/**
 * The name a user signs in with, for `{username}` in messages: in a pool with UsernameAttributes that is the
 * email or phone number (the stored username is a generated id nobody types), otherwise the username.
 */
export function signInName(pool: Pool, row: UserRow, attrs: AttributeMap): string {
  for (const kind of usernameAttributes(pool)) {
    const v = kind === 'email' || kind === 'phone_number' ? attrs[kind] : undefined;
    if (v !== undefined) return v;
  }
  return row.username;
}

/** A new user's row: `sub` is the id, the searchable columns mirror `attrs`, the password was just set. */
export function newUserRow(
  pool: Pool,
  u: {
    sub: string;
    username: string;
    status: string;
    credentials: Pick<UserRow, 'password_hash' | 'srp_salt' | 'srp_verifier_enc'>;
    attrs: AttributeMap;
    now: number;
  },
): UserRow {
  return {
    id: u.sub,
    pool_id: pool.id,
    username: u.username,
    username_key: usernameKey(pool, u.username),
    status: u.status,
    enabled: 1,
    created_at: u.now,
    updated_at: u.now,
    ...u.credentials,
    password_set_at: u.now,
    attributes: JSON.stringify(u.attrs),
    ...searchColumns(u.attrs),
    tokens_revoked_before: null,
  };
}
