import { jsonObject, subDoc, type PoolDoc } from './pool-config.js';

/**
 * Message texts and their placeholders. Defaults are the texts Cognito sends when a pool sets none
 * (AdminCreateUserConfig.InviteMessageTemplate and VerificationMessageTemplate in
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-message-customizations.html).
 */
export const DEFAULT_INVITE_SUBJECT = 'Your temporary password';
export const DEFAULT_INVITE_MESSAGE = 'Your username is {username} and temporary password is {####}. ';
export const DEFAULT_VERIFICATION_SUBJECT = 'Your verification code';
export const DEFAULT_VERIFICATION_MESSAGE = 'Your verification code is {####}. ';

export const CODE_PLACEHOLDER = '{####}';

export interface EmailText {
  subject: string;
  body: string;
}

/**
 * Fills `{username}` and `{####}` in one pass, so a value that itself contains a placeholder (a temporary
 * password chosen by an administrator, say) is never substituted again.
 */
export function renderTemplate(template: string, values: { username?: string; code: string }): string {
  return template.replace(/\{username\}|\{####\}/g, (p) => (p === CODE_PLACEHOLDER ? values.code : (values.username ?? p)));
}

const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);

/** The pool's invitation texts (AdminCreateUser), with Cognito's defaults for what it leaves out. */
export function invitationTemplates(doc: PoolDoc): { email: EmailText; sms: string } {
  const t = jsonObject(subDoc(doc, 'AdminCreateUserConfig').InviteMessageTemplate);
  return {
    email: { subject: text(t.EmailSubject, DEFAULT_INVITE_SUBJECT), body: text(t.EmailMessage, DEFAULT_INVITE_MESSAGE) },
    sms: text(t.SMSMessage, DEFAULT_INVITE_MESSAGE),
  };
}

/** The pool's verification-code texts (also used for password-reset codes), with Cognito's defaults. */
export function verificationTemplates(doc: PoolDoc): { email: EmailText; sms: string } {
  const t = subDoc(doc, 'VerificationMessageTemplate');
  return {
    email: {
      subject: text(t.EmailSubject ?? doc.EmailVerificationSubject, DEFAULT_VERIFICATION_SUBJECT),
      body: text(t.EmailMessage ?? doc.EmailVerificationMessage, DEFAULT_VERIFICATION_MESSAGE),
    },
    sms: text(t.SmsMessage ?? doc.SmsVerificationMessage, DEFAULT_VERIFICATION_MESSAGE),
  };
}
