// Trigger overhead (issue 5): sign-in throughput with a pre token generation trigger run as a webhook and as a
// module, against no trigger, on one pool and server (the pool's LambdaConfig is switched between phases).
// USER_PASSWORD_AUTH is dominated by the Argon2id verify; REFRESH_TOKEN_AUTH (~1 ms of server CPU) shows the
// trigger's cost better. The webhook receiver runs in the generator's process, as an application's would run
// elsewhere: it checks the HMAC signature as a real receiver must, and answers with one added claim.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '../lib/client.mjs';
import { freePort } from '../lib/procs.mjs';
import { measurePerCore } from '../lib/per-core.mjs';
import { fmt, grid, progress } from '../lib/report.mjs';
import { CREDENTIALS, ROOT, startTessera } from '../lib/servers.mjs';

const PASSWORD = 'Bench-Passw0rd!';
const SECRET = 'tessera-bench-webhook-secret';
const ARN = (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const MODES = [
  { mode: 'none', lambda: {} },
  { mode: 'webhook', lambda: { PreTokenGeneration: ARN('bench-webhook') } },
  { mode: 'module', lambda: { PreTokenGeneration: ARN('bench-module') } },
];
const emailOf = (i) => `bench${i}@example.com`;
const pick = (n) => Math.floor(Math.random() * n);
/** A pool's cached settings live up to 1 s on each node (PoolService): wait that out after a change. */
const POOL_CACHE_MS = 1200;

/** The webhook: verifies X-Tessera-Signature (docs/ARCHITECTURE.md, "Lambda triggers"), adds one claim. */
async function startReceiver() {
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(`${req.headers['x-tessera-timestamp']}.`).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-tessera-signature'] ?? ''));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        res.writeHead(401).end(JSON.stringify({ errorMessage: 'bad signature' }));
        return;
      }
      calls++;
      const event = JSON.parse(body.toString('utf8'));
      event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { bench_trigger: 'webhook' } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
    });
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/pre-token`, calls: () => calls, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

/** The ID token's bench_trigger claim: which function (if any) ran for this answer. */
function triggerClaim(answer, what) {
  const id = answer.AuthenticationResult?.IdToken;
  if (!id) throw new Error(`${what}: no tokens in ${JSON.stringify(answer).slice(0, 200)}`);
  return JSON.parse(Buffer.from(id.split('.')[1] ?? '', 'base64url').toString('utf8')).bench_trigger;
}

function workloads(client, clientId, users, refreshTokens, mode) {
  const expect = mode === 'none' ? undefined : mode;
  const check = (a, what) => {
    const got = triggerClaim(a, what);
    if (got !== expect) throw new Error(`${what}: expected bench_trigger ${expect}, got ${got}`);
  };
  return {
    password: {
      name: `USER_PASSWORD_AUTH, trigger: ${mode}`,
      request: async () => {
        const a = await client.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: emailOf(pick(users)), PASSWORD } });
        check(a, 'USER_PASSWORD_AUTH');
        if (refreshTokens.length < 2000) refreshTokens.push(a.AuthenticationResult.RefreshToken);
        return 1;
      },
    },
    refresh: {
      name: `REFRESH_TOKEN_AUTH, trigger: ${mode}`,
      request: async () => {
        const a = await client.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshTokens[pick(refreshTokens.length)] } });
        check(a, 'REFRESH_TOKEN_AUTH');
        return 1;
      },
    },
  };
}

/** Users through the API (AdminCreateUser + AdminSetUserPassword), 8 at a time. */
async function createUsers(client, poolId, n) {
  const bar = progress(`creating ${fmt.int(n)} users`);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await client.call('AdminCreateUser', { UserPoolId: poolId, Username: emailOf(i), MessageAction: 'SUPPRESS' });
      await client.call('AdminSetUserPassword', { UserPoolId: poolId, Username: emailOf(i), Password: PASSWORD, Permanent: true });
      bar.update(fmt.int(i + 1));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  bar.done();
}

/** Server CPU per sign-in (ms) from the per-core rate. */
const cpuMs = (r) => 1000 / r.perCore;

/**
 * @param {{users: number, durationMs: number, warmupMs: number, quietWaitMs: number, dataDir?: string, keep: boolean}} o
 */
export async function runTriggerSuite(o) {
  const users = o.users;
  const results = { users, phases: {} };
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-bench-triggers-'));
  const receiver = await startReceiver();
  const functions = { 'bench-webhook': receiver.url, 'bench-module': pathToFileURL(join(ROOT, 'bench/lib/pre-token-module.mjs')).href };
  const server = await startTessera({ dataDir, port: await freePort(), env: { TESSERA_LAMBDA_WEBHOOK_SECRET: SECRET, TESSERA_LAMBDA_FUNCTIONS: JSON.stringify(functions) } });
  const client = createClient({ endpoint: server.endpoint, ...CREDENTIALS, maxSockets: 64 });
  try {
    const pool = await client.call('CreateUserPool', { PoolName: 'bench-triggers', UsernameAttributes: ['email'] });
    const poolId = pool.UserPool.Id;
    const app = await client.call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const clientId = app.UserPoolClient.ClientId;
    await createUsers(client, poolId, users);
    const phase = { durationMs: o.durationMs, warmupMs: o.warmupMs, quietWaitMs: o.quietWaitMs };
    const refreshTokens = [];
    for (const { mode, lambda } of MODES) {
      await client.call('UpdateUserPool', { UserPoolId: poolId, LambdaConfig: lambda });
      await new Promise((r) => setTimeout(r, POOL_CACHE_MS));
      const w = workloads(client, clientId, users, refreshTokens, mode);
      results.phases[`password-${mode}`] = await measurePerCore(server, w.password, 8, phase);
      results.phases[`refresh-${mode}`] = await measurePerCore(server, w.refresh, 32, phase);
    }
    results.webhookCalls = receiver.calls();
    report(results);
    return results;
  } finally {
    client.close();
    await server.stop();
    await receiver.close();
    if (!o.keep && o.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(results) {
  const rows = [['flow, trigger', 'sign-ins/s', 'per core', 'p50', 'p99', 'server CPU/sign-in', 'CPU overhead', 'p50 overhead', 'errors']];
  for (const flow of ['password', 'refresh']) {
    const base = results.phases[`${flow}-none`];
    for (const { mode } of MODES) {
      const r = results.phases[`${flow}-${mode}`];
      const extra = mode === 'none' ? ['', ''] : [fmt.ms(cpuMs(r) - cpuMs(base)), fmt.ms(r.p50 - base.p50)];
      rows.push([`${flow === 'password' ? 'USER_PASSWORD_AUTH' : 'REFRESH_TOKEN_AUTH'}, ${mode}`, fmt.rate(r.rps, '/s'), fmt.rate(r.perCore, '/s/core'), fmt.ms(r.p50), fmt.ms(r.p99), fmt.ms(cpuMs(r)), ...extra, String(r.errors ?? 0)]);
    }
  }
  grid(`[T1] Pre token generation trigger overhead (one invocation per sign-in), ${fmt.int(results.users)} users`, rows, [
    'CPU overhead: server CPU per sign-in minus the same flow without a trigger (the webhook receiver runs in the generator, not counted).',
    'p50 overhead: added median latency (the webhook\'s includes the receiver and its HTTP round trip; the module\'s a warm worker\'s message round trip).',
    `Every answer was checked for the function's claim; webhook invocations: ${fmt.int(results.webhookCalls)}.`,
  ]);
}
