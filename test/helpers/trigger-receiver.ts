import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** One event a webhook trigger received, with whether its HMAC signature verified. */
export interface ReceivedEvent {
  path: string;
  signed: boolean;
  event: Record<string, unknown>;
}

/** What the receiver answers: the returned event (status 200), a function error, or raw text. */
export type Answer = { response: Record<string, unknown> } | { error: string } | { raw: string; status?: number } | { delayMs: number };

export interface TriggerReceiver {
  url: string;
  secret: string;
  events: ReceivedEvent[];
  /** Sets how the function at `path` answers (default: the event unchanged). */
  answer(path: string, a: ((event: Record<string, unknown>) => Answer) | Answer | undefined): void;
  /** Events received at `path`. */
  at(path: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The check a real receiver makes (docs/ARCHITECTURE.md, "Lambda triggers"). */
function verify(secret: string, timestamp: string | undefined, signature: string | undefined, body: string): boolean {
  if (!timestamp || !signature) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A webhook receiver standing in for trigger functions: records every event, answers as told. */
export async function startTriggerReceiver(secret = 'trigger-test-secret'): Promise<TriggerReceiver> {
  const events: ReceivedEvent[] = [];
  const answers = new Map<string, ((event: Record<string, unknown>) => Answer) | Answer>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed: unknown = JSON.parse(body);
      const event = isRecord(parsed) ? parsed : {};
      const path = req.url ?? '/';
      const signed = verify(secret, req.headers['x-tessera-timestamp']?.toString(), req.headers['x-tessera-signature']?.toString(), body);
      events.push({ path, signed, event });
      const spec = answers.get(path);
      const a: Answer = typeof spec === 'function' ? spec(event) : (spec ?? { response: isRecord(event.response) ? event.response : {} });
      const send = (status: number, text: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      if ('error' in a) send(400, JSON.stringify({ errorMessage: a.error, errorType: 'Error' }));
      else if ('raw' in a) send(a.status ?? 200, a.raw);
      else if ('delayMs' in a) setTimeout(() => send(200, body), a.delayMs);
      else send(200, JSON.stringify({ ...event, response: a.response }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    secret,
    events,
    answer(path, a) {
      if (a === undefined) answers.delete(path);
      else answers.set(path, a);
    },
    at: (path) => events.filter((e) => e.path === path).map((e) => e.event),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
