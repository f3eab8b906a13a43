/**
 * Durability of the embedded (SQLite) store: what the API acknowledged survives a restart, and a process
 * killed with SIGKILL in the middle of concurrent AdminCreateUser calls leaves no half-written user behind
 * (every user row has exactly its alias rows and consistent search columns) and loses no acknowledged one.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera } from './helpers/server.js';
import { inBatches } from './helpers/wire.js';

const BIN = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tessera-durability-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const attr = (u: { Attributes?: Array<{ Name?: string; Value?: string }> }, name: string) => u.Attributes?.find((a) => a.Name === name)?.Value;

/** Starts `tessera serve` as a child process and resolves with its URL once it listens. */
function startCli(dir: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<{ child: ChildProcess; endpoint: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TESSERA_')) env[k] = v;
  env.TESSERA_ACCESS_KEY_ID = credentials.accessKeyId;
  env.TESSERA_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  const child = spawn(process.execPath, [BIN, 'serve', '--data', dir, '--port', '0', '--log-level', 'error'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, endpoint: m[1].replace('[::1]', '127.0.0.1'), output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

describe('durability (SQLite data directory)', () => {
  it('pools, clients, groups and users survive a restart', async () => {
    const dir = tempDir();
    let t = await startTessera({ dataDir: dir });
    let c = t.client();
    const pool = await c.send(new CreateUserPoolCommand({ PoolName: 'durable', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
    const poolId = pool.UserPool?.Id ?? '';
    const client = await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', GenerateSecret: true }));
    const clientId = client.UserPoolClient?.ClientId ?? '';
    const secret = client.UserPoolClient?.ClientSecret ?? '';
    assert.ok(secret.length > 0);
    await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 }));
    const subs = new Map<string, string>();
    for (const name of ['ann', 'bob', 'cäcilie']) {
      const u = await c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: name,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: `${name}@example.com` },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      subs.set(name, attr(u.User ?? {}, 'sub') ?? '');
    }
    await t.close();

    t = await startTessera({ dataDir: dir });
    try {
      c = t.client();
      const d = await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(d.UserPool?.Name, 'durable');
      assert.deepEqual(d.UserPool?.AliasAttributes, ['email']);
      // The client secret is sealed with the server key kept in the data directory: still readable.
      const dc = await c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal(dc.UserPoolClient?.ClientSecret, secret);
      const g = await c.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
      assert.equal(g.Group?.Precedence, 1);
      const listed = await c.send(new ListUsersCommand({ UserPoolId: poolId }));
      assert.deepEqual((listed.Users ?? []).map((u) => u.Username).sort(), ['ann', 'bob', 'cäcilie']);
      for (const [name, sub] of subs) {
        const byAlias = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `${name}@example.com` }));
        assert.equal(byAlias.Username, name);
        assert.equal(attr({ Attributes: byAlias.UserAttributes ?? [] }, 'sub'), sub);
      }
    } finally {
      await t.close();
    }
  });

  it('SIGKILL during concurrent AdminCreateUser leaves only whole users, and keeps every acknowledged one', { timeout: 180_000 }, async (ctx) => {
    assert.ok(existsSync(DIST), 'dist/ is missing: run `npm run build` (npm test does) before this test');
    const dir = tempDir();
    const credentials = { accessKeyId: 'AKIADURABILITYTEST01', secretAccessKey: 'durability-secret-durability-secret-0001' };
    const server = await startCli(dir, credentials);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      server.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const c = new CognitoIdentityProviderClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const pool = await c.send(
      new CreateUserPoolCommand({ PoolName: 'kill-9', AliasAttributes: ['email', 'phone_number', 'preferred_username'] }),
    );
    const poolId = pool.UserPool?.Id ?? '';

    const TOTAL = 400;
    const KILL_AFTER = 60;
    const acknowledged = new Set<string>();
    let failed = 0;
    let killed = false;
    const names = Array.from({ length: TOTAL }, (_, i) => `user${String(i).padStart(4, '0')}`);
    await inBatches(names, 24, async (name) => {
      if (killed) return;
      const i = Number(name.slice(4));
      try {
        await c.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: name,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: `${name}@example.com` },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'phone_number', Value: `+1555${String(1000000 + i)}` },
              { Name: 'phone_number_verified', Value: 'true' },
              { Name: 'preferred_username', Value: `pref-${name}` },
            ],
          }),
        );
        acknowledged.add(name);
        if (acknowledged.size >= KILL_AFTER && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      } catch {
        failed++;
      }
    });
    c.destroy();
    const exit = await exited;
    assert.equal(exit.signal, 'SIGKILL', `the server ended on its own (${exit.code}) before the kill:\n${server.output()}`);
    assert.ok(acknowledged.size >= KILL_AFTER && acknowledged.size < TOTAL, `acknowledged ${acknowledged.size}`);
    assert.ok(failed > 0, 'no request was cut off by the kill');

    // Restart in-process on the same directory and inspect the rows themselves.
    const t = await startTessera({ dataDir: dir });
    try {
      const s = t.app.store;
      const rows = await s.dialect.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).execute();
      const stored = new Set(rows.map((r) => r.username));
      ctx.diagnostic(`${acknowledged.size} acknowledged, ${failed} cut off by the kill, ${rows.length} users stored`);
      for (const name of acknowledged) assert.ok(stored.has(name), `acknowledged user ${name} was lost`);
      for (const r of rows) {
        const attrs: unknown = JSON.parse(r.attributes);
        assert.ok(typeof attrs === 'object' && attrs !== null, r.username);
        const get = (k: string) => (k in attrs ? Reflect.get(attrs, k) : undefined);
        assert.equal(get('email'), `${r.username}@example.com`);
        assert.equal(r.email, get('email'), `search column email of ${r.username}`);
        assert.equal(r.phone_number, get('phone_number'), `search column phone_number of ${r.username}`);
        assert.equal(r.preferred_username, get('preferred_username'), `search column preferred_username of ${r.username}`);
        assert.ok(r.password_hash?.startsWith('$argon2id$'), `password hash of ${r.username}`);
        assert.equal(await s.users.countAliases(r.id), 3, `aliases of ${r.username}`);
        assert.equal((await s.users.findByAlias(poolId, 'email', `${r.username}@example.com`))?.id, r.id);
        assert.equal((await s.users.findByAlias(poolId, 'phone_number', String(get('phone_number'))))?.id, r.id);
        assert.equal((await s.users.findByAlias(poolId, 'preferred_username', `pref-${r.username}`))?.id, r.id);
      }
      // No alias row without its user.
      const aliasRows = await s.dialect.db.selectFrom('user_aliases').select('user_id').where('pool_id', '=', poolId).execute();
      assert.equal(aliasRows.length, rows.length * 3);
      // The restarted server serves them.
      const listed = await t.client().send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60 }));
      assert.equal((listed.Users ?? []).length, Math.min(rows.length, 60));
    } finally {
      await t.close();
    }
  });
});
