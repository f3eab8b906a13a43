import { incorrectCredentials, invalidSession, missingParameter } from '../domain/auth-flows.js';
import { CognitoError, invalidParameter, notAuthorized, userNotFound } from '../domain/errors.js';
import type { Json } from '../domain/input.js';
import type { UserRow } from '../store/schema.js';
import type { ChallengeAnswer, NextStep } from './auth-next-step.js';
import type { AuthOutcome, SignInTarget } from './auth-outcome.js';
import { startSrp } from './auth-srp.js';
import { challengeSession, openSession, openState, sealedOfSecretBlock, sealState, secretBlockOf, type AuthState } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { checkSecretHash } from './secret-hash.js';
import { eventAttributes, flag, hasTrigger, isRecord, optString, runTrigger, unrecognizable, type TriggerResponse } from './triggers.js';
import { findUser } from './user-lookup.js';

/** The Session kind of a custom challenge (auth-state.ts binds it into the seal). */
const KIND = 'CUSTOM_CHALLENGE';

/** One entry of the `session` array the challenge functions see: a challenge given and whether it was passed. */
interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

const hides = (t: SignInTarget): boolean => t.client.doc.PreventUserExistenceErrors === 'ENABLED';

/**
 * CUSTOM_AUTH (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html#amazon-cognito-user-pools-custom-authentication-flow):
 * the define auth challenge function decides, from the challenges so far, whether to issue tokens, fail, or
 * ask CUSTOM_CHALLENGE; create auth challenge makes the challenge (public parameters to the client, private
 * ones kept in the sealed Session, which also carries the history); verify auth challenge response judges an
 * answer, which joins the history before define decides again. Every answer gets a new Session (each works
 * once), so "three wrong answers end the sign-in" is the define function's rule, as in Cognito. The SRP_A
 * variant (AuthParameters SRP_A, CHALLENGE_NAME SRP_A) starts the history with SRP_A passed; when define
 * answers PASSWORD_VERIFIER the SRP exchange runs as in USER_SRP_AUTH, its SECRET_BLOCK carrying the history,
 * and a right proof goes back to define (`srpVerified`). Other challenge names from define are not supported
 * yet (InvalidLambdaResponseException).
 */
export class CustomAuth {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly preAuthentication: (t: SignInTarget, user: UserRow) => Promise<void>,
  ) {}

  /** InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH. */
  readonly initiate = async (t: SignInTarget, p: Record<string, string>, next: NextStep): Promise<AuthOutcome> => {
    if (!hasTrigger(t.pool, 'DefineAuthChallenge')) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const name = p.USERNAME;
    if (name === undefined || name === '') throw missingParameter('USERNAME');
    const user = await this.user(t, name, p.SECRET_HASH);
    if (!user) throw hides(t) ? incorrectCredentials() : userNotFound();
    checkEnabled(user);
    await this.preAuthentication(t, user);
    const authTime = Math.floor(this.deps.clock.now().getTime() / 1000);
    if (p.SRP_A === undefined) return this.decide(t, next, user, authTime, []);
    return this.decide(t, next, user, authTime, [{ challengeName: 'SRP_A', challengeResult: true }], { name, srpA: p.SRP_A });
  };

  /** The `srpVerified` hook: a right PASSWORD_VERIFIER of the SRP_A variant, back to define. */
  readonly srpVerified = async (t: SignInTarget, user: UserRow, state: AuthState, next: NextStep): Promise<AuthOutcome | undefined> => {
    const sealed = state.extra?.c;
    if (typeof sealed !== 'string') return undefined;
    const history = [...parseHistory(sealed), { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }];
    return this.decide(t, next, user, Math.floor(this.deps.clock.now().getTime() / 1000), history);
  };

  /** RespondToAuthChallenge / AdminRespondToAuthChallenge with CUSTOM_CHALLENGE; undefined for other challenges. */
  readonly responder = async (a: ChallengeAnswer): Promise<AuthOutcome | undefined> => {
    if (a.challengeName !== 'CUSTOM_CHALLENGE') return undefined;
    const t = a.target;
    const r = a.responses;
    const state = openSession(this.deps, t, KIND, a.session);
    const name = r.USERNAME;
    if (name === undefined || name === '') throw missingParameter('USERNAME');
    const user = await this.user(t, name, r.SECRET_HASH);
    if (!user || user.id !== state.sub) throw invalidSession();
    checkEnabled(user);
    const answer = r.ANSWER;
    if (answer === undefined) throw missingParameter('ANSWER');
    if (!(await this.deps.store.signIn.useOnce(state.id, state.expiresAt, this.deps.clock.now().getTime()))) throw invalidSession();
    const history = parseHistory(state.extra?.h);
    const meta = state.extra?.m;
    const verified = await runTrigger(this.deps, t.pool, 'VerifyAuthChallengeResponse', {
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      userName: user.username,
      clientId: t.client.id,
      request: {
        userAttributes: eventAttributes(user),
        privateChallengeParameters: parseMap(state.extra?.p),
        challengeAnswer: answer,
        clientMetadata: t.context?.clientMetadata,
        ...this.notFound(t),
      },
      response: { answerCorrect: null },
    });
    if (!verified) throw unrecognizable();
    const result: ChallengeResult = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: flag(verified, 'answerCorrect'), ...(typeof meta === 'string' ? { challengeMetadata: meta } : {}) };
    // RespondToAuthChallenge's ClientMetadata goes to define and create too; InitiateAuth's to neither.
    return this.decide(t, a.next, user, state.authTime, [...history, result], undefined, t.context?.clientMetadata);
  };

  /** Define auth challenge, then tokens, failure, or the next challenge made by create auth challenge. */
  private async decide(
    t: SignInTarget,
    next: NextStep,
    user: UserRow,
    authTime: number,
    history: ChallengeResult[],
    srp?: { name: string; srpA: string },
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<AuthOutcome> {
    const defined = await runTrigger(this.deps, t.pool, 'DefineAuthChallenge', {
      triggerSource: 'DefineAuthChallenge_Authentication',
      userName: user.username,
      clientId: t.client.id,
      request: { userAttributes: eventAttributes(user), session: sessionJson(history), clientMetadata: clientMetadata && { ...clientMetadata }, ...this.notFound(t) },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    if (!defined) throw unrecognizable();
    if (flag(defined, 'failAuthentication')) throw incorrectCredentials();
    if (flag(defined, 'issueTokens')) return next.afterFirstFactor({ target: t, user, factor: 'CUSTOM', authTime });
    const challengeName = optString(defined, 'challengeName');
    if (challengeName === 'PASSWORD_VERIFIER' && srp) return { challenge: { name: 'PASSWORD_VERIFIER', parameters: this.srpChallenge(t, user, srp, history) } };
    if (challengeName !== 'CUSTOM_CHALLENGE') throw unrecognizable();
    const created = await runTrigger(this.deps, t.pool, 'CreateAuthChallenge', {
      triggerSource: 'CreateAuthChallenge_Authentication',
      userName: user.username,
      clientId: t.client.id,
      request: {
        userAttributes: eventAttributes(user),
        challengeName: 'CUSTOM_CHALLENGE',
        session: sessionJson(history),
        clientMetadata: clientMetadata && { ...clientMetadata },
        ...this.notFound(t),
      },
      response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
    });
    if (!created) throw unrecognizable();
    const meta = optString(created, 'challengeMetadata');
    const extra = { h: JSON.stringify(history), p: JSON.stringify(stringMap(created, 'privateChallengeParameters')), ...(meta === undefined ? {} : { m: meta }) };
    const { session } = challengeSession(this.deps, t, KIND, user, authTime, extra);
    // Cognito adds USERNAME (the stored username) to the public parameters; the clients answer with it.
    return { challenge: { name: 'CUSTOM_CHALLENGE', session, parameters: { ...stringMap(created, 'publicChallengeParameters'), USERNAME: user.username } } };
  }

  /** USER_SRP_AUTH's PASSWORD_VERIFIER parameters, the SECRET_BLOCK re-sealed with the history in it. */
  private srpChallenge(t: SignInTarget, user: UserRow, srp: { name: string; srpA: string }, history: readonly ChallengeResult[]): Record<string, string> {
    const params = startSrp(this.deps, t, user, srp.name, srp.srpA);
    const state = openState(this.deps, 'PASSWORD_VERIFIER', sealedOfSecretBlock(params.SECRET_BLOCK ?? ''));
    if (!state) throw unrecognizable();
    const marked = { ...state, extra: { ...state.extra, c: JSON.stringify(history) } };
    return { ...params, SECRET_BLOCK: secretBlockOf(sealState(this.deps, marked)) };
  }

  private notFound(t: SignInTarget): { userNotFound?: boolean } {
    return hides(t) ? { userNotFound: false } : {};
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
}

function checkEnabled(user: UserRow): void {
  if (user.enabled !== 1) throw notAuthorized('User is disabled.');
  if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
}

function sessionJson(history: readonly ChallengeResult[]): Json {
  return history.map((h) => ({ challengeName: h.challengeName, challengeResult: h.challengeResult, ...(h.challengeMetadata === undefined ? {} : { challengeMetadata: h.challengeMetadata }) }));
}

/** A string map in a function's answer (public/private challenge parameters); numbers and booleans become text. */
function stringMap(r: TriggerResponse, member: string): Record<string, string> {
  const v = r[member];
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw unrecognizable();
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw unrecognizable();
  }
  return out;
}

function parseMap(sealed: string | number | boolean | undefined): Record<string, string> {
  const parsed: unknown = typeof sealed === 'string' ? JSON.parse(sealed) : {};
  return isRecord(parsed) ? stringMap({ map: parsed }, 'map') : {};
}

function parseHistory(sealed: string | number | boolean | undefined): ChallengeResult[] {
  const parsed: unknown = typeof sealed === 'string' ? JSON.parse(sealed) : [];
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((x: unknown): ChallengeResult[] => {
    if (!isRecord(x) || typeof x.challengeName !== 'string' || typeof x.challengeResult !== 'boolean') return [];
    return [{ challengeName: x.challengeName, challengeResult: x.challengeResult, ...(typeof x.challengeMetadata === 'string' ? { challengeMetadata: x.challengeMetadata } : {}) }];
  });
}
