import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { TestServer } from './server.js';

/** The RFC 6238 code an authenticator app shows for `secret` at `at` (epoch ms). */
export function totpCode(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
}

/** A six-digit code that is not `right` (for wrong-code tests). */
export const wrongCode = (right: string): string => String((Number(right) + 1) % 1_000_000).padStart(6, '0');

/** The code in the latest outbox message to `destination`, and the message. */
export async function sentCode(t: TestServer, poolId: string, destination: string): Promise<{ code: string; body: string; subject: string | null; channel: string }> {
  const msgs = await t.app.store.messages.list({ poolId, destination, limit: 1000 });
  const last = msgs[msgs.length - 1];
  const m = /\b(\d{6})\b/.exec(last?.body ?? '');
  assert.ok(last && m, `no code sent to ${destination}`);
  return { code: m[1] ?? '', body: last.body, subject: last.subject, channel: last.channel };
}
