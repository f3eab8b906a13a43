import { createHash, createHmac, type Hash as NodeHash, type Hmac } from 'node:crypto';
import { errorMessageOf, parsePayload, TIMEOUT_REASON, type FunctionRunner, type InvokeOptions, type InvokeOutcome } from './invoker.js';

export interface LambdaApiOptions {
  /** Base URL of the Lambda API; default `https://lambda.<region>.amazonaws.com` from the ARN's region. */
  endpoint: string | undefined;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

/** SHA-256 (or HMAC-SHA256 with a secret) over node:crypto, in the shape @smithy/signature-v4 asks for. */
class Sha256 {
  private readonly h: NodeHash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

function toBytes(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → region; undefined if not that shape. */
export function lambdaRegion(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 7 && parts[2] === 'lambda' && parts[5] === 'function' ? parts[3] : undefined;
}

/**
 * A trigger as a real Lambda function (or an emulator speaking its API): Invoke, RequestResponse, SigV4-signed
 * for service `lambda` in the ARN's region (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 * `X-Amz-Function-Error` marks the function's own failure; an API error (AccessDeniedException,
 * ResourceNotFoundException, TooManyRequestsException...) is the invocation's, named as Cognito names it.
 */
export class LambdaApiRunner implements FunctionRunner {
  constructor(private readonly opts: LambdaApiOptions) {}

  async invoke(ref: string, event: object, o: InvokeOptions): Promise<InvokeOutcome> {
    const region = lambdaRegion(ref);
    const credentials = this.opts.credentials;
    if (region === undefined) return { kind: 'invoke-failed', reason: 'InvalidParameterValueException', retryable: false };
    if (credentials === undefined) return { kind: 'invoke-failed', reason: 'AccessDeniedException', retryable: false };
    const base = new URL(this.opts.endpoint ?? `https://lambda.${region}.amazonaws.com`);
    const path = `${base.pathname.replace(/\/+$/, '')}/2015-03-31/functions/${encodeURIComponent(ref)}/invocations`;
    const body = JSON.stringify(event);
    // Loaded on the first ARN invocation, not at start-up (external to the bundle: scripts/build.mjs).
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query: {},
      headers: { host: base.host, 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
      body,
    });
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(path, base), { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(o.timeoutMs) });
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { kind: 'invoke-failed', reason: timedOut ? TIMEOUT_REASON : 'ServiceException', retryable: true };
    }
    if (res.ok && res.headers.get('x-amz-function-error') === null) return parsePayload(text);
    const parsed = parsePayload(text);
    const payload = parsed.kind === 'ok' ? parsed.payload : undefined;
    if (res.ok) return { kind: 'function-error', message: errorMessageOf(payload) ?? 'Unhandled' };
    const type = apiErrorType(res.headers.get('x-amzn-errortype'), payload);
    return { kind: 'invoke-failed', reason: type, retryable: res.status === 429 || res.status >= 500 };
  }
}

/** The Lambda API error's name: the x-amzn-ErrorType header (before any `:`), else the body's `Type`/`__type`. */
function apiErrorType(header: string | null, payload: unknown): string {
  if (header) return header.split(':')[0] ?? header;
  if (typeof payload === 'object' && payload !== null) {
    for (const k of ['Type', '__type']) {
      const v: unknown = Reflect.get(payload, k);
      if (typeof v === 'string') return v.slice(v.lastIndexOf('#') + 1);
    }
  }
  return 'ServiceException';
}
