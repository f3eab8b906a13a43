import { incorrectCredentials, invalidSession, missingParameter, sessionExpired } from '../domain/auth-flows.js';
import { invalidParameter, userNotFound } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import type { ChallengeAnswer, NextStep } from './auth-next-step.js';
import { answerMetadata, type AuthOutcome, type SignInTarget } from './auth-outcome.js';
import { startSrp } from './auth-srp.js';
import { openState, sealedOfSecretBlock, sealState, secretBlockOf, sessionValidityMs, type AuthState, type StateExtra } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { checkSecretHash } from './secret-hash.js';
import { eventAttributes, flag, hasTrigger, optString, runTrigger, unrecognizable, type EventRequest } from './triggers.js';
import { sendCustomAuthSms, smsCodeMatches, SMS_KIND } from './triggers-custom-auth-sms.js';
import { checkEnabled, parseHistory, parseMap, sessionJson, stringMap, type ChallengeResult } from './triggers-custom-auth-state.js';
import { findUser } from './user-lookup.js';
import type { SignInTriggers } from './triggers-sign-in.js';

/** The Session kind of a custom challenge (auth-state.ts binds it into the seal). */
const KIND = 'CUSTOM_CHALLENGE';

/**
 * Who is signing in: a user, or (PreventUserExistenceErrors ENABLED) a name nobody has, for whom the functions
 * run with `userNotFound: true` so that they can present a challenge that looks like a real one
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html).
 */
type Subject = { user: UserRow; name: string } | { user: undefined; name: string };

const hides = (t: SignInTarget): boolean => t.client.doc.PreventUserExistenceErrors === 'ENABLED';
type Metadata = Readonly<Record<string, string>> | undefined;

/**
 * CUSTOM_AUTH (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html#amazon-cognito-user-pools-custom-authentication-flow):
 * the define auth challenge function decides, from the challenges so far, whether to issue tokens, fail, or
 * ask CUSTOM_CHALLENGE; create auth challenge makes the challenge (public parameters to the client, private
 * ones kept in the sealed Session, which also carries the history); verify auth challenge response judges an
 * answer, which joins the history before define decides again. Every answer gets a new Session (each works
 * once), so "three wrong answers end the sign-in" is the define function's rule, as in Cognito. The SRP_A
 * variant (AuthParameters SRP_A, CHALLENGE_NAME SRP_A) starts the history with SRP_A passed; when define
 * answers PASSWORD_VERIFIER the SRP exchange runs as in USER_SRP_AUTH, its SECRET_BLOCK carrying the history,
 * and a right proof goes back to define (`srpVerified`). Define may also answer SMS_MFA (a code to the
 * user's phone, its verdict back to define: triggers-custom-auth-sms.ts); any other challenge name, or
 * PASSWORD_VERIFIER without SRP_A, is an answer Cognito cannot act on: InvalidLambdaResponseException.
 */
export class CustomAuth {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly preAuth: Pick<SignInTriggers, 'preAuthentication' | 'preAuthenticationUnknown'>,
  ) {}

  /** InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH. */
  readonly initiate = async (t: SignInTarget, p: Record<string, string>, next: NextStep): Promise<AuthOutcome> => {
    if (!hasTrigger(t.pool, 'DefineAuthChallenge')) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const name = p.USERNAME;
    if (name === undefined || name === '') throw missingParameter('USERNAME');
    const user = await this.user(t, name, p.SECRET_HASH);
    if (!user && !hides(t)) throw userNotFound();
    if (user) {
      checkEnabled(user);
      await this.preAuth.preAuthentication(t, user);
    } else await this.preAuth.preAuthenticationUnknown(t, name);
    const subject: Subject = user ? { user, name: user.username } : { user: undefined, name };
    const authTime = this.nowSeconds();
    if (p.SRP_A === undefined) return this.decide(t, next, subject, authTime, []);
    return this.decide(t, next, subject, authTime, [{ challengeName: 'SRP_A', challengeResult: true }], undefined, p.SRP_A);
  };

  /** The `srpVerified` hook: a right PASSWORD_VERIFIER of the SRP_A variant, back to define. */
  readonly srpVerified = async (t: SignInTarget, user: UserRow, state: AuthState, next: NextStep): Promise<AuthOutcome | undefined> => {
    const sealed = state.extra?.c;
    if (typeof sealed !== 'string') return undefined;
    const history = [...parseHistory(sealed), { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }];
    // The PASSWORD_VERIFIER answer is a RespondToAuthChallenge: its ClientMetadata goes to define.
    return this.decide(t, next, { user, name: user.username }, this.nowSeconds(), history, answerMetadata(t));
  };

  /** RespondToAuthChallenge / AdminRespondToAuthChallenge with CUSTOM_CHALLENGE; undefined for other challenges. */
  readonly responder = async (a: ChallengeAnswer): Promise<AuthOutcome | undefined> => {
    if (a.challengeName === 'SMS_MFA') return this.answerSms(a);
    if (a.challengeName !== 'CUSTOM_CHALLENGE') return undefined;
    const { target: t, responses: r } = a;
    const state = this.openSession(t, a.session);
    const name = r.USERNAME;
    if (name === undefined || name === '') throw missingParameter('USERNAME');
    const subject = await this.subjectOf(t, state, name, r.SECRET_HASH);
    const answer = r.ANSWER;
    if (answer === undefined) throw missingParameter('ANSWER');
    if (!(await this.deps.store.signIn.useOnce(state.id, state.expiresAt, this.deps.clock.now().getTime()))) throw invalidSession();
    const verified = await runTrigger(this.deps, t.pool, 'VerifyAuthChallengeResponse', {
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      ...this.about(t, subject, answerMetadata(t), { privateChallengeParameters: parseMap(state.extra?.p), challengeAnswer: answer }),
      response: { answerCorrect: null },
    });
    if (!verified) throw unrecognizable();
    const meta = state.extra?.m;
    const result: ChallengeResult = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: flag(verified, 'answerCorrect'), ...(typeof meta === 'string' ? { challengeMetadata: meta } : {}) };
    // RespondToAuthChallenge's ClientMetadata goes to define and create too; InitiateAuth's to neither.
    return this.decide(t, a.next, subject, state.authTime ?? this.nowSeconds(), [...parseHistory(state.extra?.h), result], answerMetadata(t));
  };

  /** Define auth challenge, then tokens, failure, or the next challenge made by create auth challenge. */
  private async decide(t: SignInTarget, next: NextStep, s: Subject, authTime: number, history: ChallengeResult[], metadata?: Metadata, srpA?: string): Promise<AuthOutcome> {
    const defined = await runTrigger(this.deps, t.pool, 'DefineAuthChallenge', {
      triggerSource: 'DefineAuthChallenge_Authentication',
      ...this.about(t, s, metadata, { session: sessionJson(history) }),
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    if (!defined) throw unrecognizable();
    if (flag(defined, 'failAuthentication')) throw incorrectCredentials();
    if (flag(defined, 'issueTokens')) {
      // Nobody to issue tokens to: the answer a wrong password gets.
      if (!s.user) throw incorrectCredentials();
      return next.afterFirstFactor({ target: t, user: s.user, factor: 'CUSTOM', authTime });
    }
    const challengeName = optString(defined, 'challengeName');
    if (challengeName === 'PASSWORD_VERIFIER' && srpA !== undefined) return { challenge: { name: 'PASSWORD_VERIFIER', parameters: this.srpChallenge(t, s, srpA, history) } };
    if (challengeName === 'SMS_MFA') return this.smsChallenge(t, s, authTime, history);
    if (challengeName !== 'CUSTOM_CHALLENGE') throw unrecognizable();
    const created = await runTrigger(this.deps, t.pool, 'CreateAuthChallenge', {
      triggerSource: 'CreateAuthChallenge_Authentication',
      ...this.about(t, s, metadata, { challengeName: 'CUSTOM_CHALLENGE', session: sessionJson(history) }),
      response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
    });
    if (!created) throw unrecognizable();
    const meta = optString(created, 'challengeMetadata');
    const extra = { h: JSON.stringify(history), p: JSON.stringify(stringMap(created, 'privateChallengeParameters')), ...(meta === undefined ? {} : { m: meta }) };
    const session = this.seal(t, s, authTime, extra);
    // Cognito adds USERNAME (the stored username) to the public parameters; the clients answer with it.
    return { challenge: { name: 'CUSTOM_CHALLENGE', session, parameters: { ...stringMap(created, 'publicChallengeParameters'), USERNAME: s.name } } };
  }

  /** SMS_MFA from define: a code to the user's phone, sealed with the history into a Session of its own kind. */
  private async smsChallenge(t: SignInTarget, s: Subject, authTime: number, history: ChallengeResult[]): Promise<AuthOutcome> {
    // Nobody to send a code to (PreventUserExistenceErrors): the answer a wrong password gets.
    if (!s.user) throw incorrectCredentials();
    const { code, parameters } = await sendCustomAuthSms(this.deps, t, s.user);
    const session = this.seal(t, s, authTime, { h: JSON.stringify(history), c: code }, SMS_KIND);
    return { challenge: { name: 'SMS_MFA', session, parameters: { ...parameters, USERNAME: s.name } } };
  }

  /** The answer to define's SMS_MFA: right or wrong, the verdict joins the history and define decides again. */
  private async answerSms(a: ChallengeAnswer): Promise<AuthOutcome | undefined> {
    const { target: t, responses: r } = a;
    // An SMS_MFA Session of the MFA stage is not this one (the MFA answer handles those first).
    if (a.session === undefined || !openState(this.deps, SMS_KIND, a.session)) return undefined;
    const state = this.openSession(t, a.session, SMS_KIND);
    const name = r.USERNAME;
    if (name === undefined || name === '') throw missingParameter('USERNAME');
    const subject = await this.subjectOf(t, state, name, r.SECRET_HASH);
    const answer = r.SMS_MFA_CODE;
    if (answer === undefined) throw missingParameter('SMS_MFA_CODE');
    if (!(await this.deps.store.signIn.useOnce(state.id, state.expiresAt, this.deps.clock.now().getTime()))) throw invalidSession();
    const result: ChallengeResult = { challengeName: 'SMS_MFA', challengeResult: smsCodeMatches(state.extra?.c, answer) };
    return this.decide(t, a.next, subject, state.authTime ?? this.nowSeconds(), [...parseHistory(state.extra?.h), result], answerMetadata(t));
  }

  /** The envelope members every challenge event shares, then the trigger's own request members. */
  private about(t: SignInTarget, s: Subject, metadata: Metadata, request: EventRequest): { userName: string; clientId: string; request: EventRequest } {
    return {
      userName: s.name,
      clientId: t.client.id,
      request: {
        userAttributes: s.user ? eventAttributes(s.user) : {},
        ...request,
        clientMetadata: metadata && { ...metadata },
        ...(hides(t) ? { userNotFound: s.user === undefined } : {}),
      },
    };
  }

  /** A sealed, single-use Session naming the user (or, for a stand-in, no sub and the name as given). */
  private seal(t: SignInTarget, s: Subject, authTime: number, extra: StateExtra, kind = KIND): string {
    const now = this.deps.clock.now().getTime();
    const base = { kind, id: this.deps.random.uuid(), poolId: t.pool.id, clientId: t.client.id, expiresAt: now + sessionValidityMs(t), authTime, extra };
    return sealState(this.deps, { ...base, sub: s.user ? s.user.id : null, username: s.name });
  }

  private openSession(t: SignInTarget, session: string | undefined, kind = KIND): AuthState {
    if (session === undefined) throw missingParameter('Session');
    const state = openState(this.deps, kind, session);
    if (!state || state.poolId !== t.pool.id || state.clientId !== t.client.id) throw invalidSession();
    if (this.deps.clock.now().getTime() >= state.expiresAt) throw sessionExpired();
    return state;
  }

  /** The Session's user as it is now (refused when gone or disabled), or the stand-in the Session was for. */
  private async subjectOf(t: SignInTarget, state: AuthState, name: string, secretHash: string | undefined): Promise<Subject> {
    const user = await this.user(t, name, secretHash);
    if (state.sub === null) {
      if (name !== state.username) throw invalidSession();
      return { user: undefined, name };
    }
    if (!user || user.id !== state.sub) throw invalidSession();
    checkEnabled(user);
    return { user, name: user.username };
  }

  /** USER_SRP_AUTH's PASSWORD_VERIFIER parameters, the SECRET_BLOCK re-sealed with the history in it. */
  private srpChallenge(t: SignInTarget, s: Subject, srpA: string, history: readonly ChallengeResult[]): Record<string, string> {
    const params = startSrp(this.deps, t, s.user, s.name, srpA);
    const state = openState(this.deps, 'PASSWORD_VERIFIER', sealedOfSecretBlock(params.SECRET_BLOCK ?? ''));
    if (!state) throw unrecognizable();
    const marked = { ...state, extra: { ...state.extra, c: JSON.stringify(history) } };
    return { ...params, SECRET_BLOCK: secretBlockOf(sealState(this.deps, marked)) };
  }

  /** The named user, once SECRET_HASH is right for the name as sent or the stored username. */
  private async user(t: SignInTarget, name: string, secretHash: string | undefined): Promise<UserRow | undefined> {
    const user = await findUser(this.deps, t.pool, name);
    if (t.hosted) return user;
    const names = user && user.username !== name ? [name, user.username] : [name];
    let first: unknown;
    for (const n of names) {
      try {
        await checkSecretHash(this.deps, t.client, n, secretHash, { source: 'SECRET_HASH' });
        return user;
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  }

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now().getTime() / 1000);
  }
}
