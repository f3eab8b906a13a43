import { FAILURES_FORGOTTEN_AFTER_MS, lockoutMs, passwordAttemptsExceeded } from '../domain/auth-flows.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';

/**
 * Cognito's brute-force lockout (domain/auth-flows.ts for the numbers), kept in the store so that every node
 * sees the same count: failures are counted with one atomic upsert each, and the lockout only ever grows.
 * Attempts during a lockout are refused without being counted, and so do not extend it. Wrong MFA codes
 * count too; the count is cleared when a sign-in completes (NextStep, SignInStep.hadFailures).
 */
export class Lockout {
  constructor(private readonly deps: ServiceDeps) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /**
   * Before a password or SRP proof is checked: refuses while the user is locked out. Returns whether
   * failures are on record (so that a success needs to clear them; most sign-ins have none).
   */
  async check(user: UserRow): Promise<boolean> {
    const state = await this.deps.store.signIn.failuresOf(user.id);
    if (!state) return false;
    if (this.now() < state.lockedUntil) throw passwordAttemptsExceeded();
    return true;
  }

  /** A wrong password or proof: count it, and lock the user out once there are enough. */
  async failed(user: UserRow): Promise<void> {
    const now = this.now();
    const failures = await this.deps.store.signIn.recordFailure(user.id, now, FAILURES_FORGOTTEN_AFTER_MS);
    const ms = lockoutMs(failures);
    if (ms > 0) await this.deps.store.signIn.lockUntil(user.id, now + ms);
  }
}
