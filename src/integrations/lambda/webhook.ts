import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
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

/** Lambda's limit on a synchronous invocation's answer; a larger one is not read to the end. */
const MAX_ANSWER_BYTES = 6 * 1024 * 1024;

/**
 * A trigger as a webhook: the event is POSTed as JSON and the answer is the returned event (2xx). A
 * function error is a non-2xx answer whose JSON body has Lambda's `errorMessage`; 429 and 5xx without one
 * are retried as Cognito retries a throttled or failing Lambda service. Redirects are not followed.
 *
 * node:http(s) with keep-alive agents rather than fetch: on every sign-in with a pre token generation webhook
 * this is the per-invocation cost, and fetch (with AbortSignal.timeout) took ~0.3 ms more CPU per call here
 * (bench `--triggers`).
 */
export class WebhookRunner implements FunctionRunner {
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(
    private readonly secret: string | undefined,
    private readonly now: () => Date,
  ) {}

  async invoke(ref: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome> {
    // Without a key the receiver could not tell Tessera from anyone else: refuse rather than send unsigned.
    if (this.secret === undefined) return { kind: 'invoke-failed', reason: 'AccessDeniedException', retryable: false };
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const headers = { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(this.secret, timestamp, body) };
    const answer = await this.post(ref, headers, body, opts.timeoutMs);
    if ('failed' in answer) return { kind: 'invoke-failed', reason: answer.failed, retryable: answer.failed === TIMEOUT_REASON || answer.failed === 'ServiceException' };
    const { status, text } = answer;
    if (status >= 200 && status < 300) return parsePayload(text);
    const parsed = parsePayload(text);
    const message = parsed.kind === 'ok' ? errorMessageOf(parsed.payload) : undefined;
    if (message !== undefined) return { kind: 'function-error', message };
    const retryable = status === 429 || status >= 500;
    return { kind: 'invoke-failed', reason: status === 429 ? 'TooManyRequestsException' : 'ServiceException', retryable };
  }

  /** One POST within `timeoutMs` (connection, request and the whole answer): the status and body, or why not. */
  private post(ref: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string } | { failed: string }> {
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      return Promise.resolve({ failed: 'ResourceNotFoundException' });
    }
    const secure = url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: { status: number; text: string } | { failed: string }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = request(url, { method: 'POST', agent: secure ? this.agents.https : this.agents.http, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) {
            req.destroy();
            finish({ status: res.statusCode ?? 0, text: '' });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => finish({ failed: 'ServiceException' }));
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish({ failed: TIMEOUT_REASON });
      }, timeoutMs);
      req.on('error', () => finish({ failed: 'ServiceException' }));
      req.end(body);
    });
  }
}
