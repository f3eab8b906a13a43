import { timingSafeEqual } from 'node:crypto';
import { incorrectCredentials } from '../domain/auth-flows.js';
import { CognitoError, notAuthorized, userNotFound } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import { Lockout } from './auth-lockout.js';
import type { FirstFactor, NextStep, SignInHooks } from './auth-next-step.js';
import type { AuthOutcome, SignInTarget } from './auth-outcome.js';
import type { SrpProof } from './auth-srp.js';
import { clientSecrets } from './clients.js';
import type { ServiceDeps } from './context.js';
import { srpCredentials } from './credentials.js';
import { checkSecretHash } from './secret-hash.js';

/** Whether the client hides user existence (PreventUserExistenceErrors ENABLED; LEGACY is the default). */
export const hidesUsers = (t: SignInTarget): boolean => t.client.doc.PreventUserExistenceErrors === 'ENABLED';

/**
 * The password check shared by USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH and the
 * PASSWORD_VERIFIER answer of USER_SRP_AUTH; what follows a right password is the pipeline's
 * (auth-next-step.ts).
 */
export class PasswordSignIn {
  private readonly lockout: Lockout;
  /** An Argon2id hash to verify against for unknown users, so that they take as long as known ones. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly next: NextStep,
    private readonly hooks: SignInHooks,
  ) {
    this.lockout = new Lockout(deps);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  async hasSecret(t: SignInTarget): Promise<boolean> {
    return (await clientSecrets(this.deps, t.client.id)).length > 0;
  }

  /** SECRET_HASH over any of `names` (the name as sent, the stored username, ...) satisfies the client. */
  async checkSecretHashFor(t: SignInTarget, names: readonly string[], secretHash: string | undefined): Promise<void> {
    let first: unknown;
    for (const name of names) {
      try {
        await checkSecretHash(this.deps, t.client, name, secretHash, { source: 'SECRET_HASH' });
        return;
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  }

  /** GetTokensFromRefreshToken's ClientSecret: required on a client with a secret, any active one matches. */
  async checkClientSecret(t: SignInTarget, given: string | undefined): Promise<void> {
    const secrets = await clientSecrets(this.deps, t.client.id);
    if (secrets.length === 0) return;
    if (given === undefined) throw notAuthorized(`Client ${t.client.id} is configured for secret but secret was not received`);
    const g = Buffer.from(given);
    const ok = secrets.some((s) => {
      const b = Buffer.from(s);
      return b.length === g.length && timingSafeEqual(b, g);
    });
    if (!ok) throw notAuthorized(`Unable to verify secret hash for client ${t.client.id}`);
  }

  /** States that refuse a sign-in whatever the password: disabled, or reset by an administrator. */
  checkEnabled(user: UserRow): void {
    if (user.enabled !== 1) throw notAuthorized('User is disabled.');
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  }

  /** Before an SRP challenge is given: an unknown user is refused here unless the client hides users. */
  checkBeforeChallenge(t: SignInTarget, user: UserRow | undefined): void {
    if (!user) {
      if (!hidesUsers(t)) throw userNotFound();
      return;
    }
    this.checkEnabled(user);
  }

  /** USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH: the Argon2id hash decides. */
  async signIn(t: SignInTarget, user: UserRow | undefined, password: string, deviceKey: string | undefined): Promise<AuthOutcome> {
    if (!user) {
      if (!hidesUsers(t)) throw userNotFound();
      await this.deps.hasher.verify(await this.decoy(), password);
      throw incorrectCredentials();
    }
    this.checkEnabled(user);
    await this.hooks.beforeFirstFactor?.(t, user);
    await this.checkDevice(t, user, deviceKey);
    const hadFailures = await this.lockout.check(user);
    const ok = user.password_hash !== null && (await this.deps.hasher.verify(user.password_hash, password));
    if (!ok) {
      await this.lockout.failed(user);
      await this.hooks.firstFactorFailed?.(t, user);
      throw incorrectCredentials();
    }
    await this.hooks.passwordAccepted?.(t, user, password);
    const signedIn = user.srp_verifier_enc === null ? await this.addSrpVerifier(t, user, password) : user;
    return this.afterPassword(t, signedIn, 'PASSWORD', deviceKey, hadFailures);
  }

  /** PASSWORD_VERIFIER: the SECRET_BLOCK is used up by this attempt, right or wrong. */
  async completeSrp(t: SignInTarget, proof: SrpProof, user: UserRow | undefined, deviceKey: string | undefined): Promise<AuthOutcome> {
    const { state } = proof;
    const useUp = () => this.deps.store.signIn.useOnce(state.id, state.expiresAt, this.now());
    if (state.sub === null || !user || user.id !== state.sub) {
      await useUp();
      if (!user && !hidesUsers(t)) throw userNotFound();
      throw incorrectCredentials();
    }
    this.checkEnabled(user);
    await this.checkDevice(t, user, deviceKey);
    const hadFailures = await this.lockout.check(user);
    if (!(await useUp())) throw incorrectCredentials();
    if (!proof.verify()) {
      await this.lockout.failed(user);
      await this.hooks.firstFactorFailed?.(t, user);
      throw incorrectCredentials();
    }
    const custom = await this.hooks.srpVerified?.(t, user, state, this.next);
    if (custom) return custom;
    return this.afterPassword(t, user, 'PASSWORD_SRP', deviceKey, hadFailures);
  }

  private async checkDevice(t: SignInTarget, user: UserRow, deviceKey: string | undefined): Promise<void> {
    if (deviceKey !== undefined && this.hooks.checkDevice) await this.hooks.checkDevice(t, user, deviceKey);
  }

  /**
   * After a right password or proof, the pipeline decides (auth-next-step.ts); failures on record are cleared
   * when it issues the tokens (so that wrong MFA codes still count toward the lockout).
   */
  private afterPassword(t: SignInTarget, user: UserRow, factor: FirstFactor, deviceKey: string | undefined, hadFailures: boolean): Promise<AuthOutcome> {
    const authTime = Math.floor(this.now() / 1000);
    return this.next.afterFirstFactor({ target: t, user, factor, authTime, ...(deviceKey === undefined ? {} : { deviceKey }), ...(hadFailures ? { hadFailures } : {}) });
  }

  /** A password set before SRP support has no verifier; the first password sign-in stores one. */
  private async addSrpVerifier(t: SignInTarget, user: UserRow, password: string): Promise<UserRow> {
    const srp = srpCredentials(this.deps, t.pool, user.username, password);
    await this.deps.store.signIn.addSrpCredentials(user.id, srp.srp_salt, srp.srp_verifier_enc);
    return { ...user, ...srp };
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.deps.hasher.hash(this.deps.random.bytes(16).toString('hex'));
    return this.decoyHash;
  }
}
