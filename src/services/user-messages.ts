import { invalidParameter } from '../domain/errors.js';
import { CODE_PLACEHOLDER, invitationTemplates, renderTemplate, verificationTemplates } from '../domain/messages.js';
import { subDoc } from '../domain/pool-config.js';
import { isTrue, type AttributeMap } from '../domain/user-attributes.js';
import { randomString } from '../integrations/runtime.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { signInName } from './user-records.js';
import { customMessage } from './triggers-message.js';
import { sendThroughFunction } from './triggers-sender.js';

export type Medium = 'EMAIL' | 'SMS';

export interface Destination {
  channel: Medium;
  destination: string;
}

/** Purpose of the pending code AdminResetUserPassword sends (ConfirmForgotPassword consumes it). */
export const RESET_CODE_PURPOSE = 'FORGOT_PASSWORD';
/** Forgot-password codes are valid for one hour (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html). */
export const RESET_CODE_TTL_MS = 60 * 60 * 1000;

/**
 * Where an invitation goes. DesiredDeliveryMediums defaults to SMS, so without it a user with no phone
 * number simply gets no message (no error); a medium asked for explicitly needs its attribute. Checked
 * before the user is written, so a refused request changes nothing.
 */
export function invitationDestinations(attrs: AttributeMap, mediums: readonly Medium[] | undefined): Destination[] {
  if (mediums === undefined || mediums.length === 0) {
    return attrs.phone_number ? [{ channel: 'SMS', destination: attrs.phone_number }] : [];
  }
  const out: Destination[] = [];
  for (const channel of new Set(mediums)) {
    const destination = channel === 'EMAIL' ? attrs.email : attrs.phone_number;
    if (destination === undefined) {
      throw invalidParameter(channel === 'EMAIL' ? 'No email provided but desired delivery medium was Email' : 'No phone_number provided but desired delivery medium was Sms');
    }
    out.push({ channel, destination });
  }
  return out;
}

/**
 * Sends the invitation with the temporary password. A template without the `{####}` placeholder is not
 * delivered, as Cognito does not deliver it
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
 */
export async function sendInvitation(
  deps: ServiceDeps,
  pool: Pool,
  row: UserRow,
  attrs: AttributeMap,
  password: string,
  destinations: readonly Destination[],
): Promise<void> {
  const t = invitationTemplates(pool.doc);
  const username = signInName(pool, row, attrs);
  for (const d of destinations) {
    const template = d.channel === 'EMAIL' ? t.email.body : t.sms;
    if (!template.includes(CODE_PLACEHOLDER)) continue;
    const defaults = d.channel === 'EMAIL' ? { subject: t.email.subject, body: template } : { body: template };
    if (sendThroughFunction(deps, pool, d.channel, { source: 'AdminCreateUser' }, row, attrs, password)) continue;
    const text = await customMessage(deps, pool, { source: 'AdminCreateUser' }, row, attrs, d.channel, defaults);
    await deps.delivery.deliver({
      poolId: pool.id,
      channel: d.channel,
      destination: d.destination,
      ...(text.subject !== undefined ? { subject: text.subject } : {}),
      body: renderTemplate(text.body, { username, code: password }),
      purpose: 'INVITATION',
      username: row.username,
    });
  }
}

/**
 * Where account-recovery messages go: the first mechanism of AccountRecoverySetting (by Priority) the user
 * has a verified contact for; `admin_only` means none. Without the setting, Cognito's legacy order applies:
 * a verified phone number, else a verified email
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AccountRecoverySettingType.html).
 */
export function recoveryDestination(pool: Pool, attrs: AttributeMap): Destination | undefined {
  const raw = subDoc(pool.doc, 'AccountRecoverySetting').RecoveryMechanisms;
  const mechanisms = Array.isArray(raw)
    ? raw
        .flatMap((m) => (typeof m === 'object' && m !== null && !Array.isArray(m) && typeof m.Name === 'string' ? [{ name: m.Name, priority: Number(m.Priority) }] : []))
        .sort((a, b) => a.priority - b.priority)
        .map((m) => m.name)
    : ['verified_phone_number', 'verified_email'];
  for (const m of mechanisms) {
    if (m === 'admin_only') return undefined;
    if (m === 'verified_email' && attrs.email !== undefined && isTrue(attrs.email_verified)) return { channel: 'EMAIL', destination: attrs.email };
    if (m === 'verified_phone_number' && attrs.phone_number !== undefined && isTrue(attrs.phone_number_verified)) {
      return { channel: 'SMS', destination: attrs.phone_number };
    }
  }
  return undefined;
}

/**
 * Sends a password-reset code to the user's recovery destination, if there is one, and keeps only its
 * Argon2id hash (with an expiry) for ConfirmForgotPassword. Returns whether a code was sent.
 */
export async function sendResetCode(deps: ServiceDeps, pool: Pool, row: UserRow, attrs: AttributeMap, now: number): Promise<boolean> {
  const dest = recoveryDestination(pool, attrs);
  if (!dest) return false;
  const t = verificationTemplates(pool.doc);
  const defaults = dest.channel === 'EMAIL' ? { subject: t.email.subject, body: t.email.body } : { body: t.sms };
  const text = await customMessage(deps, pool, { source: 'ForgotPassword' }, row, attrs, dest.channel, defaults);
  const code = randomString(deps.random, 6, '0123456789');
  const codeHash = await deps.hasher.hash(code);
  await deps.store.users.putCode({ user_id: row.id, purpose: RESET_CODE_PURPOSE, code_hash: codeHash, created_at: now, expires_at: now + RESET_CODE_TTL_MS });
  if (sendThroughFunction(deps, pool, dest.channel, { source: 'ForgotPassword' }, row, attrs, code)) return true;
  await deps.delivery.deliver({
    poolId: pool.id,
    channel: dest.channel,
    destination: dest.destination,
    ...(text.subject !== undefined ? { subject: text.subject } : {}),
    body: renderTemplate(text.body, { username: signInName(pool, row, attrs), code }),
    purpose: RESET_CODE_PURPOSE,
    username: row.username,
  });
  return true;
}
