import { timingSafeEqual } from 'node:crypto';
import { invalidSession, missingParameter, sessionUsed } from '../domain/auth-flows.js';
import { CognitoError, invalidParameter } from '../domain/errors.js';
import { isEmail, parseAttributes } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { poolFactors, type MfaChallenges } from './auth-mfa.js';
import { stepOf, type NextStep, type SignInStep } from './auth-next-step.js';
import type { AuthOutcome, SignInTarget } from './auth-outcome.js';
import { openSession, openState, type AuthState, type StateExtra } from './auth-state.js';
import { Lockout } from './auth-lockout.js';
import type { ServiceDeps } from './context.js';
import { markVerified } from './self-sign-up.js';
import { totpStepOf } from './user-mfa-totp.js';
import { cannotTurnOn, enableFactor, MFA_FACTORS, type MfaFactor } from './user-mfa-settings.js';

/**
 * RespondToAuthChallenge answers to the MFA challenges: SMS_MFA (SMS_MFA_CODE), EMAIL_OTP (EMAIL_OTP_CODE),
 * SOFTWARE_TOKEN_MFA (SOFTWARE_TOKEN_MFA_CODE), SELECT_MFA_TYPE (ANSWER) and MFA_SETUP (the Session
 * VerifySoftwareToken returned). A wrong code leaves the Session usable for another try and counts as a
 * failed sign-in: "After five unsuccessful attempts to present an MFA code, Amazon Cognito begins the
 * exponential-timeout lockout process" (DG user-pool-settings-mfa.html), the same lockout as wrong passwords
 * (auth-lockout.ts), and the count is only cleared when a sign-in completes. A right code uses the Session up.
 */

const CODE_MEMBER: Record<MfaFactor, string> = { SMS_MFA: 'SMS_MFA_CODE', SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE', EMAIL_OTP: 'EMAIL_OTP_CODE' };

/** Cognito words a wrong TOTP code and a wrong sent code differently. */
function mismatch(factor: MfaFactor): CognitoError {
  return new CognitoError('CodeMismatchException', factor === 'SOFTWARE_TOKEN_MFA' ? 'Invalid code received for user' : 'Invalid code or auth state for the user.');
}

export const isMfaChallenge = (name: string): boolean => name === 'SELECT_MFA_TYPE' || name === 'MFA_SETUP' || MFA_FACTORS.some((f) => f === name);

export interface MfaAnswer {
  target: SignInTarget;
  challengeName: string;
  session: string | undefined;
  responses: Record<string, string>;
  /** The user USERNAME names, once SECRET_HASH is right (auth.ts resolves it). */
  user: () => Promise<UserRow | undefined>;
  /** Refuses disabled users and the like (PasswordSignIn.checkEnabled). */
  checkEnabled: (user: UserRow) => void;
  /** Refuses a DEVICE_KEY the answer names that is no device of the user (sealed: the Session's values). */
  checkDevice: (user: UserRow, sealed: StateExtra | undefined) => Promise<void>;
}

export class MfaAnswers {
  private readonly lockout: Lockout;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly challenges: MfaChallenges,
    private readonly next: NextStep,
  ) {
    this.lockout = new Lockout(deps);
  }

  /** Undefined when the Session is not an MFA one (EMAIL_OTP is also a passwordless first factor). */
  async answer(a: MfaAnswer): Promise<AuthOutcome | undefined> {
    // MFA_SETUP is answered with the Session VerifySoftwareToken returned, or, to set up email MFA, with the
    // challenge's own Session and EMAIL.
    const kind = a.challengeName === 'MFA_SETUP' ? (a.responses.EMAIL === undefined ? 'MFA_SETUP:VERIFIED' : 'MFA_SETUP') : a.challengeName;
    // EMAIL_OTP is also a passwordless first factor, SMS_MFA also a CUSTOM_AUTH challenge: other Sessions, other answers.
    if ((a.challengeName === 'EMAIL_OTP' || a.challengeName === 'SMS_MFA') && (a.session === undefined || !openState(this.deps, kind, a.session))) return undefined;
    const state = openSession(this.deps, a.target, kind, a.session);
    if (a.responses.USERNAME === undefined || a.responses.USERNAME === '') throw missingParameter('USERNAME');
    const user = await a.user();
    if (!user || user.id !== state.sub) throw invalidSession();
    a.checkEnabled(user);
    await a.checkDevice(user, state.extra);
    const step = stepOf(a.target, user, state.authTime, state.extra, a.responses.DEVICE_KEY);
    switch (a.challengeName) {
      case 'SELECT_MFA_TYPE':
        return this.select(state, step, a.responses.ANSWER);
      case 'MFA_SETUP':
        if (a.responses.EMAIL !== undefined) return this.setupEmail(state, step, a.responses.EMAIL);
        await this.useUp(state);
        return this.next.continueFrom('TOKENS', step);
      default: {
        const factor = MFA_FACTORS.find((f) => f === a.challengeName);
        if (!factor) throw invalidSession();
        const hadFailures = await this.checkCode(a.target, state, user, factor, a.responses[CODE_MEMBER[factor]]);
        const setUp = typeof state.extra?.se === 'string' ? state.extra.se : undefined;
        const contact = factor === 'SMS_MFA' ? 'phone_number' : factor === 'EMAIL_OTP' ? 'email' : undefined;
        const signedIn = setUp !== undefined ? await this.emailSetUp(a.target, user, setUp) : contact ? await this.contactVerified(a.target, user, contact) : user;
        return this.next.continueFrom('TOKENS', { ...step, user: signedIn, ...(hadFailures ? { hadFailures } : {}) });
      }
    }
  }

  /** SELECT_MFA_TYPE: ANSWER names one of MFAS_CAN_CHOOSE; the chosen challenge follows with a new Session. */
  private async select(state: AuthState, step: ReturnType<typeof stepOf>, answer: string | undefined): Promise<AuthOutcome> {
    if (answer === undefined) throw missingParameter('ANSWER');
    // Only one of the MFAS_CAN_CHOOSE the challenge offered (sealed into its Session).
    const offered = typeof state.extra?.m === 'string' ? state.extra.m.split(' ') : [];
    // The API reference lists ANSWER as "[SMS_MFA|EMAIL_MFA|SOFTWARE_TOKEN_MFA]" while MFAS_CAN_CHOOSE (and
    // Amplify's answer) say EMAIL_OTP: both name email MFA.
    const named = answer === 'EMAIL_MFA' ? 'EMAIL_OTP' : answer;
    const factor = MFA_FACTORS.find((f) => f === named && offered.includes(f));
    if (!factor) throw new CognitoError('InvalidParameterException', 'Invalid MFA type selected.');
    await this.useUp(state);
    return this.challenges.challenge(step, factor);
  }

  /**
   * MFA_SETUP answered with EMAIL: the pool must offer email MFA and the address must be one; the code goes
   * there as an EMAIL_OTP challenge whose Session remembers the address (`se`). Nothing about the user changes
   * until the right code comes back (emailSetUp). The MFA_SETUP Session is used up.
   */
  private async setupEmail(state: AuthState, step: SignInStep, email: string): Promise<AuthOutcome> {
    if (!poolFactors(step.target.pool.doc).includes('EMAIL_OTP')) throw cannotTurnOn('EMAIL_OTP');
    if (!isEmail(email)) throw invalidParameter('Invalid email address format.');
    await this.useUp(state);
    const attrs = { ...parseAttributes(step.user.attributes), email };
    return this.challenges.challenge(step, 'EMAIL_OTP', attrs, { se: email });
  }

  /**
   * The right EMAIL_OTP code of an email MFA setup: the address becomes the user's verified email (the code
   * reached it; another user's verified alias makes this AliasExistsException) and email MFA is turned on.
   */
  private async emailSetUp(target: SignInTarget, user: UserRow, email: string): Promise<UserRow> {
    await markVerified(this.deps, target.pool, user.id, 'email', false, email);
    await enableFactor(this.deps, user.id, 'EMAIL_OTP');
    return (await this.deps.store.users.findBySub(target.pool.id, user.id)) ?? user;
  }

  /**
   * A wrong code is a failed sign-in for the lockout (and the Session stays usable); while the user is locked
   * out, every answer gets "Password attempts exceeded". Returns whether failures are on record.
   */
  private async checkCode(target: SignInTarget, state: AuthState, user: UserRow, factor: MfaFactor, code: string | undefined): Promise<boolean> {
    if (code === undefined) throw missingParameter(CODE_MEMBER[factor]);
    if (await this.deps.store.signIn.wasUsed(state.id)) throw sessionUsed();
    const hadFailures = await this.lockout.check(user);
    if (!(await this.codeIsRight(state, user, factor, code))) {
      await this.lockout.failed(user);
      await this.next.secondFactorFailed(target, user);
      throw mismatch(factor);
    }
    await this.useUp(state);
    return hadFailures;
  }

  private async codeIsRight(state: AuthState, user: UserRow, factor: MfaFactor, code: string): Promise<boolean> {
    if (factor !== 'SOFTWARE_TOKEN_MFA') {
      const sent = state.extra?.c;
      return typeof sent === 'string' && sent.length === code.length && timingSafeEqual(Buffer.from(sent), Buffer.from(code));
    }
    const secret = (await this.deps.store.userMfa.find(user.id))?.totp_secret_enc;
    if (!secret) return false;
    const step = totpStepOf(this.deps, secret, code, this.deps.clock.now().getTime());
    // A code works once: its time step is used up atomically (a replay, or a concurrent twin, is wrong).
    return step !== undefined && (await this.deps.store.userMfa.useTotpStep(user.id, secret, step));
  }

  /**
   * "When a user completes their first MFA, Amazon Cognito marks their email address or phone number as
   * verified" (DG user-pool-settings-mfa-sms-email-message): the code reached it. If it is another user's
   * verified alias, it is left unverified rather than failing a sign-in whose code was right.
   */
  private async contactVerified(target: SignInTarget, user: UserRow, contact: 'email' | 'phone_number'): Promise<UserRow> {
    if (parseAttributes(user.attributes)[`${contact}_verified`]?.toLowerCase() === 'true') return user;
    try {
      await markVerified(this.deps, target.pool, user.id, contact, false);
    } catch (err) {
      if (!(err instanceof CognitoError && err.type === 'AliasExistsException')) throw err;
      return user;
    }
    return (await this.deps.store.users.findBySub(target.pool.id, user.id)) ?? user;
  }

  private async useUp(state: AuthState): Promise<void> {
    if (!(await this.deps.store.signIn.useOnce(state.id, state.expiresAt, this.deps.clock.now().getTime()))) throw sessionUsed();
  }
}
