import { CognitoError } from '../domain/errors.js';
import { passwordPolicyOf } from '../domain/pool-config.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';

/**
 * PasswordHistorySize: a user may not set a password that matches any of their last n passwords, the
 * current one included (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html).
 * Call `checkPasswordHistory` before writing a new password and `rememberReplacedPassword` with the row as
 * it was before the write. Checking costs up to n Argon2id verifications (on the thread pool, in parallel).
 */
export async function checkPasswordHistory(deps: ServiceDeps, pool: Pool, user: UserRow, password: string): Promise<void> {
  const n = passwordPolicyOf(pool.doc).PasswordHistorySize ?? 0;
  if (n <= 0) return;
  const hashes = [...(user.password_hash === null ? [] : [user.password_hash]), ...(await deps.store.passwordHistory.recent(user.id, n - 1))].slice(0, n);
  const matches = await Promise.all(hashes.map((h) => deps.hasher.verify(h, password)));
  // Wording not confirmed against the live service; the exception type is the model's.
  if (matches.some(Boolean)) throw new CognitoError('PasswordHistoryPolicyViolationException', 'The password has been used recently. Choose a different password.');
}

/** Keeps the hash of the password `before` held, now replaced, for later history checks. */
export async function rememberReplacedPassword(deps: ServiceDeps, before: UserRow, now: number): Promise<void> {
  if (before.password_hash === null) return;
  await deps.store.passwordHistory.add(before.id, before.password_hash, now);
  await deps.store.passwordHistory.prune(before.id);
}
