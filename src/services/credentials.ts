import { srpPoolName, srpSalt, srpVerifier, toBytes } from '../crypto/srp.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';

/** The columns a password sets: what USER_PASSWORD_AUTH checks and what USER_SRP_AUTH checks. */
export type PasswordCredentials = Pick<UserRow, 'password_hash' | 'srp_salt' | 'srp_verifier_enc'>;

/**
 * Seal purpose of a verifier: binds it to its pool and user, so one user's verifier cannot be moved to
 * another row. (The verifier is password-equivalent for an offline guessing attack, so it is encrypted at
 * rest like every other secret: GUIDE.md, security by default.)
 */
const verifierPurpose = (poolId: string, username: string): string => `srp-verifier:${poolId}/${username}`;

/**
 * Everything stored for a new password, wherever one is set (AdminCreateUser, AdminSetUserPassword, the
 * RESEND of a temporary password, SignUp, ChangePassword, ConfirmForgotPassword, NEW_PASSWORD_REQUIRED):
 * the Argon2id hash, and the SRP salt (hex, toBytes form) and verifier v = g^x mod N, sealed.
 * `username` is the stored username (the USER_ID_FOR_SRP the clients will hash), not an alias.
 */
export async function passwordCredentials(deps: ServiceDeps, pool: Pool, username: string, password: string): Promise<PasswordCredentials> {
  const hashing = deps.hasher.hash(password); // on the thread pool while the verifier is computed here
  const srp = srpCredentials(deps, pool, username, password);
  return { password_hash: await hashing, ...srp };
}

/** The SRP half of `passwordCredentials`: a fresh salt and the sealed verifier. */
export function srpCredentials(deps: ServiceDeps, pool: Pool, username: string, password: string): { srp_salt: string; srp_verifier_enc: string } {
  const salt = srpSalt((n) => deps.random.bytes(n));
  const v = srpVerifier(salt, srpPoolName(pool.id), username, password);
  return { srp_salt: toBytes(salt).toString('hex'), srp_verifier_enc: deps.secrets.seal(v.toString(16), verifierPurpose(pool.id, username)) };
}

/** The SRP salt and verifier of a user, or undefined when none is stored (a password set before SRP support). */
export function srpCredentialsOf(deps: ServiceDeps, pool: Pool, user: UserRow): { salt: bigint; verifier: bigint } | undefined {
  if (user.srp_salt === null || user.srp_verifier_enc === null) return undefined;
  const v = deps.secrets.open(user.srp_verifier_enc, verifierPurpose(pool.id, user.username));
  return { salt: BigInt(`0x${user.srp_salt}`), verifier: BigInt(`0x${v}`) };
}
