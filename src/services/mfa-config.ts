import { poolTier } from '../domain/auth-factors.js';
import { CognitoError, invalidParameter } from '../domain/errors.js';
import type { Input, Json } from '../domain/input.js';
import { jsonObject, subDoc, type PoolDoc } from '../domain/pool-config.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { PoolService } from './pools.js';

/** The pool's MFA factors as SetUserPoolMfaConfig sets them; kept in the pool document under MfaFactors. */
export interface MfaConfig {
  MfaConfiguration: string;
  SmsMfaConfiguration?: { [k: string]: Json };
  SoftwareTokenMfaConfiguration: { Enabled: boolean };
  EmailMfaConfiguration?: { [k: string]: Json };
  WebAuthnConfiguration: { [k: string]: Json };
}

const FACTORS = 'MfaFactors';

/** Reads the MFA configuration of a pool document (also used by sign-in flows). */
export function mfaConfigOf(doc: PoolDoc): MfaConfig {
  const f = subDoc(doc, FACTORS);
  const sms = f.SmsMfa === true || (f.SmsMfa === undefined && doc.MfaConfiguration !== 'OFF' && doc.SmsConfiguration !== undefined);
  const email = jsonObject(f.EmailMfa);
  return {
    MfaConfiguration: typeof doc.MfaConfiguration === 'string' ? doc.MfaConfiguration : 'OFF',
    ...(sms
      ? {
          SmsMfaConfiguration: {
            ...(doc.SmsAuthenticationMessage !== undefined ? { SmsAuthenticationMessage: doc.SmsAuthenticationMessage } : {}),
            ...(doc.SmsConfiguration !== undefined ? { SmsConfiguration: doc.SmsConfiguration } : {}),
          },
        }
      : {}),
    SoftwareTokenMfaConfiguration: { Enabled: f.SoftwareTokenMfa === true },
    ...(f.EmailMfa !== undefined ? { EmailMfaConfiguration: email } : {}),
    WebAuthnConfiguration: { UserVerification: 'preferred', ...jsonObject(f.WebAuthn) },
  };
}

const upgrade = (what: string): CognitoError =>
  new CognitoError('FeatureUnavailableInTierException', `${what} is not available in the LITE feature plan. Upgrade the user pool to ESSENTIALS or PLUS.`);

/**
 * What the pool's feature plan and email settings must allow (API EmailMfaConfigType and WebAuthnConfigurationType:
 * "To activate this setting, your user pool must be in the Essentials tier or higher"):
 * - email MFA needs ESSENTIALS or PLUS, and email sent through Amazon SES: Cognito's own sender
 *   (EmailSendingAccount COGNITO_DEFAULT) cannot send MFA codes ("To enable email-based MFA, set email property
 *   to the Amazon SES email-sending configuration and set featurePlan to ESSENTIALS or PLUS", CDK
 *   MfaSecondFactor.email; hashicorp/terraform-provider-aws#41049 lists DEVELOPER as the prerequisite). The
 *   wording of the refusal is Tessera's: no public source quotes Cognito's;
 * - passkeys as a second factor (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION) need ESSENTIALS or PLUS.
 * Tessera sends through its own delivery either way; the check keeps configurations portable to Cognito.
 */
function checkPlanAndEmail(doc: PoolDoc, emailMfa: boolean, webAuthnFactor: string | undefined): void {
  const lite = poolTier(doc) === 'LITE';
  if (emailMfa && lite) throw upgrade('Email MFA');
  if (webAuthnFactor === 'MULTI_FACTOR_WITH_USER_VERIFICATION' && lite) throw upgrade('Passkey MFA');
  if (emailMfa && jsonObject(doc.EmailConfiguration).EmailSendingAccount !== 'DEVELOPER') {
    throw invalidParameter('Email MFA requires the user pool to send email with Amazon SES: set EmailConfiguration EmailSendingAccount to DEVELOPER.');
  }
}

/**
 * SetUserPoolMfaConfig / GetUserPoolMfaConfig. A factor left out of a Set call is turned off, as in
 * Cognito; MFA ON or OPTIONAL needs at least one factor, and OFF accepts none
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html).
 */
export class MfaConfigService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  async get(ctx: CallerContext, poolId: string): Promise<MfaConfig> {
    return mfaConfigOf((await this.pools.get(ctx, poolId)).doc);
  }

  async set(ctx: CallerContext, input: Input): Promise<MfaConfig> {
    const pool = await this.pools.get(ctx, input.str('UserPoolId'), true);
    const mode = input.optStr('MfaConfiguration') ?? (typeof pool.doc.MfaConfiguration === 'string' ? pool.doc.MfaConfiguration : 'OFF');
    const sms = input.optObj('SmsMfaConfiguration');
    const totp = input.optObj('SoftwareTokenMfaConfiguration')?.optBool('Enabled') === true;
    const email = input.optObj('EmailMfaConfiguration');
    const anyFactor = sms !== undefined || totp || email !== undefined;
    if (mode === 'OFF' && anyFactor) {
      throw invalidParameter("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
    }
    if (mode !== 'OFF' && !anyFactor) {
      throw invalidParameter("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
    }
    const doc: PoolDoc = { ...pool.doc, MfaConfiguration: mode };
    const smsConfig = sms?.json('SmsConfiguration');
    if (smsConfig !== undefined) doc.SmsConfiguration = smsConfig;
    const smsMessage = sms?.optStr('SmsAuthenticationMessage');
    if (smsMessage !== undefined) {
      if (!smsMessage.includes('{####}')) throw invalidParameter('SmsAuthenticationMessage must contain {####} placeholder.');
      doc.SmsAuthenticationMessage = smsMessage;
    }
    const emailJson = input.json('EmailMfaConfiguration');
    const emailMessage = email?.optStr('Message');
    if (emailMessage !== undefined && !emailMessage.includes('{####}')) {
      throw invalidParameter('EmailMfaConfiguration Message must contain {####} placeholder.');
    }
    const webAuthn = input.json('WebAuthnConfiguration');
    checkPlanAndEmail(pool.doc, email !== undefined, input.optObj('WebAuthnConfiguration')?.optStr('FactorConfiguration'));
    const previous = subDoc(pool.doc, FACTORS);
    doc[FACTORS] = {
      SmsMfa: sms !== undefined,
      SoftwareTokenMfa: totp,
      ...(emailJson !== undefined && emailJson !== null ? { EmailMfa: emailJson } : {}),
      ...(webAuthn !== undefined ? { WebAuthn: webAuthn } : previous.WebAuthn !== undefined ? { WebAuthn: previous.WebAuthn } : {}),
    };
    await this.pools.save(pool, pool.name, doc);
    return mfaConfigOf(doc);
  }
}
