// Sign-in scenarios (issue 3): USER_PASSWORD_AUTH, the two-step USER_SRP_AUTH and REFRESH_TOKEN_AUTH on a
// seeded pool (100,000 users by default), the server in its own process on SQLite. Throughput is also
// given per core of server CPU, which is what the targets are stated in (the generator shares the machine).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../lib/client.mjs';
import { person } from '../lib/names.mjs';
import { freePort, settle } from '../lib/procs.mjs';
import { measurePerCore, perCoreReport } from '../lib/per-core.mjs';
import { atLeast, below, fmt, progress, table } from '../lib/report.mjs';
import { SEED_PASSWORD, seedUsers } from '../lib/seed.mjs';
import { CREDENTIALS, startTessera } from '../lib/servers.mjs';
import { srpAnswer, srpStart } from '../lib/srp-client.mjs';

export const SIGNIN_TARGETS = {
  passwordPerCore: atLeast(100, ' /s/core'),
  srpPerCore: atLeast(150, ' /s/core'),
  refreshPerCore: atLeast(1000, ' /s/core'),
  rssMb: below(300, ' MB'),
};

const pick = (n) => Math.floor(Math.random() * n);

function tokensOf(a, what) {
  const r = a.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken) throw new Error(`${what}: no tokens in ${JSON.stringify(a).slice(0, 200)}`);
  return r;
}

/**
 * The three sign-in workloads; users are addressed by email, the pool's sign-in name. Both password flows
 * sign in users [0, srpUsers), the ones seeded with an SRP verifier as every password set now stores one
 * (a user without one gets it at the first password sign-in, a one-time cost that would skew the figure).
 */
function workloads(client, poolId, clientId, srpUsers, refreshTokens) {
  return {
    password: {
      name: 'USER_PASSWORD_AUTH',
      request: async () => {
        const a = await client.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: person(pick(srpUsers)).email, PASSWORD: SEED_PASSWORD },
        });
        const r = tokensOf(a, 'USER_PASSWORD_AUTH');
        if (refreshTokens.length < 2000) refreshTokens.push(r.RefreshToken);
        return 1;
      },
    },
    srp: {
      name: 'USER_SRP_AUTH (two steps)',
      request: async () => {
        const start = srpStart();
        const c = await client.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: person(pick(srpUsers)).email, SRP_A: start.srpA },
        });
        if (c.ChallengeName !== 'PASSWORD_VERIFIER') throw new Error(`USER_SRP_AUTH: ${JSON.stringify(c).slice(0, 200)}`);
        const a = await client.call('RespondToAuthChallenge', {
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: srpAnswer(poolId, c.ChallengeParameters, SEED_PASSWORD, start),
        });
        tokensOf(a, 'PASSWORD_VERIFIER');
        return 1;
      },
    },
    refresh: {
      name: 'REFRESH_TOKEN_AUTH',
      request: async () => {
        const token = refreshTokens[pick(refreshTokens.length)];
        const a = await client.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } });
        tokensOf(a, 'REFRESH_TOKEN_AUTH');
        return 1;
      },
    },
  };
}

/**
 * @param {{users: number, srpUsers: number, durationMs: number, warmupMs: number, quietWaitMs: number,
 *          dataDir?: string, keep: boolean, profileDir?: string}} o
 */
export async function runSignInSuite(o) {
  const results = { users: o.users, srpUsers: Math.min(o.srpUsers, o.users), tables: {} };
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-bench-signin-'));
  mkdirSync(dataDir, { recursive: true });
  try {
    let server = await startTessera({ dataDir, port: await freePort() });
    let client = createClient({ endpoint: server.endpoint, ...CREDENTIALS });
    const pool = await client.call('CreateUserPool', { PoolName: 'bench-signin', UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    const poolId = pool.UserPool.Id;
    const app = await client.call('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: 'bench',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const clientId = app.UserPoolClient.ClientId;
    client.close();
    await server.stop();

    const bar = progress(`seeding ${fmt.int(o.users)} users (SRP verifiers for ${fmt.int(results.srpUsers)})`);
    results.seed = await seedUsers({ dbPath: join(dataDir, 'tessera.db'), poolId, n: o.users, srp: { users: results.srpUsers, dataDir }, onProgress: (d) => bar.update(fmt.int(d)) });
    bar.done();

    server = await startTessera({ dataDir, port: await freePort(), nodeArgs: o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [] });
    client = createClient({ endpoint: server.endpoint, ...CREDENTIALS, maxSockets: 64 });
    const refreshTokens = [];
    const w = workloads(client, poolId, clientId, results.srpUsers, refreshTokens);
    const phase = { durationMs: o.durationMs, warmupMs: o.warmupMs, quietWaitMs: o.quietWaitMs };

    results.password = await measurePerCore(server, w.password, 8, phase);
    results.tables.password = perCoreReport(`[S1] USER_PASSWORD_AUTH (Argon2id verify), 8 clients, ${fmt.int(results.srpUsers)} of ${fmt.int(o.users)} users`, results.password, SIGNIN_TARGETS.passwordPerCore);
    results.srp = await measurePerCore(server, w.srp, 8, phase);
    results.tables.srp = perCoreReport(`[S2] USER_SRP_AUTH, InitiateAuth + RespondToAuthChallenge per sign-in, 8 clients, ${fmt.int(results.srpUsers)} of ${fmt.int(o.users)} users`, results.srp, SIGNIN_TARGETS.srpPerCore);
    results.refresh = await measurePerCore(server, w.refresh, 32, phase);
    results.tables.refresh = perCoreReport(`[S3] REFRESH_TOKEN_AUTH over ${fmt.int(refreshTokens.length)} refresh tokens, 32 clients`, results.refresh, SIGNIN_TARGETS.refreshPerCore);

    client.close();
    const peak = Math.max(results.password.lifetimePeakRssMb, results.srp.lifetimePeakRssMb, results.refresh.lifetimePeakRssMb);
    await server.stop();
    results.peakRssMb = peak;
    results.tables.memory = table('[S4] Memory', [['peak RSS over the sign-in scenarios (VmHWM)', fmt.mb(peak), SIGNIN_TARGETS.rssMb, peak]], [
      `seeding ${fmt.int(o.users)} users took ${(results.seed.ms / 1000).toFixed(1)} s (SRP verifiers are one modular exponentiation each)`,
    ]);
    return results;
  } finally {
    if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
    else process.stdout.write(`\nData kept in ${dataDir}\n`);
  }
}
