// `npm run bench`: Tessera's benchmark suite (not part of the test run). See bench/README.md.
//
//   npm run bench                          scenarios 1–5 on a 1,000,000-user pool
//   npm run bench -- --users 50000         the same, smaller
//   npm run bench -- --compare             Tessera, moto_server and cognito-local side by side, 10,000 users
//   npm run bench -- --endpoint URL        the comparison workload against any cognito-idp endpoint
//   npm run bench -- --signin              sign-in scenarios (password, SRP, refresh) on 100,000 users
//   npm run bench -- --oauth               OAuth: client_credentials tokens/s and authorization-code exchanges/s
//   npm run bench -- --signin-mfa          USER_SRP_AUTH + SOFTWARE_TOKEN_MFA against plain SRP on 100,000 users
//   npm run bench -- --triggers            sign-in with a pre token generation trigger (webhook, module) against none
//
// Results are printed as tables and written to bench/results/<timestamp>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, loadavg, setPriority, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runComparison, runEndpoint } from './scenarios/compare.mjs';
import { runSignInSuite } from './scenarios/signin.mjs';
import { runOAuthSuite } from './scenarios/oauth.mjs';
import { runMfaSignInSuite } from './scenarios/signin-mfa.mjs';
import { runTesseraSuite } from './scenarios/tessera.mjs';
import { runTriggerSuite } from './scenarios/triggers.mjs';
import { ROOT, setTesseraWorkers } from './lib/servers.mjs';

const USAGE = `Usage: npm run bench -- [options]
  --users N              users in the pool (default 1,000,000; 10,000 with --compare / --endpoint;
                         100,000 with --signin)
  --duration S           seconds measured per phase (default 10), after --warmup S (default 2)
  --concurrency N        clients for the read scenarios (default 64)
  --create-concurrency N clients for AdminCreateUser (default 16)
  --quiet-wait S         before each phase, wait up to S seconds (default 60) for other processes on the
                         machine to go idle; 0 to skip
  --nice=N               run the generator and the servers it starts at this scheduling priority (-20..19;
                         negative needs root): on a shared machine, keeps other work from skewing the figures
  --compare              Tessera vs moto_server vs cognito-local (npm devDependency), API-seeded pool
  --peers LIST           with --compare: which servers (default tessera,moto,cognito-local)
  --endpoint URL         run the comparison workload against that endpoint (127.0.0.1 only);
                         credentials from --access-key-id/--secret-access-key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
  --signin               sign-in scenarios: USER_PASSWORD_AUTH, two-step USER_SRP_AUTH, REFRESH_TOKEN_AUTH
  --srp-users N          with --signin: seeded users that get an SRP verifier (default 20,000)
  --oauth                OAuth: client_credentials tokens and authorization-code exchanges per second
  --signin-mfa           USER_SRP_AUTH followed by SOFTWARE_TOKEN_MFA, against plain SRP on the same users
  --triggers             USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH with a pre token generation trigger as a
                         webhook and as a module, against none (--users default 200, created through the API)
  --data DIR             data directory for scenarios 1–5 (default: a temporary one, removed afterwards)
  --keep                 keep the data directory
  --workers N            start Tessera with 'serve --workers N' (processes sharing the port; default 1)
  --profile              record a CPU profile of the server under load (bench/results/profile-<time>/)
`;

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '64' },
      'create-concurrency': { type: 'string', default: '16' },
      'quiet-wait': { type: 'string', default: '60' },
      nice: { type: 'string' },
      compare: { type: 'boolean', default: false },
      peers: { type: 'string', default: 'tessera,moto,cognito-local' },
      endpoint: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      data: { type: 'string' },
      keep: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
      signin: { type: 'boolean', default: false },
      oauth: { type: 'boolean', default: false },
      'signin-mfa': { type: 'boolean', default: false },
      triggers: { type: 'boolean', default: false },
      'srp-users': { type: 'string', default: '20000' },
      help: { type: 'boolean', default: false },
    },
  });
  const num = (name, v, min) => {
    const n = Number(String(v).replace(/[_,]/g, ''));
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name}: expected a number ≥ ${min}, got '${v}'`);
    return n;
  };
  const small = values.compare || values.endpoint !== undefined;
  if (values.endpoint !== undefined) {
    const host = URL.canParse(values.endpoint) ? new URL(values.endpoint).hostname : '';
    if (host !== '127.0.0.1' && host !== 'localhost') throw new UsageError(`--endpoint: only http://127.0.0.1:PORT endpoints, got '${values.endpoint}'`);
  }
  return {
    help: values.help,
    users: num('users', values.users ?? (values.triggers ? 200 : small ? 10000 : values.signin || values['signin-mfa'] ? 100000 : 1000000), values.triggers ? 1 : 100),
    triggers: values.triggers,
    signin: values.signin,
    oauth: values.oauth,
    signinMfa: values['signin-mfa'],
    srpUsers: num('srp-users', values['srp-users'], 1),
    durationMs: num('duration', values.duration, 1) * 1000,
    warmupMs: num('warmup', values.warmup, 0) * 1000,
    concurrency: num('concurrency', values.concurrency, 1),
    createConcurrency: num('create-concurrency', values['create-concurrency'], 1),
    quietWaitMs: num('quiet-wait', values['quiet-wait'], 0) * 1000,
    nice: values.nice === undefined ? undefined : num('nice', values.nice, -20),
    compare: values.compare,
    peers: values.peers.split(',').map((s) => s.trim()).filter(Boolean),
    endpoint: values.endpoint,
    accessKeyId: values['access-key-id'] ?? process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: values['secret-access-key'] ?? process.env.AWS_SECRET_ACCESS_KEY,
    dataDir: values.data,
    keep: values.keep,
    profile: values.profile,
    workers: num('workers', values.workers, 1),
  };
}

/**
 * Runs this process, and the servers it will start (they inherit it), at scheduling priority `nice`. With
 * autogroup scheduling (Linux's default for desktops and many VMs), nice only ranks processes within one
 * session, so the session's autogroup gets the same value: that is what ranks it against other sessions.
 */
function prioritise(nice) {
  setPriority(0, nice);
  try {
    const before = /nice\s+(-?\d+)/.exec(readFileSync('/proc/self/autogroup', 'utf8'))?.[1] ?? '0';
    writeFileSync('/proc/self/autogroup', String(nice));
    // The autogroup outlives this process (the shell that started it is in it too): put it back.
    process.on('exit', () => writeFileSync('/proc/self/autogroup', before));
  } catch {
    // no autogroup scheduling here: the process nice value is all there is
  }
}

async function main() {
  const o = options();
  setTesseraWorkers(o.workers);
  if (o.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (o.nice !== undefined) prioritise(o.nice);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((v) => Number(v.toFixed(2))),
  };
  process.stdout.write(
    `Tessera benchmark, ${new Date().toISOString()}\n` +
      `node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB; load average ${machine.loadAverageAtStart.join(' ')}` +
      `${o.nice !== undefined ? `; running at nice ${getPriority(0)}` : ''}\n` +
      `The load generator runs in this process and competes with the server for the CPUs.\n`,
  );
  const started = performance.now();
  let results;
  if (o.endpoint !== undefined) {
    results = { mode: 'endpoint', ...(await runEndpoint(o)) };
  } else if (o.oauth) {
    results = { mode: 'oauth', ...(await runOAuthSuite(o)) };
  } else if (o.triggers) {
    results = { mode: 'triggers', ...(await runTriggerSuite(o)) };
  } else if (o.signinMfa) {
    results = { mode: 'signin-mfa', ...(await runMfaSignInSuite(o)) };
  } else if (o.signin) {
    const profileDir = o.profile ? join(resultsDir, `profile-${stamp}`) : undefined;
    results = { mode: 'signin', ...(await runSignInSuite({ ...o, profileDir })) };
  } else if (o.compare) {
    results = { mode: 'compare', ...(await runComparison(o)) };
  } else {
    const profileDir = o.profile ? join(resultsDir, `profile-${stamp}`) : undefined;
    results = { mode: 'tessera', ...(await runTesseraSuite({ ...o, profileDir })) };
    if (profileDir) process.stdout.write(`\nCPU profile of the server under load: ${profileDir} (summary: node bench/lib/profile-top.mjs ${profileDir})\n`);
  }
  const file = join(resultsDir, `${stamp}.json`);
  const { help: _h, secretAccessKey: _s, ...settings } = o;
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, settings, loadAverageAtEnd: loadavg(), results }, null, 2) + '\n');
  process.stdout.write(`\nFinished in ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${file}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`bench: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
