import type { NotifyEmail, RiskSettings, TakeoverAction } from '../domain/risk-config.js';
import type { UserRow } from '../store/schema.js';
import { feedbackToken } from './auth-events.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';

/** What the notification is about. */
export interface RiskNotice {
  pool: Pool;
  user: UserRow;
  eventId: string;
  action: TakeoverAction;
  at: number;
  ipAddress?: string;
  deviceName?: string;
}

const DEFAULTS: Record<'block' | 'mfa' | 'noAction', NotifyEmail> = {
  block: {
    subject: 'Blocked sign-in attempt',
    text: 'We blocked an unrecognized sign-in to your account {username} at {login-time} from {ip-address}. If this was you, confirm it: {one-click-link-valid} If not, tell us: {one-click-link-invalid}',
  },
  mfa: {
    subject: 'New sign-in attempt',
    text: 'We asked for a second factor for a sign-in to your account {username} at {login-time} from {ip-address}. If this was you, confirm it: {one-click-link-valid} If not, tell us: {one-click-link-invalid}',
  },
  noAction: {
    subject: 'New sign-in to your account',
    text: 'We noticed a sign-in to your account {username} at {login-time} from {ip-address}. If this was you, confirm it: {one-click-link-valid} If not, tell us: {one-click-link-invalid}',
  },
};

/**
 * The notification email of adaptive authentication (AccountTakeoverActionType.Notify), sent through the
 * outbox to the user's email address with the NotifyConfiguration template for the action taken (BlockEmail,
 * MfaEmail, NoActionEmail), or a plain default. Template variables as Cognito's: {username}, {ip-address},
 * {device-name}, {login-time}, {city}, {country} (unknown here), {one-click-link-valid} and
 * {one-click-link-invalid}, links that carry the event and its FeedbackToken for UpdateAuthEventFeedback.
 */
export async function sendRiskNotification(deps: ServiceDeps, settings: RiskSettings, n: RiskNotice): Promise<void> {
  if (!n.user.email) return;
  const kind = n.action === 'BLOCK' ? 'block' : n.action === 'NO_ACTION' ? 'noAction' : 'mfa';
  const template = settings.notify?.[kind] ?? DEFAULTS[kind];
  const link = (value: 'valid' | 'invalid') => {
    const q = new URLSearchParams({
      userPoolId: n.pool.id,
      username: n.user.username,
      eventId: n.eventId,
      feedbackToken: feedbackToken(deps, n.pool.id, n.user.id, n.eventId),
      feedbackValue: value === 'valid' ? 'Valid' : 'Invalid',
    });
    return `${deps.config.publicUrl.replace(/\/$/, '')}/_tessera/auth-event-feedback?${q.toString()}`;
  };
  const vars: Record<string, string> = {
    '{username}': n.user.username,
    '{ip-address}': n.ipAddress ?? 'an unknown address',
    '{device-name}': n.deviceName ?? 'an unknown device',
    '{login-time}': new Date(n.at).toISOString(),
    '{city}': '',
    '{country}': '',
    '{one-click-link-valid}': link('valid'),
    '{one-click-link-invalid}': link('invalid'),
  };
  const fill = (s: string) => s.replace(/\{[a-z-]+\}/g, (v) => vars[v] ?? v);
  await deps.delivery.deliver({
    poolId: n.pool.id,
    channel: 'EMAIL',
    destination: n.user.email,
    subject: fill(template.subject),
    body: fill(template.text ?? template.html ?? ''),
    purpose: 'RISK_NOTIFICATION',
    username: n.user.username,
  });
}
