import { renderTemplate } from '../domain/messages.js';
import { parseAttributes } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { customMessage, type MessageCause, type MessageText } from './triggers-message.js';
import { sendThroughFunction } from './triggers-sender.js';

/** A message carrying a code, before the triggers have had their say. */
export interface CodeMessage {
  cause: MessageCause;
  user: Pick<UserRow, 'id' | 'username' | 'status' | 'attributes'>;
  channel: 'EMAIL' | 'SMS';
  destination: string;
  /** The pool's template for it (with `{####}`). */
  text: MessageText;
  code: string;
  /** The outbox's purpose label. */
  purpose: string;
}

/**
 * Sends a code as Cognito does with triggers: to the custom email/SMS sender if the pool has one for the
 * channel, else through the outbox with the custom message trigger's text (or the template). For codes sent
 * outside the account-lifecycle operations, e.g. MFA and passwordless sign-in codes (cause
 * `{source: 'Authentication'}`: CustomMessage_Authentication, CustomEmailSender_Authentication, ...).
 */
export async function deliverCode(deps: ServiceDeps, pool: Pool, m: CodeMessage): Promise<void> {
  const attrs = parseAttributes(m.user.attributes);
  if (sendThroughFunction(deps, pool, m.channel, m.cause, m.user, attrs, m.code)) return;
  const text = await customMessage(deps, pool, m.cause, m.user, attrs, m.channel, m.text);
  await deps.delivery.deliver({
    poolId: pool.id,
    channel: m.channel,
    destination: m.destination,
    ...(text.subject !== undefined ? { subject: text.subject } : {}),
    body: renderTemplate(text.body, { code: m.code }),
    purpose: m.purpose,
    username: m.user.username,
  });
}
