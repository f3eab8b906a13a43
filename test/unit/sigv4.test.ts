import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { describe, it, before, after } from 'node:test';
import { promisify } from 'node:util';

import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import sha256js from '@aws-crypto/sha256-js';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';

import { CognitoError } from '../../src/api/errors.js';
import { verifySigV4, type SecretLookup, type SignedRequest } from '../../src/api/sigv4.js';

const { Sha256 } = sha256js;
const execFileAsync = promisify(execFile);

const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const HOST = 'cognito-idp.us-east-1.amazonaws.com';
const NOW = new Date('2024-05-06T07:08:09Z');
const TARGET = 'AWSCognitoIdentityProviderService.ListUserPools';
const BODY = '{"MaxResults":10}';

const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

const lookup: SecretLookup = (id) => (id === AKID ? SECRET : undefined);

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface SdkSignInput {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  secret?: string;
  accessKeyId?: string;
  sessionToken?: string;
  service?: string;
  region?: string;
  date?: Date;
  /** The SDK's signer adds a signed x-amz-content-sha256 header unless told not to. */
  applyChecksum?: boolean;
}

function sdkSigner(input: SdkSignInput): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId ?? AKID,
      secretAccessKey: input.secret ?? SECRET,
      ...(input.sessionToken !== undefined ? { sessionToken: input.sessionToken } : {}),
    },
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'cognito-idp',
    sha256: Sha256,
    applyChecksum: input.applyChecksum ?? true,
  });
}

function sdkRequest(input: SdkSignInput) {
  return {
    method: input.method ?? 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: input.path ?? '/',
    query: input.query ?? {},
    headers: {
      host: HOST,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': TARGET,
      ...input.headers,
    },
    body: input.body ?? BODY,
  };
}

/** Turns what the signer produced into what node's HTTP server would hand us. */
function asReceived(
  signed: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string> },
  body: string,
): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const qs = buildQueryString(signed.query ?? {});
  return { method: signed.method, path: qs === '' ? signed.path : `${signed.path}?${qs}`, headers, body };
}

/** Signs a request with the AWS SDK for JavaScript v3's own SigV4 implementation. */
async function signWithSdk(input: SdkSignInput = {}): Promise<SignedRequest> {
  const request = sdkRequest(input);
  const signed = await sdkSigner(input).sign(request, { signingDate: input.date ?? NOW });
  return asReceived(signed, request.body);
}

async function presignWithSdk(input: SdkSignInput & { expiresIn?: number }): Promise<SignedRequest> {
  const request = sdkRequest(input);
  const signed = await sdkSigner(input).presign(request, {
    signingDate: input.date ?? NOW,
    expiresIn: input.expiresIn ?? 300,
  });
  return asReceived(signed, request.body);
}

async function rejects(p: Promise<unknown>, type: string, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof CognitoError, `expected CognitoError, got ${String(err)}`);
    assert.equal(err.type, type);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

function withHeaders(req: SignedRequest, changes: Record<string, string | undefined>): SignedRequest {
  const headers = { ...req.headers };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { ...req, headers };
}

function authHeader(req: SignedRequest): string {
  const value = req.headers['authorization'];
  assert.equal(typeof value, 'string');
  return String(value);
}

describe('verifySigV4 with requests signed by the AWS SDK for JavaScript v3', () => {
  it('accepts a signed cognito-idp request', async () => {
    const req = await signWithSdk();
    assert.deepEqual(await verifySigV4(req, lookup, NOW), {
      accessKeyId: AKID,
      region: 'us-east-1',
      service: 'cognito-idp',
      date: '20240506',
    });
  });

  it('accepts a Buffer body, other regions, session tokens and an async lookup', async () => {
    const req = await signWithSdk({ region: 'eu-west-3', sessionToken: 'FwoGZXIvYXdzEJr//////////token+/=' });
    assert.ok(String(req.headers['authorization']).includes('x-amz-security-token'));
    const identity = await verifySigV4({ ...req, body: Buffer.from(BODY) }, async (id) => lookup(id), NOW);
    assert.equal(identity.region, 'eu-west-3');
  });

  it('accepts an empty body, odd paths and query strings', async () => {
    const req = await signWithSdk({
      method: 'GET',
      path: '/a%20b/./c/../d~e%2Ff/',
      query: { z: '1', a: ['x y', '/', 'ü'], 'k*': "it's", empty: '' },
      headers: { 'x-custom': '  several   spaced\twords  ' },
      body: '',
    });
    assert.match(req.path, /\?/);
    await verifySigV4(req, lookup, NOW);
  });

  it('accepts unicode bodies and a header value given as an array', async () => {
    const req = await signWithSdk({ body: '{"Username":"jürgen ☃"}', headers: { 'x-amz-meta': 'a,b' } });
    await verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-meta': ['a', 'b'] } }, lookup, NOW);
  });

  it('accepts an explicit, correct x-amz-content-sha256', async () => {
    const good = await signWithSdk({ headers: { 'x-amz-content-sha256': sha256Hex(BODY) } });
    await verifySigV4(good, lookup, NOW);
  });

  it('accepts dates up to exactly 15 minutes away', async () => {
    const req = await signWithSdk();
    await verifySigV4(req, lookup, new Date(NOW.getTime() + 15 * 60_000));
    await verifySigV4(req, lookup, new Date(NOW.getTime() - 15 * 60_000));
  });

  it('accepts query-string (presigned) authentication', async () => {
    const req = await presignWithSdk({ sessionToken: 'tok', query: { foo: 'bar baz' }, expiresIn: 300 });
    assert.equal(req.headers['authorization'], undefined);
    assert.match(req.path, /X-Amz-Signature=/);
    await verifySigV4(req, lookup, new Date(NOW.getTime() + 299_000));
    await rejects(
      verifySigV4(req, lookup, new Date(NOW.getTime() + 301_000)),
      'InvalidSignatureException',
      'Signature expired: 20240506T070809Z is now earlier than 20240506T070810Z (20240506T071310Z - 5 min.)',
    );
    await rejects(
      verifySigV4({ ...req, path: req.path.replace('foo=bar', 'foo=baz') }, lookup, NOW),
      'InvalidSignatureException',
      SIGNATURE_MISMATCH,
    );
  });

  it('caches signing keys without mixing secrets up', async () => {
    const other: SecretLookup = (id) => (id === 'AKIDOTHER' ? 'other-secret' : undefined);
    for (let i = 0; i < 3; i++) {
      await verifySigV4(await signWithSdk(), lookup, NOW);
      const req = await signWithSdk({ accessKeyId: 'AKIDOTHER', secret: 'other-secret' });
      await verifySigV4(req, other, NOW);
      await rejects(
        verifySigV4(req, () => SECRET, NOW),
        'InvalidSignatureException',
        SIGNATURE_MISMATCH,
      );
    }
    // Far more distinct (secret, date) pairs than the cache holds still verify.
    for (let i = 0; i < 300; i++) {
      const date = new Date(NOW.getTime() + i * 86_400_000);
      const secret = `secret-${i}`;
      await verifySigV4(await signWithSdk({ secret, date }), () => secret, date);
    }
  });
});

describe('verifySigV4 rejections', () => {
  it('rejects a tampered body', async () => {
    const req = await signWithSdk();
    await rejects(
      verifySigV4({ ...req, body: '{"MaxResults":60}' }, lookup, NOW),
      'InvalidSignatureException',
      SIGNATURE_MISMATCH,
    );
  });

  it('rejects a tampered signed header, path, query or method', async () => {
    const req = await signWithSdk({ query: { a: '1' } });
    const cases: SignedRequest[] = [
      withHeaders(req, { 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminDeleteUser' }),
      { ...req, path: req.path.replace('a=1', 'a=2') },
      { ...req, path: `/x${req.path}` },
      { ...req, method: 'PUT' },
    ];
    for (const tampered of cases) {
      await rejects(verifySigV4(tampered, lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
    // Unsigned headers may change freely.
    await verifySigV4(withHeaders(req, { 'user-agent': 'something else' }), lookup, NOW);
  });

  it('rejects an x-amz-content-sha256 that does not match the body', async () => {
    const req = await signWithSdk({ headers: { 'x-amz-content-sha256': sha256Hex('{}') } });
    await rejects(verifySigV4(req, lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    // Even when it is not among the signed headers (the signature itself is valid).
    const unsigned = await signWithSdk({ applyChecksum: false });
    assert.equal(unsigned.headers['x-amz-content-sha256'], undefined);
    await verifySigV4(withHeaders(unsigned, { 'x-amz-content-sha256': sha256Hex(BODY) }), lookup, NOW);
    for (const stated of [sha256Hex('{}'), 'UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']) {
      await rejects(
        verifySigV4(withHeaders(unsigned, { 'x-amz-content-sha256': stated }), lookup, NOW),
        'InvalidSignatureException',
        SIGNATURE_MISMATCH,
      );
    }
  });

  it('rejects a wrong secret', async () => {
    const req = await signWithSdk({ secret: 'not-the-secret' });
    await rejects(verifySigV4(req, lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('rejects an unknown access key', async () => {
    const req = await signWithSdk({ accessKeyId: 'AKIDUNKNOWN' });
    await rejects(
      verifySigV4(req, lookup, NOW),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('rejects a stale date (20 minutes old)', async () => {
    const req = await signWithSdk({ date: new Date(Date.UTC(2020, 0, 1, 0, 0, 0)) });
    await rejects(
      verifySigV4(req, lookup, new Date(Date.UTC(2020, 0, 1, 0, 20, 0, 999))),
      'InvalidSignatureException',
      'Signature expired: 20200101T000000Z is now earlier than 20200101T000500Z (20200101T002000Z - 15 min.)',
    );
  });

  it('rejects a future date (20 minutes ahead)', async () => {
    const req = await signWithSdk({ date: new Date(Date.UTC(2020, 0, 1, 0, 50, 0)) });
    await rejects(
      verifySigV4(req, lookup, new Date(Date.UTC(2020, 0, 1, 0, 30, 0))),
      'InvalidSignatureException',
      'Signature not yet current: 20200101T005000Z is still later than 20200101T004500Z (20200101T003000Z + 15 min.)',
    );
  });

  it('does not ask for the secret of a request it rejects earlier', async () => {
    const req = await signWithSdk();
    let calls = 0;
    await rejects(
      verifySigV4(req, () => (calls++, SECRET), new Date(NOW.getTime() + 3_600_000)),
      'InvalidSignatureException',
      /^Signature expired/,
    );
    assert.equal(calls, 0);
  });

  it('rejects a request without any authentication', async () => {
    const req = withHeaders(await signWithSdk(), { authorization: undefined });
    await rejects(verifySigV4(req, lookup, NOW), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    await rejects(
      verifySigV4({ method: 'POST', path: '/?foo=bar', headers: { host: HOST }, body: '' }, lookup, NOW),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
  });

  it('rejects a credential scoped to another service', async () => {
    const req = await signWithSdk({ service: 'dynamodb' });
    await rejects(
      verifySigV4(req, lookup, NOW),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'cognito-idp'. ",
    );
    // …and accepts it for the service it was scoped to when told so.
    await verifySigV4(req, lookup, NOW, { service: 'dynamodb' });
  });

  it('rejects a credential scoped to another region when a region is required', async () => {
    const req = await signWithSdk({ region: 'eu-west-1' });
    await rejects(
      verifySigV4(req, lookup, NOW, { region: 'us-east-1' }),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    );
  });

  it('rejects a bad terminator and a scope date that differs from X-Amz-Date, all at once', async () => {
    const req = await signWithSdk();
    const auth = authHeader(req).replace('20240506/us-east-1/cognito-idp/aws4_request', '20240505/us-east-1/s3/aws5_request');
    await rejects(
      verifySigV4(withHeaders(req, { authorization: auth }), lookup, NOW),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'cognito-idp'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240505' != '20240506', from '20240506T070809Z'. ",
    );
  });

  it('rejects a credential without 5 elements', async () => {
    const req = await signWithSdk();
    const auth = authHeader(req).replace(/Credential=[^,]+/, 'Credential=AKIDEXAMPLE/20240506/us-east-1');
    await rejects(
      verifySigV4(withHeaders(req, { authorization: auth }), lookup, NOW),
      'IncompleteSignatureException',
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240506/us-east-1'",
    );
  });

  it('rejects malformed Authorization headers with the AWS wording', async () => {
    const req = await signWithSdk();
    const noDate = withHeaders(req, { 'x-amz-date': undefined });
    const cases: [SignedRequest, string][] = [
      [
        withHeaders(noDate, { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' }),
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of " +
          "either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
      ],
      [
        withHeaders(req, { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/cognito-idp/aws4_request' }),
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
          'Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/cognito-idp/aws4_request',
      ],
      [
        withHeaders(req, { authorization: 'AWS4-HMAC-SHA256' }),
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
      ],
      [noDate, `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authHeader(req)}`],
      [
        withHeaders(req, { authorization: authHeader(req).replace('Credential=', 'Credential= ') }),
        `'AKIDEXAMPLE/20240506/us-east-1/cognito-idp/aws4_request' not a valid key=value pair (missing equal-sign) ` +
          `in Authorization header: '${authHeader(req).replace('Credential=', 'Credential= ')}'.`,
      ],
      [
        withHeaders(req, { authorization: authHeader(req).replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') }),
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.",
      ],
      [
        withHeaders(req, { 'x-amz-date': '2024-05-06T07:08:09Z' }),
        "Date must be in ISO-8601 'basic format'. Got '2024-05-06T07:08:09Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      ],
      [
        withHeaders(req, { 'x-amz-date': '20241306T070809Z' }),
        "Date must be in ISO-8601 'basic format'. Got '20241306T070809Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      ],
      ...['20230229T070809Z', '20240230T070809Z', '20240506T240809Z', '20240506T076009Z', '20240506T070860Z', '20240500T070809Z'].map(
        (d): [typeof req, string] => [
          withHeaders(req, { 'x-amz-date': d }),
          `Date must be in ISO-8601 'basic format'. Got '${d}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        ],
      ),
    ];
    for (const [bad, message] of cases) {
      await rejects(verifySigV4(bad, lookup, NOW), 'IncompleteSignatureException', message);
    }
  });

  it('reads RFC 1123/2822 Date headers, zone offsets included, when there is no X-Amz-Date', async () => {
    const req = withHeaders(await signWithSdk(), { 'x-amz-date': undefined, date: 'Mon, 06 May 2024 09:08:09 +0200' });
    // Same instant as the X-Amz-Date the SDK signed, so only the signed-header list (x-amz-date now empty) differs.
    await rejects(verifySigV4(req, lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await rejects(
      verifySigV4(withHeaders(req, { date: 'Mon, 6 May 2024 07:08:09 GMT' }), lookup, new Date(NOW.getTime() + 16 * 60_000)),
      'InvalidSignatureException',
      'Signature expired: 20240506T070809Z is now earlier than 20240506T070909Z (20240506T072409Z - 15 min.)',
    );
    await rejects(
      verifySigV4(withHeaders(req, { date: 'Monday, 06-May-24 07:08:09 GMT' }), lookup, NOW),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got 'Monday, 06-May-24 07:08:09 GMT'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  it('rejects a signature that does not cover host', async () => {
    const req = await signWithSdk();
    const auth = authHeader(req).replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;x-amz-date;x-amz-target');
    await rejects(
      verifySigV4(withHeaders(req, { authorization: auth }), lookup, NOW),
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('rejects garbage signatures of any length', async () => {
    const req = await signWithSdk();
    for (const sig of ['', 'abc', '0'.repeat(64), authHeader(req).slice(-64).toUpperCase(), `${authHeader(req).slice(-64)}0`]) {
      const auth = authHeader(req).replace(/Signature=[0-9a-f]+$/, `Signature=${sig}`);
      await rejects(verifySigV4(withHeaders(req, { authorization: auth }), lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
  });

  it('rejects incomplete query-string authentication', async () => {
    await rejects(
      verifySigV4(
        { method: 'GET', path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc', headers: { host: HOST }, body: '' },
        lookup,
        NOW,
      ),
      'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Credential'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Python botocore (what boto3 and the AWS CLI use)

const BOTO_SIGN = `
import sys, json, datetime
import botocore.auth
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
spec = json.loads(sys.argv[1])
botocore.auth.get_current_datetime = lambda: datetime.datetime(2024, 5, 6, 7, 8, 9)
creds = Credentials(spec['ak'], spec['sk'], spec.get('token'))
req = AWSRequest(method=spec['method'], url=spec['url'], data=spec['body'].encode('utf-8'), headers=spec['headers'])
if spec.get('expires'):
    SigV4QueryAuth(creds, 'cognito-idp', 'us-east-1', expires=spec['expires']).add_auth(req)
else:
    SigV4Auth(creds, 'cognito-idp', 'us-east-1').add_auth(req)
print(json.dumps({'url': req.url, 'headers': dict(req.headers.items())}))
`;

function botocoreAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface BotoSpec {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  token?: string;
  expires?: number;
}

/** Signs with botocore at 2024-05-06T07:08:09Z and returns the request as node would receive it. */
function signWithBotocore(spec: BotoSpec): SignedRequest {
  const body = spec.body ?? BODY;
  const out = execFileSync(
    'python3',
    [
      '-c',
      BOTO_SIGN,
      JSON.stringify({
        ak: AKID,
        sk: SECRET,
        token: spec.token,
        method: spec.method ?? 'POST',
        url: `https://${HOST}${spec.path ?? '/'}`,
        body,
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': TARGET, ...spec.headers },
        expires: spec.expires,
      }),
    ],
    { encoding: 'utf8' },
  );
  const parsed: unknown = JSON.parse(out);
  assert.ok(typeof parsed === 'object' && parsed !== null && 'url' in parsed && 'headers' in parsed);
  const { url, headers } = parsed;
  assert.ok(typeof url === 'string' && typeof headers === 'object' && headers !== null);
  const received: Record<string, string> = { host: HOST };
  for (const [k, v] of Object.entries(headers)) {
    assert.equal(typeof v, 'string');
    received[k.toLowerCase()] = String(v);
  }
  const u = new URL(url);
  return { method: spec.method ?? 'POST', path: url.slice(u.origin.length), headers: received, body };
}

describe('verifySigV4 with requests signed by python botocore', { skip: !botocoreAvailable() }, () => {
  it('accepts a botocore-signed request', async () => {
    const req = signWithBotocore({});
    assert.equal(req.headers['x-amz-date'], '20240506T070809Z');
    assert.deepEqual(await verifySigV4(req, lookup, NOW), {
      accessKeyId: AKID,
      region: 'us-east-1',
      service: 'cognito-idp',
      date: '20240506',
    });
  });

  it('accepts session tokens, unicode bodies, odd paths and queries', async () => {
    const req = signWithBotocore({
      token: 'IQoJb3JpZ2luX2VjEFAaCXVzLWVhc3QtMSJHMEUCIQ+/=',
      path: '/x/./y/../c%2Fd~/?z=1&a=x%20y&a=%2F&b',
      body: '{"Username":"jürgen ☃"}',
      headers: { 'X-Custom': '  lots   of   space  ' },
    });
    assert.ok(req.headers['x-amz-security-token']);
    await verifySigV4(req, lookup, NOW);
  });

  it('accepts a Date header instead of X-Amz-Date', async () => {
    const req = signWithBotocore({ headers: { Date: 'Mon, 01 Jan 2001 00:00:00 GMT' } });
    assert.equal(req.headers['x-amz-date'], undefined);
    assert.equal(req.headers['date'], 'Mon, 06 May 2024 07:08:09 -0000');
    await verifySigV4(req, lookup, NOW);
    await rejects(
      verifySigV4(req, lookup, new Date(NOW.getTime() + 20 * 60_000)),
      'InvalidSignatureException',
      'Signature expired: 20240506T070809Z is now earlier than 20240506T071309Z (20240506T072809Z - 15 min.)',
    );
  });

  it('accepts botocore query-string authentication', async () => {
    const req = signWithBotocore({ method: 'GET', path: '/?Action=Test&b=%20', body: '', expires: 600 });
    assert.equal(req.headers['authorization'], undefined);
    await verifySigV4(req, lookup, NOW);
  });

  it('rejects tampering, wrong secret, unknown key, stale and future dates', async () => {
    const req = signWithBotocore({});
    await rejects(verifySigV4({ ...req, body: '{"MaxResults":11}' }, lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await rejects(verifySigV4(req, () => 'wrong', NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await rejects(verifySigV4(req, () => undefined, NOW), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    await rejects(
      verifySigV4(req, lookup, new Date(NOW.getTime() + 20 * 60_000)),
      'InvalidSignatureException',
      /^Signature expired: 20240506T070809Z/,
    );
    await rejects(
      verifySigV4(req, lookup, new Date(NOW.getTime() - 20 * 60_000)),
      'InvalidSignatureException',
      'Signature not yet current: 20240506T070809Z is still later than 20240506T070309Z (20240506T064809Z + 15 min.)',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// End to end: real clients against a node HTTP server that verifies what it receives.

describe('verifySigV4 behind a real HTTP server', () => {
  let server: Server;
  let endpoint = '';
  const verified: string[] = [];
  const secrets: Record<string, string> = { AKIDE2E: 'e2e-secret/+=', ASIATEMP: 'temp-secret' };

  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks);
  };

  before(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        try {
          const identity = await verifySigV4(
            { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body },
            (id) => secrets[id],
            new Date(),
          );
          verified.push(identity.accessKeyId);
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end('{"UserPools":[]}');
        } catch (err) {
          const type = err instanceof CognitoError ? err.type : 'InternalErrorException';
          const message = err instanceof Error ? err.message : String(err);
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
          res.end(JSON.stringify({ __type: type, message }));
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const client = (accessKeyId: string, secretAccessKey: string, sessionToken?: string) =>
    new CognitoIdentityProviderClient({
      endpoint,
      region: 'ap-southeast-2',
      maxAttempts: 1,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
    });

  it('accepts the JS SDK v3 client', async () => {
    const out = await client('AKIDE2E', secrets['AKIDE2E'] ?? '').send(new ListUserPoolsCommand({ MaxResults: 5 }));
    assert.deepEqual(out.UserPools, []);
    await client('ASIATEMP', 'temp-secret', 'session-token').send(new ListUserPoolsCommand({ MaxResults: 5 }));
    assert.deepEqual(verified.slice(-2), ['AKIDE2E', 'ASIATEMP']);
  });

  it('rejects the JS SDK v3 client with a wrong secret or unknown key', async () => {
    await assert.rejects(client('AKIDE2E', 'wrong').send(new ListUserPoolsCommand({ MaxResults: 5 })), {
      name: 'InvalidSignatureException',
      message: SIGNATURE_MISMATCH,
    });
    await assert.rejects(client('AKIDNOPE', 'x').send(new ListUserPoolsCommand({ MaxResults: 5 })), {
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  const awsCliAvailable = (() => {
    try {
      execFileSync('aws', ['--version'], { stdio: 'ignore', timeout: 30_000 });
      return true;
    } catch {
      return false;
    }
  })();

  it('accepts the AWS CLI', { skip: !awsCliAvailable, timeout: 60_000 }, async () => {
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'ASIATEMP',
      AWS_SECRET_ACCESS_KEY: 'temp-secret',
      AWS_SESSION_TOKEN: 'cli-session-token',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
    const { stdout } = await execFileAsync(
      'aws',
      ['cognito-idp', 'list-user-pools', '--max-results', '5', '--region', 'us-west-2', '--endpoint-url', endpoint, '--output', 'json'],
      { env, timeout: 60_000 },
    );
    assert.deepEqual(JSON.parse(stdout), { UserPools: [] });
    assert.equal(verified.at(-1), 'ASIATEMP');

    const failed = await execFileAsync(
      'aws',
      ['cognito-idp', 'list-user-pools', '--max-results', '5', '--region', 'us-west-2', '--endpoint-url', endpoint],
      { env: { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' }, timeout: 60_000 },
    ).then(
      () => undefined,
      (err: unknown) => (err instanceof Error && 'stderr' in err ? String(err.stderr) : String(err)),
    );
    assert.ok(failed?.includes('InvalidSignatureException'), failed);
  });
});
