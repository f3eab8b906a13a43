import { userNotFound } from '../domain/errors.js';
import { caseInsensitive, strList } from '../domain/pool-config.js';
import type { UserRow } from '../store/schema.js';
import type { AliasKind, UserLookups, UserWithMfa } from '../store/repositories/users.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';

/** How a pool compares usernames and alias values. */
export function usernameKey(pool: Pool, username: string): string {
  return caseInsensitive(pool.doc) ? username.toLowerCase() : username;
}

/** Email aliases always compare case-insensitively; other aliases follow the pool's username setting. */
export function aliasKey(pool: Pool, kind: AliasKind, value: string): string {
  return kind === 'email' || caseInsensitive(pool.doc) ? value.toLowerCase() : value;
}

/** Alias kinds a pool signs users in with: UsernameAttributes or AliasAttributes (phone_number, email, preferred_username). */
export function signInAliases(pool: Pool): AliasKind[] {
  const names = [...strList(pool.doc, 'UsernameAttributes'), ...strList(pool.doc, 'AliasAttributes')];
  return names.filter((n): n is AliasKind => n === 'email' || n === 'phone_number' || n === 'preferred_username');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves the `Username` of an admin request: the username itself, else any sign-in alias of the pool,
 * else the user's `sub` (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html).
 */
export function findUser(deps: ServiceDeps, pool: Pool, username: string): Promise<UserRow | undefined> {
  return resolveUser(deps.store.users.plain, pool, username);
}

/** findUser with the user's MFA switches read in the same query (AdminGetUser). */
export function findUserWithMfa(deps: ServiceDeps, pool: Pool, username: string): Promise<UserWithMfa | undefined> {
  return resolveUser(deps.store.users.withMfa, pool, username);
}

async function resolveUser<T>(users: UserLookups<T>, pool: Pool, username: string): Promise<T | undefined> {
  // In a pool that signs in with email, an email-shaped name is the email: stored usernames there are
  // generated ids (or federated ids), never a bare address, so the alias is asked first (one query, not two).
  const emailFirst = username.includes('@') && strList(pool.doc, 'UsernameAttributes').includes('email');
  if (emailFirst) {
    const u = await users.byAlias(pool.id, 'email', aliasKey(pool, 'email', username));
    if (u) return u;
  }
  const direct = await users.byUsername(pool.id, usernameKey(pool, username));
  if (direct) return direct;
  for (const kind of signInAliases(pool)) {
    if (emailFirst && kind === 'email') continue;
    const u = await users.byAlias(pool.id, kind, aliasKey(pool, kind, username));
    if (u) return u;
  }
  return UUID.test(username) ? users.bySub(pool.id, username.toLowerCase()) : undefined;
}

export async function requireUser(deps: ServiceDeps, pool: Pool, username: string): Promise<UserRow> {
  const u = await findUser(deps, pool, username);
  if (!u) throw userNotFound();
  return u;
}
