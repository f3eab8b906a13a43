/**
 * The `tessera` command line, run as a real child process (bin/tessera.js over the built dist/): key
 * management, the outbox, the first-start generated key, flags, fail-fast configuration, and a clean SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera } from './helpers/server.js';
import { signHeaders, TARGET_PREFIX } from './helpers/wire.js';

const BIN = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without any TESSERA_* setting of the caller's, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TESSERA_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `tessera ARGS` to completion. */
function tessera(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 30_000): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

interface Running {
  child: ChildProcess;
  endpoint: string;
  stdout: () => string;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<Done>;
}

/** Starts `tessera serve ARGS` and resolves once it printed "Ready". */
function serve(args: string[], extraEnv: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'serve', '--log-level', 'error', ...args], { env: cleanEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const ended = new Promise<Done>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tessera serve did not get ready:\n${stdout}${stderr}`));
    }, 30_000);
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m?.[1] !== undefined && /Ready in \d+ ms/.test(stdout)) {
        clearTimeout(timer);
        resolve({
          child,
          endpoint: m[1].replace('[::1]', '127.0.0.1'),
          stdout: () => stdout,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return ended;
          },
        });
      }
    });
    void ended.then((d) => {
      clearTimeout(timer);
      reject(new Error(`tessera serve exited (${d.code ?? d.signal}) before it was ready:\n${d.stdout}${d.stderr}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  dirs.push(d);
  return d;
}

function parseCredentialsFile(text: string): { accessKeyId: string; secretAccessKey: string } {
  const id = /aws_access_key_id = (\S+)/.exec(text)?.[1];
  const secret = /aws_secret_access_key = (\S+)/.exec(text)?.[1];
  assert.ok(id && secret, `credentials file: ${text}`);
  return { accessKeyId: id, secretAccessKey: secret };
}

describe('tessera CLI', () => {
  before(() => {
    assert.ok(existsSync(DIST), 'dist/ is missing: run `npm run build` (npm test does) before this test');
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('first start', () => {
    it('prints a generated key once, writes <data>/credentials 0600, and does not print it again', async () => {
      const dir = tempDir();
      const first = await serve(['--port', '0', '--data', dir]);
      const firstDone = await first.stop();
      assert.equal(firstDone.code, 0, firstDone.stderr);
      assert.match(firstDone.stdout, /Generated an administrator access key/);
      const file = join(dir, 'credentials');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const creds = parseCredentialsFile(readFileSync(file, 'utf8'));
      assert.ok(firstDone.stdout.includes(creds.accessKeyId) && firstDone.stdout.includes(creds.secretAccessKey));
      assert.match(firstDone.stdout, new RegExp(`data directory ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

      const second = await serve(['--port', '0', '--data', dir]);
      try {
        assert.doesNotMatch(second.stdout(), /Generated an administrator access key/);
        assert.ok(!second.stdout().includes(creds.secretAccessKey));
        // The generated key signs requests.
        const c = new CognitoIdentityProviderClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: { ...creds }, maxAttempts: 1 });
        const out = await c.send(new ListUserPoolsCommand({ MaxResults: 5 }));
        assert.deepEqual(out.UserPools, []);
        c.destroy();
      } finally {
        const done = await second.stop();
        assert.equal(done.code, 0, done.stderr);
      }
      // The credentials file is not rewritten.
      assert.deepEqual(parseCredentialsFile(readFileSync(file, 'utf8')), creds);
    });
  });

  describe('keys', () => {
    it('create, list, delete on a data directory; a created key signs requests, a deleted one no longer does', async () => {
      const dir = tempDir();
      const created = await tessera(['keys', 'create', '--description', 'ci robot', '--data', dir]);
      assert.equal(created.code, 0, created.stderr);
      const id = /AccessKeyId:\s+(\S+)/.exec(created.stdout)?.[1] ?? '';
      const secret = /SecretAccessKey:\s+(\S+)/.exec(created.stdout)?.[1] ?? '';
      assert.match(id, /^AKIA[A-Z2-7]{16}$/);
      assert.ok(secret.length >= 40);
      assert.match(created.stdout, new RegExp(`Data: SQLite .*${dir.split('/').pop() ?? ''}`));

      const listed = await tessera(['keys', 'list', '--data', dir]);
      assert.equal(listed.code, 0, listed.stderr);
      const line = listed.stdout.split('\n').find((l) => l.startsWith(id));
      assert.ok(line, listed.stdout);
      assert.match(line, /ci robot/);
      assert.ok(!listed.stdout.includes(secret), 'keys list printed a secret');

      const server = await serve(['--port', '0', '--data', dir]);
      try {
        const c = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: id, secretAccessKey: secret }, maxAttempts: 1 });
        await c.send(new ListUserPoolsCommand({ MaxResults: 5 }));
        c.destroy();
      } finally {
        assert.equal((await server.stop()).code, 0);
      }

      const deleted = await tessera(['keys', 'delete', id, '--data', dir]);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.match(deleted.stdout, new RegExp(`Deleted ${id}`));
      const after_ = await tessera(['keys', 'list', '--data', dir]);
      assert.ok(!after_.stdout.includes(id), after_.stdout);

      const again = await tessera(['keys', 'delete', id, '--data', dir]);
      assert.equal(again.code, 1);
      assert.match(again.stdout, new RegExp(`No access key ${id}`));

      const server2 = await serve(['--port', '0', '--data', dir]);
      try {
        const c = new CognitoIdentityProviderClient({ endpoint: server2.endpoint, region: 'us-east-1', credentials: { accessKeyId: id, secretAccessKey: secret }, maxAttempts: 1 });
        await assert.rejects(c.send(new ListUserPoolsCommand({ MaxResults: 5 })), { name: 'UnrecognizedClientException' });
        c.destroy();
      } finally {
        assert.equal((await server2.stop()).code, 0);
      }
    });

    it('an unknown keys subcommand fails and says so', async () => {
      const r = await tessera(['keys', 'rotate', '--data', tempDir()]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown keys command 'rotate'/);
    });
  });

  describe('outbox', () => {
    it('prints the messages the server sent, filtered by pool and destination', async () => {
      const dir = tempDir();
      const t = await startTessera({ dataDir: dir });
      let poolId = '';
      try {
        const c = t.client();
        poolId = (await c.send(new CreateUserPoolCommand({ PoolName: 'outbox' }))).UserPool?.Id ?? '';
        for (const name of ['olga', 'oscar']) {
          await c.send(
            new AdminCreateUserCommand({
              UserPoolId: poolId,
              Username: name,
              DesiredDeliveryMediums: ['EMAIL'],
              UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }],
            }),
          );
        }
      } finally {
        await t.close();
      }
      const all = await tessera(['outbox', '--data', dir]);
      assert.equal(all.code, 0, all.stderr);
      assert.match(all.stdout, /EMAIL to olga@example\.com/);
      assert.match(all.stdout, /EMAIL to oscar@example\.com/);
      assert.match(all.stdout, new RegExp(`pool ${poolId}`));
      assert.match(all.stdout, /2 message\(s\) from SQLite/);
      const one = await tessera(['outbox', '--data', dir, '--to', 'oscar@example.com']);
      assert.match(one.stdout, /1 message\(s\)/);
      assert.doesNotMatch(one.stdout, /olga/);
      const none = await tessera(['outbox', '--data', dir, '--pool', 'us-east-1_nopool']);
      assert.match(none.stdout, /^0 message\(s\)/m);
    });
  });

  describe('serve', () => {
    it('--port N --data DIR listens on that port', async () => {
      const port = await freePort();
      const dir = tempDir();
      const server = await serve(['--port', String(port), '--data', dir], { TESSERA_ACCESS_KEY_ID: 'AKIACLITEST000000001', TESSERA_SECRET_ACCESS_KEY: 'cli-test-secret' });
      try {
        assert.equal(new URL(server.endpoint).port, String(port));
        const res = await fetch(`http://127.0.0.1:${port}/_tessera/health`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ok' });
        // Keys from the environment: nothing generated, no credentials file.
        assert.doesNotMatch(server.stdout(), /Generated an administrator access key/);
        assert.equal(existsSync(join(dir, 'credentials')), false);
        assert.ok(existsSync(join(dir, 'tessera.db')));
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
    });

    it('flags in --name=value form and environment variables work too', async () => {
      const port = await freePort();
      const server = await serve([`--port=${port}`, '--data=:memory:'], { TESSERA_REGION: 'eu-west-1' });
      try {
        assert.equal(new URL(server.endpoint).port, String(port));
        assert.match(server.stdout(), /--region eu-west-1/);
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
    });

    it('an unknown flag fails fast, naming it', async () => {
      const started = Date.now();
      const r = await tessera(['serve', '--data', ':memory:', '--prot', '9999']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /unknown option '--prot'/);
      assert.ok(Date.now() - started < 10_000);
    });

    it('an unknown TESSERA_ variable fails fast, naming it', async () => {
      const r = await tessera(['serve', '--data', ':memory:'], { TESSERA_PROT: '9999' });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /TESSERA_PROT/);
    });

    it('a bad value fails fast, naming the setting', async () => {
      const r = await tessera(['serve', '--data', ':memory:', '--port', 'eighty']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--port: expected an integer/);
      const e = await tessera(['serve', '--data', ':memory:'], { TESSERA_LOG_LEVEL: 'loud' });
      assert.equal(e.code, 2);
      assert.match(e.stderr, /TESSERA_LOG_LEVEL/);
    });

    it('an unknown command fails', async () => {
      const r = await tessera(['frobnicate']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown command 'frobnicate'/);
    });

    it('SIGTERM drains the request in flight, then exits 0', async () => {
      const credentials = { accessKeyId: 'AKIACLITEST000000002', secretAccessKey: 'cli-drain-secret' };
      const server = await serve(['--port', '0', '--data', ':memory:'], { TESSERA_ACCESS_KEY_ID: credentials.accessKeyId, TESSERA_SECRET_ACCESS_KEY: credentials.secretAccessKey });
      const body = JSON.stringify({ PoolName: 'drained' });
      const headers = await signHeaders(server.endpoint, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET_PREFIX}CreateUserPool` }, body, credentials);
      const url = new URL(server.endpoint);
      // Send the headers and half the body, signal the server, then finish the body.
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        // agent: false (Connection: close). A keep-alive connection that was busy when the server began
        // closing is only dropped after the keep-alive timeout, which would add 5 s to the exit.
        const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
          let text = '';
          res.on('data', (b: Buffer) => (text += b.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 200);
      });
      const res = await answer;
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, /"Name":"drained"/);
      const done = await server.stop('SIGTERM');
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.signal, null);
      assert.match(done.stdout, /SIGTERM: draining requests/);
    });

    it('SIGTERM on an idle server exits 0 promptly', async () => {
      const server = await serve(['--port', '0', '--data', tempDir()]);
      const started = Date.now();
      const done = await server.stop('SIGTERM');
      assert.equal(done.code, 0, done.stderr);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    });

    it('--workers 2 serves from two processes sharing the port and one store; SIGTERM stops them all', async () => {
      const creds = { accessKeyId: 'AKIACLUSTERTEST00001', secretAccessKey: 'cluster-secret-cluster-secret-000000' };
      const env = { TESSERA_ACCESS_KEY_ID: creds.accessKeyId, TESSERA_SECRET_ACCESS_KEY: creds.secretAccessKey };
      const server = await serve(['--port', '0', '--data', tempDir(), '--workers', '2'], env);
      assert.match(server.stdout(), /with 2 worker processes/);
      const children = readFileSync(`/proc/${server.child.pid ?? 0}/task/${server.child.pid ?? 0}/children`, 'utf8').trim().split(/\s+/);
      assert.equal(children.length, 2, 'two worker processes');
      const c = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
      // New connections are spread over the workers; every one of them sees every pool.
      const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => c.send(new CreateUserPoolCommand({ PoolName: `w${i}` }))));
      const listed = await c.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      assert.deepEqual(new Set(listed.UserPools?.map((p) => p.Id)), new Set(ids.map((r) => r.UserPool?.Id)));
      c.destroy();
      const done = await server.stop('SIGTERM');
      assert.equal(done.code, 0, done.stderr);
      for (const pid of children) assert.equal(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), false, `worker ${pid} is gone`);
    });

    it('--workers above 1 refuses an in-memory store', async () => {
      const done = await tessera(['serve', '--data', ':memory:', '--workers', '2']);
      assert.equal(done.code, 2);
      assert.match(done.stderr, /--workers above 1 needs a data directory or --database/);
    });
  });
});
