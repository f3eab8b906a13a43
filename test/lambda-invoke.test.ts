import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifySigV4 } from '../src/api/sigv4.js';
import { LambdaApiRunner } from '../src/integrations/lambda/aws-invoke.js';
import { RoutingInvoker, TIMEOUT_REASON, type FunctionRunner } from '../src/integrations/lambda/invoker.js';
import { ModuleRunner } from '../src/integrations/lambda/module-worker.js';
import { WebhookRunner, webhookSignature } from '../src/integrations/lambda/webhook.js';

const fixture = (name: string) => fileURLToPath(new URL(`./triggers/${name}.mjs`, import.meta.url));
const event = { version: '1', triggerSource: 'PreSignUp_SignUp', userName: 'alice', request: { userAttributes: {} }, response: {} };

function invoker(timeoutMs = 2000) {
  const modules = new ModuleRunner(() => 'req-1');
  const unused: FunctionRunner = { invoke: async () => ({ kind: 'bad-output' }) };
  const routing = new RoutingInvoker({ lambda: unused, webhook: unused, module: modules });
  return (ref: string, ev: object = event) => routing.invoke(ref, ev, { timeoutMs });
}

describe('module handlers (worker threads)', () => {
  const run = invoker(400);
  test('an async handler answers with the event', async () => {
    const out = await run(fixture('echo'), { ...event, request: { clientMetadata: { answer: '{"autoConfirmUser":true}' } } });
    assert.equal(out.kind, 'ok');
    assert.deepEqual(out.kind === 'ok' ? out.payload : undefined, { ...event, request: { clientMetadata: { answer: '{"autoConfirmUser":true}' } }, response: { autoConfirmUser: true } });
  });
  test('callback style: an answer and an error', async () => {
    const ok = await run(fixture('callback'));
    assert.equal(ok.kind === 'ok' && typeof ok.payload === 'object' && ok.payload !== null && 'response' in ok.payload ? JSON.stringify(ok.payload.response) : '', '{"autoConfirmUser":true}');
    assert.deepEqual(await run(fixture('callback'), { ...event, userName: 'refused' }), { kind: 'function-error', message: 'no thanks' });
  });
  test('a throw is the function error, with its message', async () => {
    assert.deepEqual(await run(fixture('throws')), { kind: 'function-error', message: 'Registration from this domain is not allowed.' });
  });
  test('a hang is ended at the timeout (three attempts) and the process goes on', async () => {
    const started = Date.now();
    assert.deepEqual(await run(fixture('hangs')), { kind: 'invoke-failed', reason: TIMEOUT_REASON, retryable: true });
    const took = Date.now() - started;
    assert.ok(took >= 1150 && took < 5000, `took ${took} ms`);
  });
  test('process.exit ends only the worker', async () => {
    assert.deepEqual(await run(fixture('exits')), { kind: 'function-error', message: 'Runtime exited with error: exit status 3' });
  });
  test('an answer that is not JSON', async () => {
    assert.deepEqual(await run(fixture('garbage')), { kind: 'bad-output' });
  });
  test('a module that does not exist is a function error (not a crash)', async () => {
    const out = await run('/nonexistent/trigger.mjs');
    assert.equal(out.kind, 'function-error');
  });
  test('a worker that answered stays warm (module state kept); one that died afterwards is not reused', async () => {
    const counts = async (request: object) => {
      const out = await run(fixture('warm'), { ...event, request });
      return out.kind === 'ok' && typeof out.payload === 'object' && out.payload !== null && 'response' in out.payload ? JSON.stringify(out.payload.response) : out.kind;
    };
    assert.equal(await counts({}), '{"count":1}');
    assert.equal(await counts({}), '{"count":2}');
    assert.equal(await counts({ exitAfter: true }), '{"count":3}');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await counts({}), '{"count":1}', 'a fresh worker after the old one exited');
  });
  test('concurrent invocations share at most 8 workers of a module (they wait for one instead of starting more)', async () => {
    const concurrent = invoker(2000);
    const outs = await Promise.all(Array.from({ length: 20 }, () => concurrent(fixture('warm'))));
    const counts = outs.map((o) => (o.kind === 'ok' && typeof o.payload === 'object' && o.payload !== null && 'response' in o.payload ? JSON.stringify(o.payload.response) : o.kind));
    assert.equal(counts.filter((c) => c.startsWith('{"count":')).length, 20, counts.join(' '));
    const fresh = counts.filter((c) => c === '{"count":1}').length;
    assert.ok(fresh <= 8, `${fresh} workers started`);
  });
  test('timeouts are retried three times, function errors are not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-count-'));
    process.env.TRIGGER_COUNT_FILE = join(dir, 'count');
    // Each attempt must get far enough to count itself before it times out: a worker starts in ~40 ms on an
    // idle machine but can take several hundred under a full test run, so the limit leaves room for that.
    await invoker(1500)(fixture('counts'));
    assert.equal(readFileSync(join(dir, 'count'), 'utf8'), 'PreSignUp_SignUp\n'.repeat(3));
  });
});

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

async function listen(handler: (req: IncomingMessage, body: string) => Reply): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = handler(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers }).end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

describe('webhook handlers', () => {
  let hook: { server: Server; url: string };
  const seen: Array<{ signature: string | undefined; timestamp: string | undefined; body: string }> = [];
  before(async () => {
    hook = await listen((req, body): Reply => {
      seen.push({ signature: req.headers['x-tessera-signature']?.toString(), timestamp: req.headers['x-tessera-timestamp']?.toString(), body });
      if (req.url === '/fail') return { status: 400, body: JSON.stringify({ errorMessage: 'nope', errorType: 'Error' }) };
      if (req.url === '/busy') return { status: 503, body: 'busy' };
      if (req.url === '/garbage') return { status: 200, body: '<html>' };
      if (req.url === '/redirect') return { status: 302, body: '', headers: { location: '/ok' } };
      if (req.url === '/big') return { status: 200, body: JSON.stringify({ ...event, response: { pad: 'x'.repeat(7 * 1024 * 1024) } }) };
      return { status: 200, body };
    });
  });
  after(() => hook.server.close());
  const runner = new WebhookRunner('s3cret', () => new Date());

  test('POSTs the event signed with HMAC-SHA256 over timestamp.body and takes the answer', async () => {
    const out = await runner.invoke(`${hook.url}/ok`, event, { timeoutMs: 2000 });
    assert.deepEqual(out, { kind: 'ok', payload: event });
    const last = seen.at(-1);
    assert.ok(last?.timestamp && last.signature);
    assert.equal(last.signature, webhookSignature('s3cret', last.timestamp, last.body));
    assert.notEqual(last.signature, webhookSignature('other', last.timestamp, last.body));
  });
  test('errorMessage is the function error; 503 is retried; HTML is bad output', async () => {
    assert.deepEqual(await runner.invoke(`${hook.url}/fail`, event, { timeoutMs: 2000 }), { kind: 'function-error', message: 'nope' });
    const before503 = seen.length;
    const routing = new RoutingInvoker({ lambda: runner, webhook: runner, module: runner });
    assert.equal((await routing.invoke(`${hook.url}/busy`, event, { timeoutMs: 2000 })).kind, 'invoke-failed');
    assert.equal(seen.length - before503, 3);
    assert.deepEqual(await runner.invoke(`${hook.url}/garbage`, event, { timeoutMs: 2000 }), { kind: 'bad-output' });
  });
  test('a redirect is not followed; an answer over 6 MB is bad output; a receiver that never answers times out', async () => {
    const n = seen.length;
    assert.deepEqual(await runner.invoke(`${hook.url}/redirect`, event, { timeoutMs: 2000 }), { kind: 'invoke-failed', reason: 'ServiceException', retryable: false });
    assert.equal(seen.length, n + 1, 'only the first request');
    assert.deepEqual(await runner.invoke(`${hook.url}/big`, event, { timeoutMs: 2000 }), { kind: 'bad-output' });
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const addr = silent.address();
    const started = Date.now();
    const out = await runner.invoke(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`, event, { timeoutMs: 300 });
    assert.deepEqual(out, { kind: 'invoke-failed', reason: TIMEOUT_REASON, retryable: true });
    assert.ok(Date.now() - started < 2000);
    silent.closeAllConnections();
    silent.close();
  });
  test('without a signing key nothing is sent', async () => {
    const n = seen.length;
    const out = await new WebhookRunner(undefined, () => new Date()).invoke(`${hook.url}/ok`, event, { timeoutMs: 2000 });
    assert.equal(out.kind, 'invoke-failed');
    assert.equal(seen.length, n);
  });
});

describe('AWS Lambda Invoke API', () => {
  let lambda: { server: Server; url: string };
  const secret = 'lambda-secret-key';
  const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:pre-sign-up';
  const verified: string[] = [];
  before(async () => {
    lambda = await listen((req, body): Reply => {
      // Verified below, asynchronously; the fake answers at once like an emulator would.
      pending.push(
        verifySigV4({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body }, (id) => (id === 'AKIDLAMBDA' ? secret : undefined), new Date(), { service: 'lambda', region: 'eu-west-1' }).then(
          () => verified.push(req.url ?? ''),
          (e: unknown) => verified.push(`bad: ${String(e)}`),
        ),
      );
      if (req.url?.includes('denied')) return { status: 403, body: '{"Type":"User","message":"no"}', headers: { 'x-amzn-errortype': 'AccessDeniedException' } };
      if (req.url?.includes('throws')) return { status: 200, body: '{"errorMessage":"bad email","errorType":"Error"}', headers: { 'x-amz-function-error': 'Unhandled' } };
      return { status: 200, body };
    });
  });
  const pending: Array<Promise<unknown>> = [];
  after(() => lambda.server.close());
  const runner = () => new LambdaApiRunner({ endpoint: lambda.url, credentials: { accessKeyId: 'AKIDLAMBDA', secretAccessKey: secret } });

  test('Invoke is SigV4-signed for lambda in the ARN region and answers the payload', async () => {
    assert.deepEqual(await runner().invoke(arn, event, { timeoutMs: 2000 }), { kind: 'ok', payload: event });
    await Promise.all(pending);
    assert.deepEqual(verified, [`/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`]);
  });
  test('X-Amz-Function-Error is the function error; an API error names its type', async () => {
    assert.deepEqual(await runner().invoke(`${arn}-throws`, event, { timeoutMs: 2000 }), { kind: 'function-error', message: 'bad email' });
    assert.deepEqual(await runner().invoke(`${arn}-denied`, event, { timeoutMs: 2000 }), { kind: 'invoke-failed', reason: 'AccessDeniedException', retryable: false });
    const none = new LambdaApiRunner({ endpoint: lambda.url, credentials: undefined });
    assert.equal((await none.invoke(arn, event, { timeoutMs: 2000 })).kind, 'invoke-failed');
  });
});
