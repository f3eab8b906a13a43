import { BlockList, isIP } from 'node:net';
import { CognitoError, invalidParameter } from './errors.js';
import type { Input, Json } from './input.js';

/**
 * Threat protection settings (RiskConfigurationType) and the rules around them. The stored document is the
 * wire shape of the three configuration members as SetRiskConfiguration accepted them; the typed view
 * below is what sign-in, sign-up and password changes act on.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetRiskConfiguration.html
 */
export const RISK_MEMBERS = ['CompromisedCredentialsRiskConfiguration', 'AccountTakeoverRiskConfiguration', 'RiskExceptionConfiguration'] as const;

export type RiskDoc = { [member: string]: Json };

export type TakeoverAction = 'BLOCK' | 'MFA_IF_CONFIGURED' | 'MFA_REQUIRED' | 'NO_ACTION';
export type RiskLevel = 'Low' | 'Medium' | 'High';
export type CompromisedEvent = 'SIGN_IN' | 'PASSWORD_CHANGE' | 'SIGN_UP';

export interface LevelAction {
  action: TakeoverAction;
  notify: boolean;
}

export interface NotifyEmail {
  subject: string;
  html?: string;
  text?: string;
}

export interface NotifySettings {
  from?: string;
  replyTo?: string;
  block?: NotifyEmail;
  noAction?: NotifyEmail;
  mfa?: NotifyEmail;
}

export interface RiskSettings {
  /** Events checked against the breached-password list, and whether a hit is refused; absent: not checked. */
  compromised?: { events: ReadonlySet<CompromisedEvent>; block: boolean };
  takeover: Record<RiskLevel, LevelAction>;
  notify?: NotifySettings;
  blocked: BlockList;
  skipped: BlockList;
}

/** The pool's threat-protection mode: OFF (the default), AUDIT (decide and record only) or ENFORCED. */
export type SecurityMode = 'OFF' | 'AUDIT' | 'ENFORCED';

export function securityModeOf(poolDoc: { [member: string]: Json }): SecurityMode {
  const addOns = poolDoc.UserPoolAddOns;
  if (typeof addOns !== 'object' || addOns === null || Array.isArray(addOns)) return 'OFF';
  const mode = addOns.AdvancedSecurityMode;
  return mode === 'AUDIT' || mode === 'ENFORCED' ? mode : 'OFF';
}

/**
 * The operations of threat protection refuse pools without it (UserPoolAddOns.AdvancedSecurityMode AUDIT or
 * ENFORCED; the model lists UserPoolAddOnNotEnabledException for each of them).
 */
export function requireAddOn(poolDoc: { [member: string]: Json }): void {
  if (securityModeOf(poolDoc) === 'OFF') {
    throw new CognitoError('UserPoolAddOnNotEnabledException', 'Advanced security features are not enabled for this user pool.');
  }
}

/** Validates SetRiskConfiguration's members beyond the model and returns the document to store. */
export function riskDocFromInput(input: Input): RiskDoc {
  const doc: RiskDoc = {};
  for (const m of RISK_MEMBERS) {
    const v = input.json(m);
    if (v !== undefined && v !== null) doc[m] = v;
  }
  const exceptions = input.optObj('RiskExceptionConfiguration');
  for (const list of ['BlockedIPRangeList', 'SkippedIPRangeList']) {
    for (const range of exceptions?.optStrList(list) ?? []) {
      if (parseCidr(range) === undefined) throw invalidParameter(`Invalid IP range in ${list}: ${range}. IP ranges must be in CIDR notation.`);
    }
  }
  return doc;
}

/** "a.b.c.d/n" or "x::y/n" as [address, prefix, family]; undefined when it is not CIDR notation. */
function parseCidr(range: string): [string, number, 'ipv4' | 'ipv6'] | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(range.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const family = isIP(m[1]);
  const prefix = Number(m[2]);
  if (family === 4 && prefix <= 32) return [m[1], prefix, 'ipv4'];
  if (family === 6 && prefix <= 128) return [m[1], prefix, 'ipv6'];
  return undefined;
}

function blockListOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) {
    const cidr = parseCidr(r);
    if (cidr) list.addSubnet(cidr[0], cidr[1], cidr[2]);
  }
  return list;
}

/** Whether `ip` is in the list (false for a missing or malformed address). */
export function ipIn(list: BlockList, ip: string | undefined): boolean {
  if (ip === undefined) return false;
  const family = isIP(ip);
  if (family === 0) return false;
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

const NO_ACTION: LevelAction = { action: 'NO_ACTION', notify: false };

function levelAction(actions: Input | undefined, member: string): LevelAction {
  const a = actions?.optObj(member);
  const action = a?.optStr('EventAction');
  if (!a || (action !== 'BLOCK' && action !== 'MFA_IF_CONFIGURED' && action !== 'MFA_REQUIRED' && action !== 'NO_ACTION')) return NO_ACTION;
  return { action, notify: a.optBool('Notify') ?? false };
}

function notifyEmail(n: Input | undefined, member: string): NotifyEmail | undefined {
  const e = n?.optObj(member);
  const subject = e?.optStr('Subject');
  if (!e || subject === undefined) return undefined;
  const html = e.optStr('HtmlBody');
  const text = e.optStr('TextBody');
  return { subject, ...(html === undefined ? {} : { html }), ...(text === undefined ? {} : { text }) };
}

const ALL_EVENTS: ReadonlySet<CompromisedEvent> = new Set(['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP']);
const isEvent = (e: string): e is CompromisedEvent => e === 'SIGN_IN' || e === 'PASSWORD_CHANGE' || e === 'SIGN_UP';

/** The typed view of a stored document (or of none: nothing checked, no action at any level). */
export function riskSettingsOf(doc: Input | undefined): RiskSettings {
  const cc = doc?.optObj('CompromisedCredentialsRiskConfiguration');
  const ato = doc?.optObj('AccountTakeoverRiskConfiguration');
  const ex = doc?.optObj('RiskExceptionConfiguration');
  const actions = ato?.optObj('Actions');
  const n = ato?.optObj('NotifyConfiguration');
  const filter = cc?.optStrList('EventFilter');
  const events = filter && filter.length > 0 ? new Set(filter.filter(isEvent)) : ALL_EVENTS;
  const settings: RiskSettings = {
    takeover: { Low: levelAction(actions, 'LowAction'), Medium: levelAction(actions, 'MediumAction'), High: levelAction(actions, 'HighAction') },
    blocked: blockListOf(ex?.optStrList('BlockedIPRangeList') ?? []),
    skipped: blockListOf(ex?.optStrList('SkippedIPRangeList') ?? []),
  };
  if (cc) settings.compromised = { events, block: cc.optObj('Actions')?.optStr('EventAction') === 'BLOCK' };
  if (n) settings.notify = notifySettings(n);
  return settings;
}

function notifySettings(n: Input): NotifySettings {
  const s: NotifySettings = {};
  const from = n.optStr('From');
  const replyTo = n.optStr('ReplyTo');
  if (from !== undefined) s.from = from;
  if (replyTo !== undefined) s.replyTo = replyTo;
  const block = notifyEmail(n, 'BlockEmail');
  const noAction = notifyEmail(n, 'NoActionEmail');
  const mfa = notifyEmail(n, 'MfaEmail');
  if (block) s.block = block;
  if (noAction) s.noAction = noAction;
  if (mfa) s.mfa = mfa;
  return s;
}
