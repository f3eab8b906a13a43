// Sign-in with MFA (issue 4): USER_SRP_AUTH followed by SOFTWARE_TOKEN_MFA on a seeded pool (100,000 users by
// default), the server in its own process on SQLite; compared with plain USER_SRP_AUTH on the same pool and
// server. Users [0, --srp-users) get an SRP verifier and a verified TOTP secret (sealed with the data
// directory's server key by the project's own code in dist/); the generator derives each user's secret from
// their email, so it computes the right RFC 6238 code for every sign-in. A code works once per user and
// 30-second step, so users are taken in turn (not at random): one user never signs in twice in a step.
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOTP, Secret } from 'otpauth';
import { createClient } from '../lib/client.mjs';
import { person } from '../lib/names.mjs';
import { freePort, settle } from '../lib/procs.mjs';
import { measurePerCore, perCoreReport } from '../lib/per-core.mjs';
import { atLeast, below, fmt, progress, table } from '../lib/report.mjs';
import { SEED_PASSWORD, seedUsers } from '../lib/seed.mjs';
import { CREDENTIALS, ROOT, startTessera } from '../lib/servers.mjs';
import { srpAnswer, srpStart } from '../lib/srp-client.mjs';

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

export const MFA_TARGETS = { srpPerCore: atLeast(150, ' /s/core'), rssMb: below(300, ' MB') };

/** The benchmark's TOTP secret of a user: base32 of HMAC-SHA1 over the email (160 bits, like real ones). */
const secretOf = (email) => new Secret({ buffer: createHmac('sha1', 'tessera-bench-totp').update(email).digest().buffer }).base32;
const totpNow = (secret) => HOTP.generate({ secret: Secret.fromBase32(secret), counter: Math.floor(Date.now() / 30_000) });

/** Stores a verified TOTP secret (software-token MFA on, preferred) for users [0, n), 500 per statement. */
async function seedTotp({ dbPath, dataDir, poolId, n, onProgress }) {
  const [{ openStore }, { SecretBox }, { systemRandom }, { sealTotpSecret }] = await Promise.all([
    dist('store/store.js'),
    dist('crypto/secret-box.js'),
    dist('integrations/runtime.js'),
    dist('services/user-mfa-totp.js'),
  ]);
  const key = Buffer.from(readFileSync(join(dataDir, 'server.key'), 'utf8').trim(), 'base64');
  const deps = { secrets: new SecretBox(key, systemRandom) };
  const store = await openStore({ sqlitePath: dbPath });
  const db = store.dialect.db;
  try {
    for (let start = 0; start < n; start += 500) {
      const emails = Array.from({ length: Math.min(500, n - start) }, (_, k) => person(start + k).email);
      const users = await db.selectFrom('users').select(['id', 'email']).where('pool_id', '=', poolId).where('email', 'in', emails).execute();
      const now = Date.now();
      const rows = users.map((u) => ({
        user_id: u.id,
        sms_enabled: 0,
        totp_enabled: 1,
        email_enabled: 0,
        preferred: 'SOFTWARE_TOKEN_MFA',
        totp_secret_enc: sealTotpSecret(deps, secretOf(u.email)),
        totp_pending_enc: null,
        totp_last_step: null,
        updated_at: now,
      }));
      if (rows.length !== emails.length) throw new Error(`seedTotp: found ${rows.length} of ${emails.length} users`);
      await db.insertInto('user_mfa').values(rows).execute();
      onProgress?.(start + rows.length);
    }
  } finally {
    await store.close();
  }
}

/** USER_SRP_AUTH → PASSWORD_VERIFIER → (SOFTWARE_TOKEN_MFA when `mfa`), each answer checked. */
function signInWorkload(client, poolId, clientId, users, mfa) {
  let next = 0;
  return {
    name: mfa ? 'USER_SRP_AUTH + SOFTWARE_TOKEN_MFA' : 'USER_SRP_AUTH',
    request: async () => {
      const email = person(next++ % users).email;
      const start = srpStart();
      const c = await client.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: start.srpA } });
      if (c.ChallengeName !== 'PASSWORD_VERIFIER') throw new Error(`USER_SRP_AUTH: ${JSON.stringify(c).slice(0, 200)}`);
      const p = await client.call('RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: srpAnswer(poolId, c.ChallengeParameters, SEED_PASSWORD, start) });
      let done = p;
      if (mfa) {
        if (p.ChallengeName !== 'SOFTWARE_TOKEN_MFA') throw new Error(`expected SOFTWARE_TOKEN_MFA: ${JSON.stringify(p).slice(0, 200)}`);
        done = await client.call('RespondToAuthChallenge', {
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: p.Session,
          ChallengeResponses: { USERNAME: c.ChallengeParameters.USER_ID_FOR_SRP, SOFTWARE_TOKEN_MFA_CODE: totpNow(secretOf(email)) },
        });
      }
      if (!done.AuthenticationResult?.AccessToken) throw new Error(`no tokens: ${JSON.stringify(done).slice(0, 200)}`);
      return 1;
    },
  };
}

/**
 * @param {{users: number, srpUsers: number, durationMs: number, warmupMs: number, quietWaitMs: number,
 *          dataDir?: string, keep: boolean}} o
 */
export async function runMfaSignInSuite(o) {
  const srpUsers = Math.min(o.srpUsers, o.users);
  const results = { users: o.users, srpUsers, tables: {} };
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-bench-mfa-'));
  mkdirSync(dataDir, { recursive: true });
  try {
    let server = await startTessera({ dataDir, port: await freePort() });
    let client = createClient({ endpoint: server.endpoint, ...CREDENTIALS });
    const pool = await client.call('CreateUserPool', { PoolName: 'bench-mfa', UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    const poolId = pool.UserPool.Id;
    await client.call('SetUserPoolMfaConfig', { UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const app = await client.call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const clientId = app.UserPoolClient.ClientId;
    client.close();
    await server.stop();

    const dbPath = join(dataDir, 'tessera.db');
    const bar = progress(`seeding ${fmt.int(o.users)} users (SRP verifiers for ${fmt.int(srpUsers)})`);
    results.seed = await seedUsers({ dbPath, poolId, n: o.users, srp: { users: srpUsers, dataDir }, onProgress: (d) => bar.update(fmt.int(d)) });
    bar.done();
    const totpBar = progress(`TOTP secrets for ${fmt.int(srpUsers)} users`);
    await seedTotp({ dbPath, dataDir, poolId, n: srpUsers, onProgress: (d) => totpBar.update(fmt.int(d)) });
    totpBar.done();

    server = await startTessera({ dataDir, port: await freePort() });
    client = createClient({ endpoint: server.endpoint, ...CREDENTIALS, maxSockets: 64 });
    const phase = { durationMs: o.durationMs, warmupMs: o.warmupMs, quietWaitMs: o.quietWaitMs };
    // First with MFA, then the same users with the pool's MFA turned OFF: plain SRP on the same server, pool
    // and data, so the difference is MFA's alone.
    results.mfa = await measurePerCore(server, signInWorkload(client, poolId, clientId, srpUsers, true), 8, phase);
    results.tables.mfa = perCoreReport(`[M1] USER_SRP_AUTH + SOFTWARE_TOKEN_MFA (three requests per sign-in), 8 clients, ${fmt.int(srpUsers)} of ${fmt.int(o.users)} users`, results.mfa, MFA_TARGETS.srpPerCore);
    await client.call('SetUserPoolMfaConfig', { UserPoolId: poolId, MfaConfiguration: 'OFF' });
    results.srp = await measurePerCore(server, signInWorkload(client, poolId, clientId, srpUsers, false), 8, phase);
    results.tables.srp = perCoreReport(`[M2] the same users with the pool's MFA OFF: USER_SRP_AUTH alone (two requests), 8 clients`, results.srp, MFA_TARGETS.srpPerCore);
    client.close();
    await server.stop();
    results.tables.cost = table('[M3] What MFA adds', [
      ['sign-ins per core, MFA / plain SRP', `${fmt.rate(results.mfa.perCore, '/s/core')} / ${fmt.rate(results.srp.perCore, '/s/core')}`],
      ['p50 latency, MFA / plain SRP', `${fmt.ms(results.mfa.p50)} / ${fmt.ms(results.srp.p50)}`],
    ], ['MFA adds a third request (open the Session, read the sealed secret, HMAC-SHA1 for three steps, one conditional update of the last step, one insert into auth_states_used).']);
    return results;
  } finally {
    if (!o.keep) rmSync(dataDir, { recursive: true, force: true });
    else process.stdout.write(`\nData kept in ${dataDir}\n`);
  }
}
