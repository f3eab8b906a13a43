import type { OutgoingMessage, Transport } from './delivery.js';

/**
 * SMS through an HTTP webhook (TESSERA_SMS_WEBHOOK_URL): POST of JSON
 * `{"to": "+15555550100", "message": "...", "purpose": "...", "userPoolId": "..."}`; any 2xx is success.
 */
export function smsWebhookTransport(url: string): Transport {
  return {
    channel: 'SMS',
    async send(m: OutgoingMessage) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: m.destination, message: m.body, purpose: m.purpose, userPoolId: m.poolId }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`SMS webhook answered ${res.status}`);
    },
  };
}
