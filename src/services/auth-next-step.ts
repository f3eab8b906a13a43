import { CognitoError, notAuthorized } from '../domain/errors.js';
import { passwordPolicyOf } from '../domain/pool-config.js';
import type { UserRow } from '../store/schema.js';
import { newPasswordChallenge } from './auth-new-password.js';
import { answerMetadata, type AuthOutcome, type NewDeviceMetadata, type SignInTarget } from './auth-outcome.js';
import type { AuthState, StateExtra } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { deviceSettingsOf } from './devices-records.js';
import type { TokenService } from './tokens.js';

/**
 * What happens after a first factor succeeded: the one place that decides between a further challenge and
 * tokens, in Cognito's order (DG "Authentication flow", amazon-cognito-user-pools-authentication-flow):
 *
 *   1. NEW_PASSWORD     a user created by an administrator answers NEW_PASSWORD_REQUIRED first
 *   2. RISK             threat protection may block, or ask for MFA (hook `risk`)
 *   3. MFA              MFA_SETUP / SELECT_MFA_TYPE / SMS_MFA / SOFTWARE_TOKEN_MFA / EMAIL_OTP (MfaStage), or
 *                       DEVICE_SRP_AUTH in place of an MFA code from a remembered device (hook `rememberedDevice`)
 *   4. TOKENS           hooks `beforeTokens` and `newDevice`, then the tokens
 *
 * Every first factor (password, SRP PASSWORD_VERIFIER, passwordless factors) calls `afterFirstFactor`.
 * A challenge answered later continues with `continueFrom(stage, step)` at the stage after its own, e.g.
 * NEW_PASSWORD_REQUIRED continues from 'RISK', a device proof from 'TOKENS', an MFA code from 'TOKENS'.
 *
 * A remembered device stands in for MFA only where MFA would be asked: "Remembered devices can only override
 * MFA in user pools with MFA active", and with ChallengeRequiredOnNewDevice "a remembered device can sign in
 * with device authentication instead of SMS and TOTP factors" (DG amazon-cognito-user-pools-device-tracking,
 * API DeviceConfigurationType). So a sign-in that needs no MFA gets its tokens without DEVICE_SRP_AUTH, and a
 * user who must first set MFA up (MFA_SETUP) has no factor a device could replace.
 */

/** The first factor that succeeded (as the passwordless flows name them). */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN' | 'CUSTOM';

export interface SignInStep {
  target: SignInTarget;
  user: UserRow;
  factor: FirstFactor;
  /** Epoch seconds of the first factor (auth_time of the tokens). */
  authTime: number;
  /** DEVICE_KEY the client sent, if any. */
  deviceKey?: string;
  /**
   * Failed sign-ins (wrong passwords, wrong MFA codes) are on record for the user: they are cleared when the
   * sign-in completes (tokens), not at the password, so wrong MFA codes add up to the lockout across
   * sign-ins (DG user-pool-settings-mfa: "After five unsuccessful attempts to present an MFA code, Amazon
   * Cognito begins the exponential-timeout lockout process").
   */
  hadFailures?: boolean;
  /**
   * The pre token generation trigger source when the tokens come right after NEW_PASSWORD_REQUIRED or a device's
   * DEVICE_PASSWORD_VERIFIER; otherwise TokenGeneration_Authentication (DG user-pool-lambda-pre-token-generation,
   * "trigger sources"). Never sealed into a later challenge's Session: a challenge answered after it ends as
   * _Authentication.
   */
  tokenSource?: 'TokenGeneration_NewPasswordChallenge' | 'TokenGeneration_AuthenticateDevice';
}

/** Threat protection's verdict on a sign-in; blocking is done by throwing from the hook. */
export interface RiskDecision {
  /** ALLOW: no change. MFA_IF_CONFIGURED: MFA when the user has a factor. MFA_REQUIRED: MFA even in an OPTIONAL pool. */
  action: 'ALLOW' | 'MFA_IF_CONFIGURED' | 'MFA_REQUIRED';
}

/** An answer to RespondToAuthChallenge / AdminRespondToAuthChallenge, for a challenge another area issues. */
export interface ChallengeAnswer {
  target: SignInTarget;
  challengeName: string;
  session: string | undefined;
  responses: Record<string, string>;
  /** To continue the sign-in after the answer was right (e.g. `next.continueFrom('TOKENS', step)`). */
  next: NextStep;
}

/** Answers a challenge it issued; undefined when the challenge (or its Session's kind) is not its own. */
export type ChallengeResponder = (answer: ChallengeAnswer) => Promise<AuthOutcome | undefined>;

/** Hooks other areas fill (wired in services.ts when AuthService is built). All optional. */
export interface SignInHooks {
  /** Passkeys: InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH (choice-based sign-in). */
  userAuth?(target: SignInTarget, params: Record<string, string>, next: NextStep): Promise<AuthOutcome>;
  /** RespondToAuthChallenge cases of other areas, asked in order after the built-in ones. */
  responders?: readonly ChallengeResponder[];
  /** Triggers: InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH (define/create/verify auth challenge). */
  customAuth?(target: SignInTarget, params: Record<string, string>, next: NextStep): Promise<AuthOutcome>;
  /** Triggers: PreAuthentication, once the user is found and before the password or SRP exchange starts. */
  beforeFirstFactor?(target: SignInTarget, user: UserRow): Promise<void>;
  /** Triggers: PreAuthentication (userNotFound) for a name nobody has, when the client hides users; same point. */
  beforeUnknownFirstFactor?(target: SignInTarget, username: string): Promise<void>;
  /**
   * Triggers: a right PASSWORD_VERIFIER whose SECRET_BLOCK CUSTOM_AUTH's SRP_A variant issued goes back to the
   * define auth challenge function; undefined for an ordinary SRP sign-in.
   */
  srpVerified?(target: SignInTarget, user: UserRow, state: AuthState, next: NextStep): Promise<AuthOutcome | undefined>;
  /** Triggers: UserMigration for a password sign-in naming nobody; the user it created, or undefined. */
  unknownUser?(target: SignInTarget, username: string, password: string): Promise<UserRow | undefined>;
  /**
   * Devices: a DEVICE_KEY sent with a first factor must be a device of this user (ResourceNotFoundException
   * "Device does not exist." otherwise). Called before the password is checked and before an SRP secret
   * block is used up, so that the client can resend the same answer without DEVICE_KEY.
   */
  checkDevice?(target: SignInTarget, user: UserRow, deviceKey: string): Promise<void>;
  /**
   * Threat protection: the right password of USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH, for the
   * compromised-credentials check (throws to refuse the sign-in).
   */
  passwordAccepted?(target: SignInTarget, user: UserRow, password: string): Promise<void>;
  /** Threat protection: a wrong MFA code (after it was counted); `NextStep.secondFactorFailed` calls it. */
  secondFactorFailed?(target: SignInTarget, user: UserRow): Promise<void>;
  /** Threat protection: a wrong password or SRP proof (after the lockout counted it). */
  firstFactorFailed?(target: SignInTarget, user: UserRow): Promise<void>;
  /**
   * Devices: DEVICE_SRP_AUTH in place of the MFA challenge this sign-in would get, when it comes from a
   * remembered device and the pool lets devices stand in for MFA; undefined to ask for MFA.
   */
  rememberedDevice?(step: SignInStep): Promise<AuthOutcome | undefined>;
  /** Threat protection: the risk decision for this sign-in; throw NotAuthorizedException to block it. */
  risk?(step: SignInStep): Promise<RiskDecision>;
  /** Right before tokens are issued (e.g. PostAuthentication trigger, recording the auth event). */
  beforeTokens?(step: SignInStep): Promise<void>;
  /** Devices: NewDeviceMetadata for the AuthenticationResult when the pool tracks this device. */
  newDevice?(step: SignInStep): Promise<NewDeviceMetadata | undefined>;
}

/** An MFA challenge decided on but not issued yet (issuing sends the SMS or email code). */
export interface PendingMfa {
  /** MFA_SETUP: the user has no factor yet. */
  setup: boolean;
  issue(): Promise<AuthOutcome>;
}

/** The MFA decision (services/auth-mfa.ts). */
export interface MfaStage {
  /** The MFA challenge this sign-in needs, or undefined for none; nothing is sent before `issue`. */
  challengeFor(step: SignInStep, risk: RiskDecision): Promise<PendingMfa | undefined>;
}

/** 'DEVICE' is the same as 'RISK' (the device stage moved into the MFA stage; kept for callers). */
export type Stage = 'NEW_PASSWORD' | 'DEVICE' | 'RISK' | 'TOKENS';

const DAY_MS = 86_400_000;
const ALLOW: RiskDecision = { action: 'ALLOW' };

/** What a challenge Session must carry for the sign-in to continue after it (see `stepExtra`/`stepOf`). */
export function stepExtra(step: SignInStep): StateExtra {
  return { f: step.factor, ...(step.deviceKey === undefined ? {} : { d: step.deviceKey }), ...(step.hadFailures ? { h: true } : {}) };
}

/** The step back from a Session's state: the user as read now, the first factor and device as sealed. */
export function stepOf(target: SignInTarget, user: UserRow, authTime: number, extra: StateExtra | undefined, deviceKey: string | undefined): SignInStep {
  const f = extra?.f;
  const factor: FirstFactor = f === 'PASSWORD' || f === 'EMAIL_OTP' || f === 'SMS_OTP' || f === 'WEB_AUTHN' || f === 'CUSTOM' ? f : 'PASSWORD_SRP';
  const sealedDevice = typeof extra?.d === 'string' ? extra.d : undefined;
  const device = deviceKey ?? sealedDevice;
  return { target, user, factor, authTime, ...(device === undefined ? {} : { deviceKey: device }), ...(extra?.h === true ? { hadFailures: true } : {}) };
}

export class NextStep {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tokens: TokenService,
    private readonly hooks: SignInHooks,
    private readonly mfa: MfaStage | undefined,
  ) {}

  /** A wrong second-factor code: the hooks hear of it (threat protection records it on the auth event). */
  async secondFactorFailed(target: SignInTarget, user: UserRow): Promise<void> {
    await this.hooks.secondFactorFailed?.(target, user);
  }

  /** After any first factor succeeded (the password or proof was right, the lockout cleared). */
  afterFirstFactor(step: SignInStep): Promise<AuthOutcome> {
    return this.continueFrom('NEW_PASSWORD', step);
  }

  async continueFrom(stage: Stage, given: SignInStep): Promise<AuthOutcome> {
    const step = this.withCheckedDevice(given);
    switch (stage) {
      case 'NEW_PASSWORD': {
        const challenge = this.newPassword(step);
        if (challenge) return challenge;
      }
      // falls through
      case 'DEVICE':
      case 'RISK': {
        const risk = (await this.hooks.risk?.(step)) ?? ALLOW;
        const mfa = await this.mfa?.challengeFor(step, risk);
        if (mfa) {
          const device = mfa.setup ? undefined : await this.hooks.rememberedDevice?.(step);
          return device ?? (await mfa.issue());
        }
      }
      // falls through
      case 'TOKENS':
        return this.issueTokens(step);
    }
  }

  /**
   * In a pool that does not track devices a DEVICE_KEY means nothing (Cognito ignores it): it is dropped, so
   * that no key a client made up reaches the tokens' device_key or the risk signals.
   */
  private withCheckedDevice(step: SignInStep): SignInStep {
    if (step.deviceKey === undefined || deviceSettingsOf(step.target.pool)) return step;
    const { deviceKey: _ignored, ...rest } = step;
    return rest;
  }

  /**
   * An unconfirmed user is told so; a user with a temporary password gets NEW_PASSWORD_REQUIRED while it is
   * valid (TemporaryPasswordValidityDays).
   */
  private newPassword(step: SignInStep): AuthOutcome | undefined {
    const { user, target } = step;
    if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.status !== 'FORCE_CHANGE_PASSWORD') return undefined;
    const validFor = passwordPolicyOf(target.pool.doc).TemporaryPasswordValidityDays * DAY_MS;
    if (this.deps.clock.now().getTime() >= (user.password_set_at ?? user.created_at) + validFor) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
    return { challenge: newPasswordChallenge(this.deps, target, user, step.authTime, stepExtra(step)) };
  }

  private async issueTokens(step: SignInStep): Promise<AuthOutcome> {
    await this.hooks.beforeTokens?.(step);
    if (step.hadFailures) await this.deps.store.signIn.clearFailures(step.user.id);
    const newDevice = await this.hooks.newDevice?.(step);
    // The token that comes with NewDeviceMetadata carries that new device's key (device_key claim).
    const deviceKey = newDevice?.DeviceKey ?? step.deviceKey;
    const clientMetadata = answerMetadata(step.target);
    const context = {
      authTime: step.authTime,
      ...(deviceKey === undefined ? {} : { deviceKey }),
      ...(step.tokenSource === undefined ? {} : { triggerSource: step.tokenSource }),
      ...(clientMetadata === undefined ? {} : { clientMetadata }),
      // A hosted sign-in's tokens are only read for the user and revoked (api/hosted/finish.ts): the trigger
      // runs once, as TokenGeneration_HostedAuth, when the OAuth tokens are issued.
      ...(step.target.hosted === true ? { preTokenGeneration: false as const } : {}),
    };
    const tokens = await this.tokens.issueForSignIn(step.target.pool, step.target.client, step.user, context);
    return newDevice ? { tokens, newDevice } : { tokens };
  }
}
