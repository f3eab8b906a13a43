/**
 * SigV4 end to end: requests signed by real clients (the AWS SDK v3 and its signer, boto3, the AWS CLI)
 * against the running server, and every way a signature can be wrong.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsClientEnv, PY_DIR, runScript, type ScriptRun } from './helpers/python.js';
import { startTessera, type TestServer } from './helpers/server.js';
import { call, errorOf } from './helpers/wire.js';

const CHILD_TIMEOUT_MS = 60_000;

/** Runs a real client (a test/py script or the AWS CLI) with exactly `env`. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  return runScript(command, args, env, { timeoutMs: CHILD_TIMEOUT_MS });
}

/** A clean AWS client environment: these credentials, no profile, config file or metadata service. */
function awsEnv(accessKeyId: string, secretAccessKey: string): NodeJS.ProcessEnv {
  return awsClientEnv({ AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_MAX_ATTEMPTS: '1' });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function idsOf(v: unknown): string[] {
  if (typeof v !== 'object' || v === null || !('ids' in v) || !Array.isArray(v.ids)) return [];
  return v.ids.filter((x): x is string => typeof x === 'string');
}

describe('SigV4 end to end', () => {
  let t: TestServer;
  let euPoolId = '';
  let usPoolId = '';
  const creds = () => ({ accessKeyId: t.credentials.accessKeyId, secretAccessKey: t.credentials.secretAccessKey });
  const sdk = (over: Partial<ConstructorParameters<typeof CognitoIdentityProviderClient>[0]> = {}) =>
    new CognitoIdentityProviderClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: creds(), maxAttempts: 1, ...over });

  before(async () => {
    t = await startTessera();
    const eu = await t.client('eu-west-1').send(new CreateUserPoolCommand({ PoolName: 'sigv4-eu' }));
    euPoolId = eu.UserPool?.Id ?? '';
    const us = await t.client('us-east-1').send(new CreateUserPoolCommand({ PoolName: 'sigv4-us' }));
    usPoolId = us.UserPool?.Id ?? '';
  });
  after(() => t.close());

  describe('AWS SDK v3 and its signer', () => {
    it('an unsigned request to a signed operation is MissingAuthenticationTokenException', async () => {
      const a = await call(t.endpoint, { op: 'ListUserPools', body: { MaxResults: 1 } });
      assert.equal(a.status, 400, a.text);
      assert.equal(errorOf(a).type, 'MissingAuthenticationTokenException');
      assert.equal(errorOf(a).message, 'Missing Authentication Token');
    });

    it('a correctly signed raw request succeeds', async () => {
      const a = await call(t.endpoint, { op: 'ListUserPools', body: { MaxResults: 60 }, sign: { ...creds(), region: 'eu-west-1' } });
      assert.equal(a.status, 200, a.text);
      assert.match(a.text, new RegExp(euPoolId));
    });

    it('an unknown access key is UnrecognizedClientException', async () => {
      const c = sdk({ credentials: { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x'.repeat(40) } });
      await assert.rejects(c.send(new ListUserPoolsCommand({ MaxResults: 5 })), {
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
      c.destroy();
    });

    it('a wrong secret is InvalidSignatureException', async () => {
      const c = sdk({ credentials: { accessKeyId: t.credentials.accessKeyId, secretAccessKey: 'wrong' + t.credentials.secretAccessKey } });
      await assert.rejects(c.send(new ListUserPoolsCommand({ MaxResults: 5 })), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.equal(err.name, 'InvalidSignatureException');
        assert.match(err.message, /signature we calculated does not match/);
        return true;
      });
      c.destroy();
    });

    it('a body changed after signing is InvalidSignatureException', async () => {
      const body = JSON.stringify({ MaxResults: 5 });
      const a = await call(t.endpoint, { op: 'ListUserPools', body, sign: creds(), bodyAfterSigning: JSON.stringify({ MaxResults: 6 }) });
      assert.equal(a.status, 400, a.text);
      assert.equal(errorOf(a).type, 'InvalidSignatureException');
      // Same length, one byte different.
      const b = await call(t.endpoint, { op: 'ListUserPools', body, sign: creds(), bodyAfterSigning: body.replace('5', '4') });
      assert.equal(errorOf(b).type, 'InvalidSignatureException', b.text);
    });

    it('a changed X-Amz-Target after signing is InvalidSignatureException', async () => {
      const { signHeaders } = await import('./helpers/wire.js');
      const body = '{"MaxResults":5}';
      const headers = await signHeaders(
        t.endpoint,
        { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools' },
        body,
        creds(),
      );
      headers['x-amz-target'] = 'AWSCognitoIdentityProviderService.ListGroups';
      const res = await fetch(t.endpoint, { method: 'POST', headers, body });
      const text = await res.text();
      assert.equal(res.status, 400, text);
      assert.match(text, /InvalidSignatureException/);
    });

    it('a request signed 20 minutes ago is InvalidSignatureException "Signature expired"', async () => {
      const c = sdk({ systemClockOffset: -20 * 60 * 1000 });
      await assert.rejects(c.send(new ListUserPoolsCommand({ MaxResults: 5 })), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.equal(err.name, 'InvalidSignatureException');
        assert.match(err.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
        return true;
      });
      c.destroy();
      const raw = await call(t.endpoint, { op: 'ListUserPools', body: { MaxResults: 5 }, sign: { ...creds(), clockOffsetMs: -20 * 60 * 1000 } });
      assert.equal(errorOf(raw).type, 'InvalidSignatureException');
      assert.match(errorOf(raw).message, /^Signature expired/);
    });

    it('a request signed 20 minutes in the future is refused too', async () => {
      const raw = await call(t.endpoint, { op: 'ListUserPools', body: { MaxResults: 5 }, sign: { ...creds(), clockOffsetMs: 20 * 60 * 1000 } });
      assert.equal(errorOf(raw).type, 'InvalidSignatureException', raw.text);
      assert.match(errorOf(raw).message, /^Signature not yet current/);
    });

    it('a request signed 2 minutes off is accepted (within the 15 minute window)', async () => {
      const c = sdk({ systemClockOffset: -2 * 60 * 1000 });
      const out = await c.send(new ListUserPoolsCommand({ MaxResults: 5 }));
      assert.ok(Array.isArray(out.UserPools));
      c.destroy();
    });

    it('the region of the signature is the region served: pools are listed per region', async () => {
      assert.match(euPoolId, /^eu-west-1_[0-9a-zA-Z]+$/);
      assert.match(usPoolId, /^us-east-1_[0-9a-zA-Z]+$/);
      const eu = await t.client('eu-west-1').send(new ListUserPoolsCommand({ MaxResults: 60 }));
      const us = await t.client('us-east-1').send(new ListUserPoolsCommand({ MaxResults: 60 }));
      const euIds = (eu.UserPools ?? []).map((p) => p.Id);
      const usIds = (us.UserPools ?? []).map((p) => p.Id);
      assert.ok(euIds.includes(euPoolId) && !euIds.includes(usPoolId), `eu-west-1 lists ${euIds.join(',')}`);
      assert.ok(usIds.includes(usPoolId) && !usIds.includes(euPoolId), `us-east-1 lists ${usIds.join(',')}`);
      const ap = await t.client('ap-southeast-2').send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.deepEqual(ap.UserPools, []);
    });
  });

  describe('boto3', () => {
    it('lists the pools of the signed region', async () => {
      const r = await run('python3', [`${PY_DIR}sigv4_check.py`, t.endpoint, 'eu-west-1', 'ok'], awsEnv(t.credentials.accessKeyId, t.credentials.secretAccessKey));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const ids = idsOf(parseJson(r.stdout));
      assert.ok(ids.includes(euPoolId), r.stdout);
      assert.ok(!ids.includes(usPoolId), r.stdout);
    });

    it('a wrong secret is InvalidSignatureException', async () => {
      const r = await run('python3', [`${PY_DIR}sigv4_check.py`, t.endpoint, 'us-east-1', 'InvalidSignatureException'], awsEnv(t.credentials.accessKeyId, 'not-the-secret'));
      assert.equal(r.code, 0, r.stdout + r.stderr);
    });

    it('an unknown key is UnrecognizedClientException', async () => {
      const r = await run('python3', [`${PY_DIR}sigv4_check.py`, t.endpoint, 'us-east-1', 'UnrecognizedClientException'], awsEnv('AKIANOSUCHKEY0000000', 'x'));
      assert.equal(r.code, 0, r.stdout + r.stderr);
    });
  });

  describe('AWS CLI', () => {
    const cli = (region: string, secret: string) =>
      run('aws', ['cognito-idp', 'list-user-pools', '--max-results', '5', '--endpoint-url', t.endpoint, '--region', region, '--output', 'json'], awsEnv(t.credentials.accessKeyId, secret));

    it('list-user-pools in the signed region', async () => {
      const r = await cli('eu-west-1', t.credentials.secretAccessKey);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const out = parseJson(r.stdout);
      assert.ok(typeof out === 'object' && out !== null && 'UserPools' in out && Array.isArray(out.UserPools), r.stdout);
      const ids = out.UserPools.map((p: unknown) => (typeof p === 'object' && p !== null && 'Id' in p ? p.Id : undefined));
      assert.deepEqual(ids, [euPoolId]);
    });

    it('a wrong secret fails with InvalidSignatureException', async () => {
      const r = await cli('us-east-1', 'not-the-secret');
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stderr, /InvalidSignatureException/);
    });
  });
});
