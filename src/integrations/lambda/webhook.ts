import { createHmac } from 'node:crypto';
import { errorMessageOf, parsePayload, TIMEOUT_REASON, type FunctionRunner, type InvokeOptions, type InvokeOutcome } from './invoker.js';

export const TIMESTAMP_HEADER = 'x-tessera-timestamp';
export const SIGNATURE_HEADER = 'x-tessera-signature';

/**
 * The signature a receiver recomputes: `v1=` and the hex HMAC-SHA256, keyed with the configured webhook
 * secret (its UTF-8 bytes), of `<timestamp>.<body>`, where timestamp is the X-Tessera-Timestamp header (Unix
 * seconds) and body the exact request bytes. Receivers should compare in constant time and refuse timestamps
 * more than a few minutes old (replay). The same scheme as Stripe's and Slack's webhooks.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A trigger as a webhook: the event is POSTed as JSON and the answer is the returned event (2xx). A
 * function error is a non-2xx answer whose JSON body has Lambda's `errorMessage`; 429 and 5xx without one
 * are retried as Cognito retries a throttled or failing Lambda service.
 */
export class WebhookRunner implements FunctionRunner {
  constructor(
    private readonly secret: string | undefined,
    private readonly now: () => Date,
  ) {}

  async invoke(ref: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome> {
    // Without a key the receiver could not tell Tessera from anyone else: refuse rather than send unsigned.
    if (this.secret === undefined) return { kind: 'invoke-failed', reason: 'AccessDeniedException', retryable: false };
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    let res: Response;
    let text: string;
    try {
      res = await fetch(ref, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(this.secret, timestamp, body) },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { kind: 'invoke-failed', reason: timedOut ? TIMEOUT_REASON : 'ServiceException', retryable: true };
    }
    if (res.ok) return parsePayload(text);
    const parsed = parsePayload(text);
    const message = parsed.kind === 'ok' ? errorMessageOf(parsed.payload) : undefined;
    if (message !== undefined) return { kind: 'function-error', message };
    const retryable = res.status === 429 || res.status >= 500;
    return { kind: 'invoke-failed', reason: res.status === 429 ? 'TooManyRequestsException' : 'ServiceException', retryable };
  }
}
