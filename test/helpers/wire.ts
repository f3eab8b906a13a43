/**
 * Raw cognito-idp wire calls for protocol-level tests: `fetch` with exactly the bytes we choose, optionally
 * SigV4-signed by the AWS SDK's own signer (@smithy/signature-v4, what every SDK v3 client uses), so that the
 * server is checked against an independent implementation rather than against itself.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface WireAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined when the body is not JSON). */
  json: unknown;
  text: string;
}

export interface SignOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  /** Sign as if the clock were this many milliseconds off (negative: in the past). */
  clockOffsetMs?: number;
}

export interface CallOptions {
  /** X-Amz-Target: the operation name (prefixed), or undefined to send none. */
  op: string | undefined;
  /** Request body: a string is sent as is, anything else as JSON. */
  body?: unknown;
  sign?: SignOptions;
  /** Replaces the body after signing (to test that the signature covers it). */
  bodyAfterSigning?: string;
  headers?: Record<string, string>;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 (or HMAC-SHA-256) over node:crypto, in the Checksum shape the Smithy signer expects. */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): ReturnType<typeof createHash> | ReturnType<typeof createHmac> {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function bodyText(body: unknown): string {
  if (body === undefined) return '{}';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** Signs a POST / for cognito-idp; returns the headers to send. */
export async function signHeaders(endpoint: string, headers: Record<string, string>, body: string, s: SignOptions): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region: s.region ?? 'us-east-1',
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    sha256: NodeSha256,
  });
  const signingDate = new Date(Date.now() + (s.clockOffsetMs ?? 0));
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: '/',
      query: {},
      headers: { ...headers, host: url.host },
      body,
    },
    { signingDate },
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') out[k] = v;
  return out;
}

/** One request to the server; never throws for an HTTP error status (only for a dropped connection). */
export async function call(endpoint: string, o: CallOptions): Promise<WireAnswer> {
  const body = bodyText(o.body);
  let headers: Record<string, string> = { 'content-type': CONTENT_TYPE, ...o.headers };
  if (o.op !== undefined) headers['x-amz-target'] = o.op.includes('.') ? o.op : TARGET_PREFIX + o.op;
  if (o.sign) headers = await signHeaders(endpoint, headers, body, o.sign);
  const res = await fetch(endpoint, { method: 'POST', headers, body: o.bodyAfterSigning ?? body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** `__type` and `message` of an error answer ('' when absent). */
export function errorOf(a: WireAnswer): { type: string; message: string } {
  const j = a.json;
  if (typeof j !== 'object' || j === null) return { type: '', message: '' };
  const type = '__type' in j && typeof j.__type === 'string' ? j.__type : '';
  const message = 'message' in j && typeof j.message === 'string' ? j.message : '';
  return { type, message };
}

/** Runs `fn` over `items` with at most `width` in flight at once, preserving order of results. */
export async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      const item = items[i];
      if (item === undefined) continue;
      out[i] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
