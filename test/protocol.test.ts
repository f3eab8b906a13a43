/**
 * The cognito-idp awsJson1.1 protocol as seen from outside: routing by X-Amz-Target, the error envelope and
 * headers, CORS, and which operations need a signature. Raw `fetch` for exact bytes, the SDK for the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, type TestServer } from './helpers/server.js';
import { call, CONTENT_TYPE, errorOf, inBatches, type WireAnswer } from './helpers/wire.js';
import { isSigned, model, validInput } from './helpers/model-inputs.js';

describe('cognito-idp wire protocol', () => {
  let t: TestServer;
  const signed = () => ({ accessKeyId: t.credentials.accessKeyId, secretAccessKey: t.credentials.secretAccessKey });
  before(async () => {
    t = await startTessera();
  });
  after(() => t.close());

  function assertError(a: WireAnswer, type: string, status = 400): void {
    assert.equal(a.status, status, `status for ${type}: ${a.text}`);
    assert.equal(errorOf(a).type, type, a.text);
    assert.equal(a.headers.get('x-amzn-errortype'), type);
    assert.equal(a.headers.get('content-type'), CONTENT_TYPE);
    assert.match(a.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(errorOf(a).message.length > 0, `error without a message: ${a.text}`);
  }

  describe('routing', () => {
    it('answers UnknownOperationException for an unknown target', async () => {
      const a = await call(t.endpoint, { op: 'NoSuchOperation', body: {}, sign: signed() });
      assertError(a, 'UnknownOperationException');
      assert.match(errorOf(a).message, /NoSuchOperation/);
    });

    it('answers UnknownOperationException for a target of another service', async () => {
      const a = await call(t.endpoint, { op: 'DynamoDB_20120810.ListTables', body: {} });
      assertError(a, 'UnknownOperationException');
    });

    it('answers UnknownOperationException when X-Amz-Target is missing', async () => {
      const a = await call(t.endpoint, { op: undefined, body: {} });
      assertError(a, 'UnknownOperationException');
    });

    it('answers SerializationException for a body that is not JSON', async () => {
      for (const body of ['{', '{"UserPoolId": ', 'not json', '{"a":1}}']) {
        const a = await call(t.endpoint, { op: 'ListUserPools', body, sign: signed() });
        assertError(a, 'SerializationException');
      }
    });

    it('answers SerializationException for JSON that is not an object', async () => {
      for (const body of ['[]', '"x"', '42', 'true', 'null']) {
        const a = await call(t.endpoint, { op: 'ListUserPools', body, sign: signed() });
        assertError(a, 'SerializationException');
      }
    });
  });

  describe('headers', () => {
    it('sends x-amzn-RequestId and the JSON 1.1 content type on success', async () => {
      const a = await call(t.endpoint, { op: 'ListUserPools', body: { MaxResults: 5 }, sign: signed() });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.headers.get('content-type'), CONTENT_TYPE);
      assert.match(a.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(a.headers.get('x-amzn-errortype'), null);
      assert.deepEqual(a.json, { UserPools: [] });
    });

    it('gives every request its own request id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const a = await call(t.endpoint, { op: 'NoSuchOperation', body: {} });
        ids.add(a.headers.get('x-amzn-requestid') ?? '');
      }
      assert.equal(ids.size, 5);
    });

    it('the SDK reads the request id and error type', async () => {
      const c = t.client();
      await assert.rejects(c.send(new ListUserPoolsCommand({ MaxResults: 0 })), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.equal(err.name, 'InvalidParameterException');
        assert.ok('$metadata' in err);
        const meta = err.$metadata;
        assert.ok(typeof meta === 'object' && meta !== null && 'requestId' in meta && 'httpStatusCode' in meta);
        assert.match(String(meta.requestId), /^[0-9a-f-]{36}$/);
        assert.equal(meta.httpStatusCode, 400);
        return true;
      });
    });
  });

  describe('CORS', () => {
    it('answers a preflight OPTIONS for the SDK headers', async () => {
      const res = await fetch(t.endpoint, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:3000',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,authorization,x-amz-date',
        },
      });
      assert.ok(res.status === 204 || res.status === 200, `preflight status ${res.status}`);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of ['content-type', 'x-amz-target', 'x-amz-user-agent', 'authorization', 'x-amz-date']) {
        assert.ok(allowed.includes(h), `${h} not in allow-headers: ${allowed}`);
      }
    });

    it('sends CORS headers on POST answers, success and error alike', async () => {
      const ok = await call(t.endpoint, { op: 'ListUserPools', body: { MaxResults: 1 }, sign: signed(), headers: { origin: 'http://localhost:3000' } });
      const bad = await call(t.endpoint, { op: 'NoSuchOperation', body: {}, headers: { origin: 'http://localhost:3000' } });
      for (const a of [ok, bad]) {
        assert.equal(a.headers.get('access-control-allow-origin'), '*');
        const exposed = (a.headers.get('access-control-expose-headers') ?? '').toLowerCase();
        assert.ok(exposed.includes('x-amzn-requestid'), exposed);
        assert.ok(exposed.includes('x-amzn-errortype'), exposed);
      }
    });
  });

  describe('client errors are never 5xx', () => {
    const cases: Array<{ name: string; init: () => RequestInit; path?: string }> = [
      { name: 'empty body', init: () => ({ method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' } }) },
      { name: 'text/plain body', init: () => ({ method: 'POST', headers: { 'content-type': 'text/plain', 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: 'hello' }) },
      { name: 'invalid UTF-8', init: () => ({ method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }) },
      { name: 'deeply nested JSON', init: () => ({ method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: '['.repeat(5000) + ']'.repeat(5000) }) },
      { name: 'body over the size limit', init: () => ({ method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: JSON.stringify({ ClientId: 'x'.repeat(3 * 1024 * 1024) }) }) },
      { name: 'garbage Authorization', init: () => ({ method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools', authorization: 'AWS4-HMAC-SHA256 garbage' }, body: '{"MaxResults":1}' }) },
      { name: 'Authorization without parts', init: () => ({ method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools', authorization: 'AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=' }, body: '{}' }) },
      { name: 'GET /', init: () => ({ method: 'GET' }) },
      { name: 'POST to an unknown path', path: '/nope', init: () => ({ method: 'POST', body: '{}' }) },
      { name: 'PUT /', init: () => ({ method: 'PUT', body: '{}' }) },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const res = await fetch(t.endpoint + (c.path ?? '/'), c.init());
        const text = await res.text();
        assert.ok(res.status >= 400 && res.status < 500, `${c.name}: HTTP ${res.status} ${text.slice(0, 200)}`);
      });
    }
  });

  describe('operations', () => {
    it('every model operation not implemented yet answers UnsupportedOperationException', async (ctx) => {
      const missing = t.app.dispatcher.unimplemented();
      ctx.diagnostic(`${missing.length} of ${model.operations.size} operations not implemented yet: ${missing.join(', ')}`);
      const answers = await inBatches(missing, 16, async (op) => ({
        op,
        a: await call(t.endpoint, { op, body: validInput(op), ...(isSigned(op) ? { sign: signed() } : {}) }),
      }));
      for (const { op, a } of answers) {
        assertError(a, 'UnsupportedOperationException');
        assert.ok(errorOf(a).message.includes(op), `${op}: ${errorOf(a).message}`);
      }
    });

    it('every implemented operation is routed to its handler (never UnknownOperation/Unsupported)', async () => {
      const missing = new Set(t.app.dispatcher.unimplemented());
      const implemented = [...model.operations.keys()].filter((op) => !missing.has(op));
      assert.ok(implemented.length > 0);
      // An input that fails validation stops before the handler, so nothing is written.
      for (const op of implemented) {
        const a = await call(t.endpoint, { op, body: '[]', ...(isSigned(op) ? { sign: signed() } : {}) });
        assertError(a, 'SerializationException');
      }
    });

    it('unsigned operations are served without a signature', async () => {
      const unsigned = [...model.operations.values()].filter((o) => !o.signed).map((o) => o.name);
      assert.ok(unsigned.includes('SignUp') && unsigned.includes('InitiateAuth'));
      const answers = await inBatches(unsigned, 8, async (op) => ({ op, a: await call(t.endpoint, { op, body: validInput(op) }) }));
      for (const { op, a } of answers) {
        assert.ok(a.status < 500, `${op}: HTTP ${a.status} ${a.text}`);
        const type = errorOf(a).type;
        assert.ok(
          !['MissingAuthenticationTokenException', 'UnknownOperationException', 'IncompleteSignatureException'].includes(type),
          `${op} wants a signature: ${a.text}`,
        );
        if (a.status !== 200) assert.ok(type !== '', `${op}: error without __type: ${a.text}`);
      }
    });

    it('signed operations refuse an unsigned request before looking at the input', async () => {
      const signedOps = [...model.operations.values()].filter((o) => o.signed).map((o) => o.name);
      const answers = await inBatches(signedOps, 16, async (op) => ({ op, a: await call(t.endpoint, { op, body: '[not json' }) }));
      for (const { op, a } of answers) {
        assert.equal(errorOf(a).type, 'MissingAuthenticationTokenException', `${op}: ${a.text}`);
        assert.ok(a.status === 400 || a.status === 403, `${op}: HTTP ${a.status}`);
      }
    });
  });
});
