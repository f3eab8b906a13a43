import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import type { AppClient } from '../src/services/clients.js';
import type { Pool } from '../src/services/pools.js';
import type { UserRow } from '../src/store/schema.js';
import { CognitoError } from '../src/domain/errors.js';

/** aws-jwt-verify fetches JWKS over https only; this fetcher lets it read ours over plain loopback HTTP. */
const httpJwksCache = (): SimpleJwksCache =>
  new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });

async function rejectsWith(call: Promise<unknown>, type: string, message?: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof Error);
    const name = e instanceof CognitoError ? e.type : e.name;
    assert.equal(name, type, `${name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

for (const kind of storeKinds()) {
  describe(`tokens (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let offset = 0;
    const ctx = { region: 'us-east-1', requestId: 'test' };
    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock: { now: () => new Date(Date.now() + offset) } } });
      c = t.client();
    });
    after(() => t.close());

    const newPool = async (): Promise<Pool> => {
      const r = await c.send(
        new CreateUserPoolCommand({
          PoolName: 'tokens',
          Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }, { Name: 'level', AttributeDataType: 'Number', Mutable: true }],
        }),
      );
      return t.app.services.pools.get(ctx, r.UserPool?.Id ?? '');
    };
    const newClient = async (pool: Pool, extra: Partial<CreateUserPoolClientCommandInput> = {}): Promise<AppClient> => {
      const r = await c.send(new CreateUserPoolClientCommand({ UserPoolId: pool.id, ClientName: 'app', ...extra }));
      return t.app.services.clients.getClientForPool(ctx, pool.id, r.UserPoolClient?.ClientId ?? '');
    };
    const newUser = async (pool: Pool, username: string): Promise<UserRow> => {
      await c.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.id,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: `${username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'custom:team', Value: 'blue' },
            { Name: 'custom:level', Value: '7' },
          ],
        }),
      );
      const row = await t.app.store.users.findByUsername(pool.id, username);
      assert.ok(row);
      return row;
    };
    const issuerOf = (pool: Pool) => `${t.app.config.publicUrl}/${pool.id}`;
    const verifier = (pool: Pool, client: AppClient, use: 'id' | 'access') =>
      JwtRsaVerifier.create(
        {
          issuer: issuerOf(pool),
          audience: use === 'id' ? client.id : null,
          jwksUri: `${t.endpoint}/${pool.id}/.well-known/jwks.json`,
          customJwtCheck: ({ payload }) => {
            if (payload.token_use !== use) throw new Error(`token_use ${String(payload.token_use)}`);
            if (use === 'access' && payload.client_id !== client.id) throw new Error('client_id');
          },
        },
        { jwksCache: httpJwksCache() },
      );

    it('publishes a JWKS with separate ID and access keys, and OpenID discovery', async () => {
      const pool = await newPool();
      const res = await fetch(`${t.endpoint}/${pool.id}/.well-known/jwks.json`);
      assert.equal(res.status, 200);
      const body: unknown = await res.json();
      assert.ok(typeof body === 'object' && body !== null && 'keys' in body && Array.isArray(body.keys));
      assert.equal(body.keys.length, 2);
      for (const k of body.keys) {
        assert.deepEqual(Object.keys(k).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
        assert.equal(k.kty, 'RSA');
        assert.equal(k.alg, 'RS256');
        assert.equal(k.use, 'sig');
        assert.equal(Buffer.from(k.n, 'base64url').length, 256);
      }
      assert.notEqual(body.keys[0].kid, body.keys[1].kid);
      const oidc = await (await fetch(`${t.endpoint}/${pool.id}/.well-known/openid-configuration`)).json();
      assert.equal(oidc.issuer, issuerOf(pool));
      assert.equal(oidc.jwks_uri, `${issuerOf(pool)}/.well-known/jwks.json`);
      assert.deepEqual(oidc.id_token_signing_alg_values_supported, ['RS256']);
    });

    it('answers 404 for the JWKS of an unknown pool', async () => {
      const res = await fetch(`${t.endpoint}/us-east-1_nothere1/.well-known/jwks.json`);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).message, 'User pool us-east-1_nothere1 does not exist.');
    });

    it('concurrent first use makes exactly one key per use', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const user = await newUser(pool, 'racer');
      const issued = await Promise.all(Array.from({ length: 8 }, () => t.app.services.tokens.issueForSignIn(pool, client, user)));
      const jwks = await (await fetch(`${t.endpoint}/${pool.id}/.well-known/jwks.json`)).json();
      assert.equal(jwks.keys.length, 2);
      const kids = new Set(issued.flatMap((x) => [decodeProtectedHeader(x.IdToken).kid, decodeProtectedHeader(x.AccessToken).kid]));
      assert.equal(kids.size, 2);
    });

    it('issues ID and access tokens that aws-jwt-verify accepts, with Cognito claims', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      await c.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName: 'admins', Precedence: 1, RoleArn: 'arn:aws:iam::123456789012:role/admin' }));
      await c.send(new CreateGroupCommand({ UserPoolId: pool.id, GroupName: 'users', Precedence: 5, RoleArn: 'arn:aws:iam::123456789012:role/user' }));
      const user = await newUser(pool, 'alice');
      for (const g of ['users', 'admins']) await c.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, Username: 'alice', GroupName: g }));
      const tokens = await t.app.services.tokens.issueForSignIn(pool, client, user, { authTime: 1_700_000_000 });
      assert.equal(tokens.TokenType, 'Bearer');
      assert.equal(tokens.ExpiresIn, 3600);
      assert.ok(tokens.RefreshToken && tokens.RefreshToken.split('.').length === 5);

      const id = await verifier(pool, client, 'id').verify(tokens.IdToken);
      assert.equal(id.sub, user.id);
      assert.equal(id['cognito:username'], 'alice');
      assert.equal(id.email, 'alice@example.com');
      assert.equal(id.email_verified, true);
      assert.equal(id['custom:team'], 'blue');
      assert.equal(id['custom:level'], '7');
      assert.deepEqual(id['cognito:groups'], ['admins', 'users']);
      assert.deepEqual(id['cognito:roles'], ['arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::123456789012:role/user']);
      assert.equal(id['cognito:preferred_role'], 'arn:aws:iam::123456789012:role/admin');
      assert.equal(id.auth_time, 1_700_000_000);
      assert.equal((id.exp ?? 0) - (id.iat ?? 0), 3600);
      for (const k of ['jti', 'origin_jti', 'event_id']) assert.match(String(id[k]), /^[0-9a-f-]{36}$/);

      const access = await verifier(pool, client, 'access').verify(tokens.AccessToken);
      assert.equal(access.username, 'alice');
      assert.equal(access.scope, 'aws.cognito.signin.user.admin');
      assert.deepEqual(access['cognito:groups'], ['admins', 'users']);
      assert.equal(access['cognito:roles'], undefined);
      assert.equal(access.aud, undefined);
      assert.equal(access.origin_jti, id.origin_jti);
      assert.equal(access.event_id, id.event_id);
      assert.notEqual(access.jti, id.jti);
      assert.notEqual(decodeProtectedHeader(tokens.IdToken).kid, decodeProtectedHeader(tokens.AccessToken).kid);
      assert.deepEqual(Object.keys(decodeProtectedHeader(tokens.IdToken)), ['kid', 'alg']);

      // The ID verifier refuses the access token and vice versa.
      await assert.rejects(verifier(pool, client, 'id').verify(tokens.AccessToken));
      await assert.rejects(verifier(pool, client, 'access').verify(tokens.IdToken));
    });

    it('omits group claims for a user without groups and limits attributes to ReadAttributes', async () => {
      const pool = await newPool();
      const client = await newClient(pool, { ReadAttributes: ['email', 'email_verified'], IdTokenValidity: 10, TokenValidityUnits: { IdToken: 'minutes' } });
      const user = await newUser(pool, 'bob');
      const tokens = await t.app.services.tokens.issueForSignIn(pool, client, user);
      const id = decodeJwt(tokens.IdToken);
      assert.equal(id['cognito:groups'], undefined);
      assert.equal(id['custom:team'], undefined);
      assert.equal(id.email, 'bob@example.com');
      assert.equal((id.exp ?? 0) - (id.iat ?? 0), 600);
      assert.equal(decodeJwt(tokens.AccessToken)['cognito:groups'], undefined);
    });

    it('verifies access tokens and refuses tampered, foreign, ID, expired and revoked ones', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const user = await newUser(pool, 'carol');
      const tokens = await t.app.services.tokens.issueForSignIn(pool, client, user);
      const svc = t.app.services.tokens;
      const ok = await svc.verifyAccessToken(tokens.AccessToken);
      assert.equal(ok.user.id, user.id);
      assert.equal(ok.pool.id, pool.id);

      const [h, p, s] = tokens.AccessToken.split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, username: 'mallory' })).toString('base64url')}.${s}`;
      await rejectsWith(svc.verifyAccessToken(forged), 'NotAuthorizedException', 'Invalid Access Token');
      await rejectsWith(svc.verifyAccessToken('garbage'), 'NotAuthorizedException', 'Invalid Access Token');
      await rejectsWith(svc.verifyAccessToken(tokens.IdToken), 'NotAuthorizedException', 'Invalid Access Token');

      const other = await newPool();
      const otherTokens = await svc.issueForSignIn(other, await newClient(other), await newUser(other, 'carol'));
      const [oh, , os] = otherTokens.AccessToken.split('.');
      const moved = `${oh}.${Buffer.from(JSON.stringify({ ...claims, iss: issuerOf(other) })).toString('base64url')}.${os}`;
      await rejectsWith(svc.verifyAccessToken(moved), 'NotAuthorizedException', 'Invalid Access Token');

      offset = 3601_000;
      try {
        await rejectsWith(svc.verifyAccessToken(tokens.AccessToken), 'NotAuthorizedException', 'Access Token has expired');
      } finally {
        offset = 0;
      }

      await c.send(new AdminDisableUserCommand({ UserPoolId: pool.id, Username: 'carol' }));
      await rejectsWith(svc.verifyAccessToken(tokens.AccessToken), 'NotAuthorizedException', 'Access Token has been revoked');
      await c.send(new AdminEnableUserCommand({ UserPoolId: pool.id, Username: 'carol' }));
      await rejectsWith(svc.refresh(pool, client, tokens.RefreshToken ?? ''), 'NotAuthorizedException', 'Refresh Token has been revoked');
    });

    it('refreshes: same session, new tokens, auth_time kept; refuses other clients and garbage', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const user = await newUser(pool, 'dave');
      const svc = t.app.services.tokens;
      const first = await svc.issueForSignIn(pool, client, user, { authTime: 1_700_000_123 });
      const again = await svc.refresh(pool, client, first.RefreshToken ?? '');
      assert.equal(again.RefreshToken, undefined);
      const a = decodeJwt(first.AccessToken);
      const b = decodeJwt(again.AccessToken);
      assert.equal(b.origin_jti, a.origin_jti);
      assert.equal(b.auth_time, 1_700_000_123);
      assert.notEqual(b.jti, a.jti);
      await svc.verifyAccessToken(again.AccessToken);

      const otherClient = await newClient(pool);
      await rejectsWith(svc.refresh(pool, otherClient, first.RefreshToken ?? ''), 'NotAuthorizedException', 'Invalid Refresh Token');
      await rejectsWith(svc.refresh(pool, client, 'not-a-token'), 'NotAuthorizedException', 'Invalid Refresh Token');
      await rejectsWith(svc.refresh(pool, client, first.AccessToken), 'NotAuthorizedException', 'Invalid Refresh Token');
      const r = first.RefreshToken ?? '';
      const tampered = r.slice(0, -4) + (r.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      await rejectsWith(svc.refresh(pool, client, tampered), 'NotAuthorizedException', 'Invalid Refresh Token');
    });

    it('AdminUserGlobalSignOut revokes earlier sessions only', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const user = await newUser(pool, 'erin');
      const svc = t.app.services.tokens;
      const before = await svc.issueForSignIn(pool, client, user);
      await c.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.id, Username: 'erin' }));
      await rejectsWith(svc.refresh(pool, client, before.RefreshToken ?? ''), 'NotAuthorizedException', 'Refresh Token has been revoked');
      await rejectsWith(svc.verifyAccessToken(before.AccessToken), 'NotAuthorizedException', 'Access Token has been revoked');
      const fresh = await t.app.store.users.findByUsername(pool.id, 'erin');
      assert.ok(fresh);
      const later = await svc.issueForSignIn(pool, client, fresh);
      await svc.verifyAccessToken(later.AccessToken);
      await svc.refresh(pool, client, later.RefreshToken ?? '');
    });

    it('rotates refresh tokens when the client asks, with a grace period for the previous one', async () => {
      const pool = await newPool();
      const client = await newClient(pool, {
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      });
      const user = await newUser(pool, 'fay');
      const svc = t.app.services.tokens;
      const first = await svc.issueForSignIn(pool, client, user);
      const second = await svc.refresh(pool, client, first.RefreshToken ?? '');
      assert.ok(second.RefreshToken);
      // The previous token still works within the grace period, and gets the current generation.
      const retry = await svc.refresh(pool, client, first.RefreshToken ?? '');
      assert.ok(retry.RefreshToken);
      offset = 11_000;
      try {
        await rejectsWith(svc.refresh(pool, client, first.RefreshToken ?? ''), 'RefreshTokenReuseException');
        const third = await svc.refresh(pool, client, second.RefreshToken ?? '');
        assert.ok(third.RefreshToken);
        assert.equal(decodeJwt(third.AccessToken).origin_jti, decodeJwt(first.AccessToken).origin_jti);
      } finally {
        offset = 0;
      }
    });

    it('concurrent refreshes of one token under rotation without grace: exactly one succeeds', async () => {
      const pool = await newPool();
      const client = await newClient(pool, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } });
      const user = await newUser(pool, 'gus');
      const first = await t.app.services.tokens.issueForSignIn(pool, client, user);
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => t.app.services.tokens.refresh(pool, client, first.RefreshToken ?? '')));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it('rotating signing keys keeps old tokens verifiable until they expire', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const user = await newUser(pool, 'hal');
      const svc = t.app.services.tokens;
      const old = await svc.issueForSignIn(pool, client, user);
      const kids = await svc.keys.rotate(pool.id);
      const jwks = await (await fetch(`${t.endpoint}/${pool.id}/.well-known/jwks.json`)).json();
      assert.equal(jwks.keys.length, 4);
      const fresh = await svc.issueForSignIn(pool, client, user);
      assert.equal(decodeProtectedHeader(fresh.IdToken).kid, kids.id);
      assert.equal(decodeProtectedHeader(fresh.AccessToken).kid, kids.access);
      await svc.verifyAccessToken(old.AccessToken);
      await verifier(pool, client, 'id').verify(old.IdToken);
      await verifier(pool, client, 'id').verify(fresh.IdToken);
      offset = 86_400_000 + 60_000;
      try {
        const later = await (await fetch(`${t.endpoint}/${pool.id}/.well-known/jwks.json`)).json();
        assert.deepEqual(later.keys.map((k: { kid: string }) => k.kid).sort(), [kids.id, kids.access].sort());
      } finally {
        offset = 0;
      }
    });
  });
}

describe('tessera keys rotate-signing (CLI)', () => {
  it('rotates a pool\'s keys in the store of a running server, which picks them up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-rotate-'));
    let offset = 0;
    const t = await startTessera({ dataDir: dir, overrides: { clock: { now: () => new Date(Date.now() + offset) } } });
    try {
      const c = t.client();
      const created = await c.send(new CreateUserPoolCommand({ PoolName: 'rotate' }));
      const poolId = created.UserPool?.Id ?? '';
      const jwks = async (): Promise<string[]> => (await (await fetch(`${t.endpoint}/${poolId}/.well-known/jwks.json`)).json()).keys.map((k: { kid: string }) => k.kid);
      const before = await jwks();
      const bin = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
      const run = (args: string[]) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const env = { ...process.env, TESSERA_ACCESS_KEY_ID: t.credentials.accessKeyId, TESSERA_SECRET_ACCESS_KEY: t.credentials.secretAccessKey };
          const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          child.stdout.on('data', (b: Buffer) => (out += b.toString()));
          child.stderr.on('data', (b: Buffer) => (out += b.toString()));
          child.on('close', (code) => resolve({ code, out }));
        });
      const r = await run(['keys', 'rotate-signing', '--pool', poolId, '--data', dir]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, new RegExp(`Rotated the signing keys of ${poolId}`));
      const bad = await run(['keys', 'rotate-signing', '--pool', 'us-east-1_missing1', '--data', dir]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.out, /no user pool us-east-1_missing1/);
      offset = 61_000; // past the server's key cache
      const after = await jwks();
      assert.equal(after.length, 4);
      for (const kid of before) assert.ok(after.includes(kid), 'retired keys stay published');
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
