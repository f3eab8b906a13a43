// OAuth scenarios (issue 6): client_credentials tokens per second (Keycloak's published sizing: 120 per
// vCPU; Cognito's ClientAuthentication quota: 150/s) and authorization-code exchanges per second, with p99.
// The server runs in its own process on SQLite; the generator speaks plain HTTP as an OAuth client would.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../lib/client.mjs';
import { measurePerCore, perCoreReport } from '../lib/per-core.mjs';
import { freePort } from '../lib/procs.mjs';
import { atLeast, below } from '../lib/report.mjs';
import { CREDENTIALS, startTessera } from '../lib/servers.mjs';

export const OAUTH_TARGETS = {
  clientCredentialsPerCore: atLeast(120, ' /s/core'),
  codeExchangesPerCore: atLeast(120, ' /s/core'),
  rssMb: below(300, ' MB'),
};

const CALLBACK = 'http://localhost/cb';
const PASSWORD = 'Bench-Passw0rd!';

/** Pool, resource server, a machine client and a browser client, and one user (all through the API). */
async function setUp(endpoint) {
  const api = createClient({ endpoint, ...CREDENTIALS });
  const pool = (await api.call('CreateUserPool', { PoolName: 'bench-oauth' })).UserPool.Id;
  await api.call('CreateResourceServer', { UserPoolId: pool, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] });
  const m2m = (
    await api.call('CreateUserPoolClient', {
      UserPoolId: pool,
      ClientName: 'm2m',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['api/read'],
    })
  ).UserPoolClient;
  const web = (
    await api.call('CreateUserPoolClient', {
      UserPoolId: pool,
      ClientName: 'web',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
    })
  ).UserPoolClient;
  await api.call('AdminCreateUser', { UserPoolId: pool, Username: 'bench', MessageAction: 'SUPPRESS' });
  await api.call('AdminSetUserPassword', { UserPoolId: pool, Username: 'bench', Password: PASSWORD, Permanent: true });
  api.close();
  return { pool, m2m, web };
}

/** Signs in once on the hosted page and returns the browser's cookies (session and CSRF). */
async function signIn(endpoint, webClientId) {
  const query = new URLSearchParams({ client_id: webClientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' }).toString();
  const page = await fetch(`${endpoint}/login?${query}`);
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const body = new URLSearchParams({ _csrf: token, username: 'bench', password: PASSWORD }).toString();
  const res = await fetch(`${endpoint}/login?${query}`, { method: 'POST', redirect: 'manual', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
  if (res.status !== 302) throw new Error(`hosted sign-in failed: ${res.status}`);
  return [csrfCookie, ...res.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
}

function workloads(endpoint, s, cookie) {
  const basic = `Basic ${Buffer.from(`${s.m2m.ClientId}:${s.m2m.ClientSecret}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  return {
    clientCredentials: {
      name: 'client_credentials (POST /oauth2/token, client_secret_basic)',
      request: async () => {
        const r = await fetch(`${endpoint}/oauth2/token`, { method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=client_credentials&scope=api%2Fread' });
        const j = await r.json();
        if (!j.access_token) throw new Error(`client_credentials: ${JSON.stringify(j)}`);
        return 1;
      },
    },
    codeExchange: {
      name: 'authorization code: GET /oauth2/authorize (signed-in session) + POST /oauth2/token',
      request: async () => {
        const q = new URLSearchParams({ client_id: s.web.ClientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email' });
        const a = await fetch(`${endpoint}/oauth2/authorize?${q}`, { redirect: 'manual', headers: { cookie } });
        const code = new URL(a.headers.get('location') ?? '', endpoint).searchParams.get('code');
        if (!code) throw new Error(`authorize: ${a.status} ${a.headers.get('location')}`);
        const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: s.web.ClientId, code, redirect_uri: CALLBACK }).toString();
        const r = await fetch(`${endpoint}/oauth2/token`, { method: 'POST', headers: form, body });
        const j = await r.json();
        if (!j.id_token) throw new Error(`code exchange: ${JSON.stringify(j)}`);
        return 1;
      },
    },
  };
}

/** @param {{durationMs: number, warmupMs: number, quietWaitMs: number, concurrency: number, dataDir?: string, keep: boolean}} o */
export async function runOAuthSuite(o) {
  const results = { tables: {} };
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-bench-oauth-'));
  mkdirSync(dataDir, { recursive: true });
  const server = await startTessera({ dataDir, port: await freePort() });
  try {
    const s = await setUp(server.endpoint);
    const cookie = await signIn(server.endpoint, s.web.ClientId);
    const w = workloads(server.endpoint, s, cookie);
    const phase = { durationMs: o.durationMs, warmupMs: o.warmupMs, quietWaitMs: o.quietWaitMs };
    const clients = Math.min(o.concurrency, 32);
    results.clientCredentials = await measurePerCore(server, w.clientCredentials, clients, phase);
    results.tables.clientCredentials = perCoreReport(`[O1] client_credentials tokens, ${clients} clients`, results.clientCredentials, OAUTH_TARGETS.clientCredentialsPerCore, 'tokens');
    results.codeExchange = await measurePerCore(server, w.codeExchange, clients, phase);
    results.tables.codeExchange = perCoreReport(`[O2] authorization-code exchanges (authorize with a session cookie, then the token endpoint), ${clients} clients`, results.codeExchange, OAUTH_TARGETS.codeExchangesPerCore, 'exchanges');
    return results;
  } finally {
    await server.stop();
    if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}
