import type { PoolDoc } from '../domain/pool-config.js';
import { parseAttributes, type AttributeMap } from '../domain/user-attributes.js';
import { randomString } from '../integrations/runtime.js';
import type { UserMfaRow } from '../store/repositories/user-mfa.js';
import type { MfaStage, PendingMfa, RiskDecision, SignInStep } from './auth-next-step.js';
import { stepExtra } from './auth-next-step.js';
import { answerMetadata, type AuthOutcome } from './auth-outcome.js';
import { challengeSession, type StateExtra } from './auth-state.js';
import type { ServiceDeps } from './context.js';
import { mfaConfigOf } from './mfa-config.js';
import { deliverCode } from './triggers-delivery.js';
import { maskDestination } from './user-codes.js';
import { enabledFactors, MFA_FACTORS, settingsOf, type MfaFactor } from './user-mfa-settings.js';

/**
 * The MFA step of sign-in (DG "Adding MFA to a user pool", user-pool-settings-mfa.html, and the
 * SetUserMFAPreference reference): which second factor a sign-in needs, and the challenge that asks for it.
 *
 * - Pool OFF: none. Pool OPTIONAL: the factors the user turned on; none turned on, no MFA (unless threat
 *   protection requires it). Pool ON: as OPTIONAL, and a user with none gets SMS_MFA when the pool sends SMS
 *   and the user has a phone number (Cognito's behaviour for required MFA), else EMAIL_OTP when the pool has
 *   email MFA and the user an email address, otherwise MFA_SETUP.
 * - A factor counts only while the pool offers it and the user can receive it (phone number, email address,
 *   verified software token).
 * - The preferred factor when it counts; else the only one; else SELECT_MFA_TYPE.
 * - Passwordless first factors (EMAIL_OTP, SMS_OTP, WEB_AUTHN) are not followed by MFA.
 */

/** Cognito's default SmsAuthenticationMessage and email MFA texts (when the pool sets none). */
const DEFAULT_SMS_MESSAGE = 'Your authentication code is {####}. ';
const DEFAULT_EMAIL_SUBJECT = 'Your authentication code';
const DEFAULT_EMAIL_MESSAGE = 'Your authentication code is {####}. ';
const SECOND_FACTOR_AFTER: ReadonlySet<string> = new Set(['PASSWORD', 'PASSWORD_SRP', 'CUSTOM']);

/** The factors the pool offers (SetUserPoolMfaConfig), in Cognito's order. */
export function poolFactors(doc: PoolDoc): MfaFactor[] {
  const cfg = mfaConfigOf(doc);
  return MFA_FACTORS.filter((f) =>
    f === 'SMS_MFA' ? cfg.SmsMfaConfiguration !== undefined : f === 'SOFTWARE_TOKEN_MFA' ? cfg.SoftwareTokenMfaConfiguration.Enabled : cfg.EmailMfaConfiguration !== undefined,
  );
}

function receivable(f: MfaFactor, attrs: AttributeMap, row: UserMfaRow | undefined): boolean {
  if (f === 'SMS_MFA') return Boolean(attrs.phone_number);
  if (f === 'EMAIL_OTP') return Boolean(attrs.email);
  return Boolean(row?.totp_secret_enc);
}

export class MfaChallenges implements MfaStage {
  constructor(private readonly deps: ServiceDeps) {}

  async challengeFor(step: SignInStep, risk: RiskDecision): Promise<PendingMfa | undefined> {
    if (!SECOND_FACTOR_AFTER.has(step.factor)) return undefined;
    const mode = mfaConfigOf(step.target.pool.doc).MfaConfiguration;
    if (mode === 'OFF') return undefined;
    const offered = poolFactors(step.target.pool.doc);
    const row = await this.deps.store.userMfa.find(step.user.id);
    const settings = settingsOf(row);
    const attrs = parseAttributes(step.user.attributes);
    const usable = enabledFactors(settings).filter((f) => offered.includes(f) && receivable(f, attrs, row));
    const code = (issue: () => Promise<AuthOutcome>): PendingMfa => ({ setup: false, issue });
    if (usable.length === 0) {
      if (mode !== 'ON' && risk.action !== 'MFA_REQUIRED') return undefined;
      // "To set up SMS or email MFA, collect a phone_number or email attribute for the user. Then restart the
      // authentication flow" (API RespondToAuthChallenge, MFA_SETUP): a user with one is sent the code.
      if (offered.includes('SMS_MFA') && attrs.phone_number) return code(() => this.challenge(step, 'SMS_MFA', attrs));
      if (offered.includes('EMAIL_OTP') && attrs.email) return code(() => this.challenge(step, 'EMAIL_OTP', attrs));
      return { setup: true, issue: () => Promise.resolve(this.setupChallenge(step, offered)) };
    }
    const preferred = usable.find((f) => f === settings.preferred);
    const only = usable.length === 1 ? usable[0] : undefined;
    const chosen = preferred ?? only;
    if (chosen) return code(() => this.challenge(step, chosen, attrs));
    return code(() => Promise.resolve(this.selectChallenge(step, usable)));
  }

  private selectChallenge(step: SignInStep, usable: readonly MfaFactor[]): AuthOutcome {
    const { session } = challengeSession(this.deps, step.target, 'SELECT_MFA_TYPE', step.user, step.authTime, { ...stepExtra(step), m: usable.join(' ') });
    return { challenge: { name: 'SELECT_MFA_TYPE', session, parameters: { MFAS_CAN_CHOOSE: JSON.stringify(usable), USER_ID_FOR_SRP: step.user.username } } };
  }

  /**
   * MFA_SETUP: MFAS_CAN_SETUP lists the factors the pool offers. The client sets up a software token with the
   * Session (AssociateSoftwareToken, VerifySoftwareToken, then MFA_SETUP with the verified Session), or, for
   * EMAIL_OTP, answers MFA_SETUP with this Session and EMAIL, and gets an EMAIL_OTP code at that address
   * (MfaAnswers.setupEmail; Amplify's confirmSignIn does exactly this, handleMFASetupChallenge).
   */
  private setupChallenge(step: SignInStep, offered: readonly MfaFactor[]): AuthOutcome {
    const { session } = challengeSession(this.deps, step.target, 'MFA_SETUP', step.user, step.authTime, stepExtra(step));
    return { challenge: { name: 'MFA_SETUP', session, parameters: { MFAS_CAN_SETUP: JSON.stringify(offered), USER_ID_FOR_SRP: step.user.username } } };
  }

  /**
   * SOFTWARE_TOKEN_MFA (the user's app makes the code), or SMS_MFA / EMAIL_OTP: a six-digit code is sent
   * through the outbox with the pool's template and sealed into the Session (never stored), so it is only
   * good for this Session and as long as it lives (AuthSessionValidity).
   */
  async challenge(step: SignInStep, factor: MfaFactor, attrs: AttributeMap = parseAttributes(step.user.attributes), extra: StateExtra = {}): Promise<AuthOutcome> {
    if (factor === 'SOFTWARE_TOKEN_MFA') {
      const { session } = challengeSession(this.deps, step.target, factor, step.user, step.authTime, stepExtra(step));
      return { challenge: { name: factor, session, parameters: {} } };
    }
    const code = randomString(this.deps.random, 6, '0123456789');
    const { session } = challengeSession(this.deps, step.target, factor, step.user, step.authTime, { ...stepExtra(step), ...extra, c: code });
    const email = factor === 'EMAIL_OTP';
    const destination = (email ? attrs.email : attrs.phone_number) ?? '';
    await this.send(step, email, destination, code);
    return {
      challenge: {
        name: factor,
        session,
        parameters: {
          CODE_DELIVERY_DELIVERY_MEDIUM: email ? 'EMAIL' : 'SMS',
          CODE_DELIVERY_DESTINATION: maskDestination(email ? 'email' : 'phone_number', destination),
        },
      },
    };
  }

  private async send(step: SignInStep, email: boolean, destination: string, code: string): Promise<void> {
    const cfg = mfaConfigOf(step.target.pool.doc);
    const sms = cfg.SmsMfaConfiguration?.SmsAuthenticationMessage;
    const emailCfg = cfg.EmailMfaConfiguration ?? {};
    const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);
    // Through the custom sender or the custom message trigger when the pool has one (CustomMessage_Authentication).
    await deliverCode(this.deps, step.target.pool, {
      cause: { source: 'Authentication', clientId: step.target.client.id, clientMetadata: answerMetadata(step.target) },
      user: step.user,
      channel: email ? 'EMAIL' : 'SMS',
      destination,
      text: email ? { subject: text(emailCfg.Subject, DEFAULT_EMAIL_SUBJECT), body: text(emailCfg.Message, DEFAULT_EMAIL_MESSAGE) } : { body: text(sms, DEFAULT_SMS_MESSAGE) },
      code,
      purpose: email ? 'EMAIL_MFA' : 'SMS_MFA',
    });
  }
}
