import { validateSignInPolicy } from './auth-factors.js';
import { CognitoError, invalidParameter } from './errors.js';
import type { Input, Json } from './input.js';
import { STANDARD_ATTRIBUTES, STANDARD_NAMES, type SchemaAttribute } from './schema-attributes.js';

/**
 * A user pool's configuration as stored: the UserPoolType members that describe settings (not ids, dates or
 * counts), in the wire's own shape. Defaults follow what CreateUserPool answers when a member is omitted.
 */
export type PoolDoc = { [member: string]: Json };

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  PasswordHistorySize?: number;
  TemporaryPasswordValidityDays: number;
}

/** Members fixed at creation: they are not in UpdateUserPoolRequest and UpdateUserPool keeps them. */
export const IMMUTABLE_MEMBERS = ['SchemaAttributes', 'AliasAttributes', 'UsernameAttributes', 'UsernameConfiguration', 'KeyConfiguration'] as const;

/** Settings owned by other operations (SetUserPoolMfaConfig), which UpdateUserPool leaves alone. */
const KEPT_BY_UPDATE = ['MfaFactors'] as const;

/** Members UpdateUserPool resets to their default when omitted (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html). */
const SETTINGS_MEMBERS = [
  'Policies',
  'DeletionProtection',
  'LambdaConfig',
  'AutoVerifiedAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'MfaConfiguration',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'AdminCreateUserConfig',
  'UserPoolAddOns',
  'AccountRecoverySetting',
  'UserPoolTier',
  'IssuerConfiguration',
] as const;

const DEFAULT_PASSWORD_POLICY = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

function withDefaults(input: Input): PoolDoc {
  const doc: PoolDoc = {};
  for (const m of SETTINGS_MEMBERS) {
    const v = input.json(m);
    if (v !== undefined && v !== null) doc[m] = v;
  }
  const policies = input.optObj('Policies');
  const pw = policies?.optObj('PasswordPolicy');
  const passwordPolicy: { [k: string]: Json } = { ...DEFAULT_PASSWORD_POLICY };
  if (pw) {
    // An explicitly given PasswordPolicy replaces the default flags; missing booleans mean false.
    passwordPolicy.MinimumLength = pw.optNum('MinimumLength') ?? 8;
    for (const k of ['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols']) passwordPolicy[k] = pw.optBool(k) ?? false;
    const history = pw.optNum('PasswordHistorySize');
    if (history !== undefined) passwordPolicy.PasswordHistorySize = history;
    const tmp = pw.optNum('TemporaryPasswordValidityDays');
    passwordPolicy.TemporaryPasswordValidityDays = tmp === undefined || tmp === 0 ? 7 : tmp;
  }
  doc.Policies = {
    PasswordPolicy: passwordPolicy,
    SignInPolicy: policies?.json('SignInPolicy') ?? { AllowedFirstAuthFactors: ['PASSWORD'] },
  };
  doc.DeletionProtection ??= 'INACTIVE';
  doc.LambdaConfig ??= {};
  doc.MfaConfiguration ??= 'OFF';
  doc.UserPoolTier ??= 'ESSENTIALS';
  doc.EmailConfiguration ??= { EmailSendingAccount: 'COGNITO_DEFAULT' };
  doc.UserAttributeUpdateSettings ??= { AttributesRequireVerificationBeforeUpdate: [] };
  const acu = input.optObj('AdminCreateUserConfig');
  doc.AdminCreateUserConfig = {
    AllowAdminCreateUserOnly: acu?.optBool('AllowAdminCreateUserOnly') ?? false,
    UnusedAccountValidityDays: acu?.optNum('UnusedAccountValidityDays') ?? 7,
    ...(acu?.has('InviteMessageTemplate') ? { InviteMessageTemplate: acu.json('InviteMessageTemplate') ?? null } : {}),
  };
  const vmt = input.optObj('VerificationMessageTemplate');
  doc.VerificationMessageTemplate = {
    ...jsonObject(input.json('VerificationMessageTemplate')),
    DefaultEmailOption: vmt?.optStr('DefaultEmailOption') ?? 'CONFIRM_WITH_CODE',
  };
  // Legacy top-level messages mirror the template (Cognito keeps both in step).
  const emailMsg = input.optStr('EmailVerificationMessage') ?? vmt?.optStr('EmailMessage');
  const emailSubj = input.optStr('EmailVerificationSubject') ?? vmt?.optStr('EmailSubject');
  const smsMsg = input.optStr('SmsVerificationMessage') ?? vmt?.optStr('SmsMessage');
  if (emailMsg !== undefined) doc.EmailVerificationMessage = emailMsg;
  if (emailSubj !== undefined) doc.EmailVerificationSubject = emailSubj;
  if (smsMsg !== undefined) doc.SmsVerificationMessage = smsMsg;
  return doc;
}

export function newPoolDoc(input: Input): PoolDoc {
  const aliases = input.optStrList('AliasAttributes');
  const usernames = input.optStrList('UsernameAttributes');
  if (aliases && aliases.length > 0 && usernames && usernames.length > 0) {
    throw invalidParameter('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
  }
  const doc = withDefaults(input);
  if (aliases) doc.AliasAttributes = aliases;
  if (usernames) doc.UsernameAttributes = usernames;
  const uc = input.optObj('UsernameConfiguration');
  if (uc) doc.UsernameConfiguration = { CaseSensitive: uc.optBool('CaseSensitive') ?? true };
  doc.SchemaAttributes = buildSchema(input.objList('Schema')).map(toJsonAttr);
  const tags = input.optStrMap('UserPoolTags');
  doc.UserPoolTags = tags ?? {};
  const key = input.json('KeyConfiguration');
  if (key !== undefined) doc.KeyConfiguration = key;
  validateMessages(doc);
  validateMfa(doc, false);
  validateSignInPolicy(doc);
  return doc;
}

/** UpdateUserPool: settings are replaced (omitted ones reset to defaults), creation-time members kept. */
export function updatedPoolDoc(current: PoolDoc, input: Input): PoolDoc {
  const doc = withDefaults(input);
  for (const m of [...IMMUTABLE_MEMBERS, ...KEPT_BY_UPDATE]) if (current[m] !== undefined) doc[m] = current[m] ?? null;
  const tags = input.optStrMap('UserPoolTags');
  doc.UserPoolTags = tags ?? current.UserPoolTags ?? {};
  validateMessages(doc);
  validateMfa(doc, jsonObject(current.MfaFactors).SoftwareTokenMfa === true);
  validateSignInPolicy(doc);
  return doc;
}

/**
 * MFA ON or OPTIONAL through CreateUserPool/UpdateUserPool means SMS MFA, which needs an SMS configuration
 * and phone numbers auto-verified; a pool whose TOTP factor SetUserPoolMfaConfig already enabled is exempt.
 * (Cognito's answer, e.g. aws/aws-cdk#12075.)
 */
function validateMfa(doc: PoolDoc, totpEnabled: boolean): void {
  if (doc.MfaConfiguration === 'OFF' || doc.MfaConfiguration === undefined || totpEnabled) return;
  if (doc.SmsConfiguration === undefined || !strList(doc, 'AutoVerifiedAttributes').includes('phone_number')) {
    throw invalidParameter('SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
  }
}

function validateMessages(doc: PoolDoc): void {
  const need = (text: Json | undefined, member: string, placeholder: string) => {
    if (typeof text === 'string' && !text.includes(placeholder)) {
      throw invalidParameter(`${member} must contain ${placeholder} placeholder.`);
    }
  };
  need(doc.EmailVerificationMessage, 'EmailVerificationMessage', '{####}');
  need(doc.SmsVerificationMessage, 'SmsVerificationMessage', '{####}');
}

function toJsonAttr(a: SchemaAttribute): Json {
  const out: { [k: string]: Json } = {
    Name: a.Name,
    AttributeDataType: a.AttributeDataType,
    DeveloperOnlyAttribute: a.DeveloperOnlyAttribute,
    Mutable: a.Mutable,
    Required: a.Required,
  };
  if (a.StringAttributeConstraints) out.StringAttributeConstraints = { ...a.StringAttributeConstraints };
  if (a.NumberAttributeConstraints) out.NumberAttributeConstraints = { ...a.NumberAttributeConstraints };
  return out;
}

const MAX_CUSTOM_ATTRIBUTES = 50;

/** Standard attributes with the overrides `Schema` asks for, plus the custom ones it defines. */
export function buildSchema(requested: readonly Input[], existing: readonly SchemaAttribute[] = STANDARD_ATTRIBUTES): SchemaAttribute[] {
  const out = existing.map((a) => ({ ...a }));
  for (const r of requested) {
    const name = r.optStr('Name');
    if (name === undefined) throw invalidParameter('Name of schema attribute is required.');
    const std = out.find((a) => a.Name === name && STANDARD_NAMES.has(name));
    if (std) {
      const type = r.optStr('AttributeDataType');
      if (type !== undefined && type !== std.AttributeDataType) throw invalidParameter(`${name}: Cannot modify the data type of a standard attribute.`);
      if (r.optBool('Required') !== undefined) std.Required = r.optBool('Required') ?? false;
      if (r.optBool('Mutable') !== undefined) std.Mutable = r.optBool('Mutable') ?? true;
      if (name === 'sub') throw invalidParameter('sub: Cannot modify the standard attribute sub.');
      continue;
    }
    out.push(customAttribute(r, name, out));
  }
  const customs = out.filter((a) => !STANDARD_NAMES.has(a.Name)).length;
  if (customs > MAX_CUSTOM_ATTRIBUTES) {
    throw new CognitoError('LimitExceededException', `A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
  return out;
}

function customAttribute(r: Input, name: string, existing: readonly SchemaAttribute[]): SchemaAttribute {
  const devOnly = r.optBool('DeveloperOnlyAttribute') ?? false;
  const full = devOnly ? `dev:custom:${name}` : `custom:${name}`;
  if (existing.some((a) => a.Name === full || a.Name === `custom:${name}` || a.Name === `dev:custom:${name}`)) {
    throw invalidParameter(`Existing attribute already has name ${full}.`);
  }
  if (r.optBool('Required') === true) throw invalidParameter('Required custom attributes are not supported currently.');
  const type = r.optStr('AttributeDataType') ?? 'String';
  if (type !== 'String' && type !== 'Number' && type !== 'DateTime' && type !== 'Boolean') {
    throw invalidParameter(`Invalid AttributeDataType input, consider using the provided AttributeDataType enum.`);
  }
  const attr: SchemaAttribute = {
    Name: full,
    AttributeDataType: type,
    DeveloperOnlyAttribute: devOnly,
    Mutable: r.optBool('Mutable') ?? true,
    Required: false,
  };
  const sc = r.optObj('StringAttributeConstraints');
  const nc = r.optObj('NumberAttributeConstraints');
  if (type === 'String') {
    attr.StringAttributeConstraints = {};
    const min = sc?.optStr('MinLength');
    const max = sc?.optStr('MaxLength');
    if (min !== undefined) attr.StringAttributeConstraints.MinLength = min;
    if (max !== undefined) attr.StringAttributeConstraints.MaxLength = max;
    if (max !== undefined && Number(max) > 2048) throw invalidParameter(`${full}: Max length cannot be greater than 2048.`);
    if (min !== undefined && max !== undefined && Number(min) > Number(max)) throw invalidParameter(`${full}: Min length cannot be greater than max length.`);
  }
  if (type === 'Number') {
    attr.NumberAttributeConstraints = {};
    const min = nc?.optStr('MinValue');
    const max = nc?.optStr('MaxValue');
    if (min !== undefined) attr.NumberAttributeConstraints.MinValue = min;
    if (max !== undefined) attr.NumberAttributeConstraints.MaxValue = max;
    if (min !== undefined && max !== undefined && Number(min) > Number(max)) throw invalidParameter(`${full}: Min value cannot be greater than max value.`);
  }
  return attr;
}

/** Typed view of the schema stored in a PoolDoc. */
export function schemaOf(doc: PoolDoc): SchemaAttribute[] {
  const raw = doc.SchemaAttributes;
  if (!Array.isArray(raw)) return STANDARD_ATTRIBUTES.map((a) => ({ ...a }));
  const out: SchemaAttribute[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const type = item.AttributeDataType;
    const name = item.Name;
    if (typeof name !== 'string' || (type !== 'String' && type !== 'Number' && type !== 'DateTime' && type !== 'Boolean')) continue;
    const a: SchemaAttribute = {
      Name: name,
      AttributeDataType: type,
      DeveloperOnlyAttribute: item.DeveloperOnlyAttribute === true,
      Mutable: item.Mutable !== false,
      Required: item.Required === true,
    };
    const sc = item.StringAttributeConstraints;
    if (typeof sc === 'object' && sc !== null && !Array.isArray(sc)) {
      a.StringAttributeConstraints = {};
      if (typeof sc.MinLength === 'string') a.StringAttributeConstraints.MinLength = sc.MinLength;
      if (typeof sc.MaxLength === 'string') a.StringAttributeConstraints.MaxLength = sc.MaxLength;
    }
    const nc = item.NumberAttributeConstraints;
    if (typeof nc === 'object' && nc !== null && !Array.isArray(nc)) {
      a.NumberAttributeConstraints = {};
      if (typeof nc.MinValue === 'string') a.NumberAttributeConstraints.MinValue = nc.MinValue;
      if (typeof nc.MaxValue === 'string') a.NumberAttributeConstraints.MaxValue = nc.MaxValue;
    }
    out.push(a);
  }
  return out;
}

export function setSchema(doc: PoolDoc, schema: readonly SchemaAttribute[]): PoolDoc {
  return { ...doc, SchemaAttributes: schema.map(toJsonAttr) };
}

export function passwordPolicyOf(doc: PoolDoc): PasswordPolicy {
  const p = doc.Policies;
  const pw = typeof p === 'object' && p !== null && !Array.isArray(p) ? p.PasswordPolicy : undefined;
  const get = (k: string): Json | undefined => (typeof pw === 'object' && pw !== null && !Array.isArray(pw) ? pw[k] : undefined);
  const num = (k: string, d: number) => (typeof get(k) === 'number' ? Number(get(k)) : d);
  const flag = (k: string) => get(k) === true;
  const history = get('PasswordHistorySize');
  return {
    MinimumLength: num('MinimumLength', 8),
    RequireUppercase: flag('RequireUppercase'),
    RequireLowercase: flag('RequireLowercase'),
    RequireNumbers: flag('RequireNumbers'),
    RequireSymbols: flag('RequireSymbols'),
    ...(typeof history === 'number' ? { PasswordHistorySize: history } : {}),
    TemporaryPasswordValidityDays: num('TemporaryPasswordValidityDays', 7) || 7,
  };
}

export function strList(doc: PoolDoc, member: string): string[] {
  const v = doc[member];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function jsonObject(v: Json | undefined): { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}

export function subDoc(doc: PoolDoc, member: string): { [k: string]: Json } {
  return jsonObject(doc[member]);
}

/** Whether usernames (and aliases) compare case-insensitively; pools without UsernameConfiguration are case-sensitive. */
export function caseInsensitive(doc: PoolDoc): boolean {
  return subDoc(doc, 'UsernameConfiguration').CaseSensitive === false;
}
