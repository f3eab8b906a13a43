import { invalidSession, missingParameter } from '../domain/auth-flows.js';
import { invalidParameter, userNotFound } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import { availableChallenges, isChoiceChallenge, type ChoiceChallenge } from './auth-choice-factors.js';
import { consumeOtp, otpDestination, sendOtp, type OtpChannel } from './auth-choice-otp.js';
import type { ChallengeAnswer, NextStep, SignInHooks } from './auth-next-step.js';
import { answerMetadata, type AuthOutcome, type SignInTarget } from './auth-outcome.js';
import { hidesUsers, PasswordSignIn } from './auth-password.js';
import { startSrp } from './auth-srp.js';
import { challengeSession, openSession, openState, sealState, sessionValidityMs, type AuthState } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { findUser } from './user-lookup.js';
import { credentialRequestOptions, verifyPasskey } from './webauthn-sign-in.js';

/** Challenges answered here; each Session is sealed as kind `USER_AUTH:<name>` (EMAIL_OTP is also an MFA name). */
const ANSWERED: ReadonlySet<string> = new Set(['SELECT_CHALLENGE', 'PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']);
const kindOf = (challenge: string): string => `USER_AUTH:${challenge}`;

/**
 * Choice-based sign-in, AuthFlow USER_AUTH (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html):
 * without PREFERRED_CHALLENGE the user gets SELECT_CHALLENGE with the AvailableChallenges they can use; with
 * one they can use, that factor starts at once (one they cannot use falls back to SELECT_CHALLENGE). PASSWORD
 * and PASSWORD_SRP go through the password sign-in (lockout, then NEW_PASSWORD_REQUIRED / MFA as for
 * USER_PASSWORD_AUTH / USER_SRP_AUTH); EMAIL_OTP, SMS_OTP and WEB_AUTHN end in NextStep.afterFirstFactor,
 * which follows passwordless factors with no MFA. Plugged into AuthService as the `userAuth` hook and a
 * challenge responder (services.ts).
 */
export class ChoiceSignIn {
  private password: PasswordSignIn | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    /** The hooks AuthService runs with, for the password sign-in (device check, failure hook). */
    private readonly hooks: () => SignInHooks,
  ) {}

  /** The `userAuth` hook: InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH. */
  readonly userAuth = async (t: SignInTarget, p: Record<string, string>, next: NextStep): Promise<AuthOutcome> => {
    const name = required(p, 'USERNAME');
    const user = await this.user(t, next, name, p.SECRET_HASH);
    const preferred = p.PREFERRED_CHALLENGE;
    if (preferred !== undefined && preferred !== '' && !isChoiceChallenge(preferred)) throw invalidParameter(`Invalid PREFERRED_CHALLENGE: ${preferred}`);
    if (!user) return this.unknownUser(t, next, name, p, preferred);
    this.pw(next).checkEnabled(user);
    const available = await availableChallenges(this.deps, t.pool, user);
    const chosen = available.find((c) => c === preferred);
    if (chosen !== undefined) return this.start(t, next, user, name, chosen, p);
    const { session } = challengeSession(this.deps, t, kindOf('SELECT_CHALLENGE'), user, this.nowSeconds());
    return { challenge: { name: 'SELECT_CHALLENGE', session, parameters: {}, available } };
  };

  /** The responder: answers to the challenges above; undefined for Sessions that are not USER_AUTH's. */
  readonly responder = async (a: ChallengeAnswer): Promise<AuthOutcome | undefined> => {
    const kind = kindOf(a.challengeName);
    const opened = ANSWERED.has(a.challengeName) && a.session !== undefined ? openState(this.deps, kind, a.session) : undefined;
    if (!opened) return undefined;
    const t = a.target;
    const r = a.responses;
    if (opened.sub === null) return this.standIn(t, a.next, opened, r);
    const state = openSession(this.deps, t, kind, a.session);
    const name = required(r, 'USERNAME');
    const user = await this.user(t, a.next, name, r.SECRET_HASH);
    if (!user || user.id !== state.sub) throw invalidSession();
    this.pw(a.next).checkEnabled(user);
    switch (a.challengeName) {
      case 'SELECT_CHALLENGE': {
        const answer = required(r, 'ANSWER');
        const available = await availableChallenges(this.deps, t.pool, user);
        const chosen = available.find((c) => c === answer);
        if (chosen === undefined) throw invalidParameter(`The challenge ${answer} is not available for the user.`);
        await this.useOnce(state);
        return this.start(t, a.next, user, name, chosen, r);
      }
      case 'EMAIL_OTP':
      case 'SMS_OTP': {
        // A wrong code leaves the Session usable; the code counts its wrong guesses (auth-choice-otp.ts).
        if (await this.deps.store.signIn.wasUsed(state.id)) throw invalidSession();
        await consumeOtp(this.deps, user, a.challengeName, required(r, `${a.challengeName}_CODE`));
        await this.useOnce(state);
        return a.next.afterFirstFactor({ target: t, user, factor: a.challengeName, authTime: this.nowSeconds(), ...device(r) });
      }
      case 'WEB_AUTHN': {
        const credential = required(r, 'CREDENTIAL');
        const challenge = state.extra?.c;
        if (typeof challenge !== 'string') throw invalidSession();
        // The challenge is single-use whatever the outcome: an assertion can never be replayed.
        await this.useOnce(state);
        await verifyPasskey(this.deps, t.pool, user, credential, challenge);
        return a.next.afterFirstFactor({ target: t, user, factor: 'WEB_AUTHN', authTime: this.nowSeconds(), ...device(r) });
      }
      default:
        // PASSWORD / PASSWORD_SRP chosen without their parameters: answered with them now.
        await this.useOnce(state);
        return this.start(t, a.next, user, name, a.challengeName === 'PASSWORD' ? 'PASSWORD' : 'PASSWORD_SRP', r);
    }
  };

  /** Starts a chosen factor; PASSWORD and PASSWORD_SRP finish at once when their parameters came along. */
  private async start(t: SignInTarget, next: NextStep, user: UserRow, name: string, factor: ChoiceChallenge, p: Record<string, string>): Promise<AuthOutcome> {
    const authTime = this.nowSeconds();
    switch (factor) {
      case 'PASSWORD':
        if (p.PASSWORD === undefined || p.PASSWORD === '') return this.ask(t, user, 'PASSWORD', {});
        return this.pw(next).signIn(t, user, p.PASSWORD, p.DEVICE_KEY);
      case 'PASSWORD_SRP':
        if (p.SRP_A === undefined || p.SRP_A === '') return this.ask(t, user, 'PASSWORD_SRP', {});
        return { challenge: { name: 'PASSWORD_VERIFIER', parameters: startSrp(this.deps, t, user, name, p.SRP_A) } };
      case 'EMAIL_OTP':
      case 'SMS_OTP':
        return this.sendCode(t, user, factor);
      case 'WEB_AUTHN': {
        const { options, challenge } = await credentialRequestOptions(this.deps, t.pool, user);
        const { session } = challengeSession(this.deps, t, kindOf('WEB_AUTHN'), user, authTime, { c: challenge });
        return { challenge: { name: 'WEB_AUTHN', session, parameters: { CREDENTIAL_REQUEST_OPTIONS: options } } };
      }
    }
  }

  private async sendCode(t: SignInTarget, user: UserRow, channel: OtpChannel): Promise<AuthOutcome> {
    const destination = otpDestination(user, channel);
    if (destination === undefined) throw invalidParameter(`The challenge ${channel} is not available for the user.`);
    // The event names the app client; a code sent in answer to SELECT_CHALLENGE carries that answer's ClientMetadata.
    const parameters = await sendOtp(this.deps, t.pool, user, channel, destination, { clientId: t.client.id, clientMetadata: answerMetadata(t) });
    return this.ask(t, user, channel, parameters);
  }

  private ask(t: SignInTarget, user: UserRow, name: ChoiceChallenge, parameters: Record<string, string>): AuthOutcome {
    const { session } = challengeSession(this.deps, t, kindOf(name), user, this.nowSeconds());
    return { challenge: { name, session, parameters } };
  }

  /**
   * A name that is no user: UserNotFoundException, unless the client hides user existence. Then a password
   * is checked against a decoy (same time, same NotAuthorizedException) and anything else gets a
   * SELECT_CHALLENGE offering the password factors, whose Session never verifies.
   */
  private unknownUser(t: SignInTarget, next: NextStep, name: string, p: Record<string, string>, preferred: string | undefined): Promise<AuthOutcome> | AuthOutcome {
    if (!hidesUsers(t)) throw userNotFound();
    if (preferred === 'PASSWORD' && p.PASSWORD) return this.pw(next).signIn(t, undefined, p.PASSWORD, p.DEVICE_KEY);
    if (preferred === 'PASSWORD_SRP' && p.SRP_A) return { challenge: { name: 'PASSWORD_VERIFIER', parameters: startSrp(this.deps, t, undefined, name, p.SRP_A) } };
    const state: AuthState = {
      kind: kindOf('SELECT_CHALLENGE'),
      id: this.deps.random.uuid(),
      poolId: t.pool.id,
      clientId: t.client.id,
      sub: null,
      username: name,
      expiresAt: this.deps.clock.now().getTime() + sessionValidityMs(t),
    };
    return { challenge: { name: 'SELECT_CHALLENGE', session: sealState(this.deps, state), parameters: {}, available: ['PASSWORD', 'PASSWORD_SRP'] } };
  }

  /**
   * The answer to the stand-in SELECT_CHALLENGE of a hidden unknown user: the password factors behave as
   * for a real user with a wrong password (a decoy hash check, a stand-in SRP challenge), so the answers
   * tell nothing about whether the user exists.
   */
  private async standIn(t: SignInTarget, next: NextStep, state: AuthState, r: Record<string, string>): Promise<AuthOutcome> {
    if (state.poolId !== t.pool.id || state.clientId !== t.client.id || this.deps.clock.now().getTime() >= state.expiresAt) throw invalidSession();
    const name = required(r, 'USERNAME');
    await this.useOnce(state);
    if (r.ANSWER === 'PASSWORD_SRP' && r.SRP_A) return { challenge: { name: 'PASSWORD_VERIFIER', parameters: startSrp(this.deps, t, undefined, name, r.SRP_A) } };
    return this.pw(next).signIn(t, undefined, required(r, 'PASSWORD'), r.DEVICE_KEY);
  }

  /** The user USERNAME names, once SECRET_HASH is right for the name as sent or the stored username. */
  private async user(t: SignInTarget, next: NextStep, name: string, secretHash: string | undefined): Promise<UserRow | undefined> {
    const user = await findUser(this.deps, t.pool, name);
    if (!t.hosted) await this.pw(next).checkSecretHashFor(t, user && user.username !== name ? [name, user.username] : [name], secretHash);
    return user;
  }

  private async useOnce(state: AuthState): Promise<void> {
    if (!(await this.deps.store.signIn.useOnce(state.id, state.expiresAt, this.deps.clock.now().getTime()))) throw invalidSession();
  }

  private pw(next: NextStep): PasswordSignIn {
    this.password ??= new PasswordSignIn(this.deps, next, this.hooks());
    return this.password;
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now().getTime() / 1000);
  }
}

function device(r: Record<string, string>): { deviceKey?: string } {
  return r.DEVICE_KEY === undefined || r.DEVICE_KEY === '' ? {} : { deviceKey: r.DEVICE_KEY };
}

function required(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw missingParameter(name);
  return v;
}
