import { ConfigError, parseConfig, type Config } from '../config.js';

const USAGE = `Usage: tessera <command> [options]

Commands:
  serve                     start the server (default)
  keys create [--description TEXT]   create an administrator access key and print it once
  keys list                 list access keys (ids only)
  keys delete <ACCESS_KEY_ID>
  keys rotate-signing --pool ID   retire a pool's token signing keys and make new ones
  outbox [--pool ID] [--to DEST] [--limit N]   print messages the server has sent

Options (or TESSERA_* environment variables):
  --port N (9339)  --host ADDR (127.0.0.1)  --data DIR (./data, or :memory:)
  --database postgres://...  --public-url URL  --region REGION (us-east-1)
  --smtp-url URL  --smtp-from ADDR  --sms-webhook-url URL  --log-level info|warn|error|silent
  --workers N (1): server processes sharing the port (SQLite file or PostgreSQL)
`;

/** Splits command-specific flags from server configuration flags. */
function takeFlags(args: string[], names: readonly string[]): { own: Map<string, string>; rest: string[] } {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const name = names.find((n) => a === n || a.startsWith(`${n}=`));
    if (name === undefined) {
      rest.push(a);
      continue;
    }
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    own.set(name, value);
  }
  return { own, rest };
}

function keyBanner(config: Config, key: { accessKeyId: string; secretAccessKey: string }): string[] {
  const saved = config.dataDir === ':memory:' ? '' : `; also saved to ${config.dataDir}/credentials, mode 0600`;
  return [
    `\nGenerated an administrator access key (shown once${saved}):\n`,
    `  aws configure set aws_access_key_id ${key.accessKeyId} --profile tessera\n`,
    `  aws configure set aws_secret_access_key ${key.secretAccessKey} --profile tessera\n`,
    `  aws cognito-idp list-user-pools --max-results 10 --profile tessera --region ${config.region} --endpoint-url ${config.publicUrl}\n\n`,
  ];
}

function storeLine(config: Config, describe: string): string {
  return `Store: ${describe}${config.dataDir === ':memory:' ? '' : `; data directory ${config.dataDir}`}\n`;
}

async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const { createApp } = await import('../app.js');
  if (config.workers > 1) {
    const { isClusterWorker, runPrimary, runWorker } = await import('./cluster.js');
    let app: Awaited<ReturnType<typeof createApp>> | undefined;
    const hooks = {
      async prepare() {
        // Migrations and the first-start root key happen once, here, before any worker opens the store.
        const init = await createApp(config);
        const lines = [storeLine(config, init.store.describe), ...(init.generatedKey ? keyBanner(config, init.generatedKey) : [])];
        await init.close();
        return lines;
      },
      async serveWorker() {
        app = await createApp(config);
        return app.listen();
      },
      async closeWorker() {
        await app?.close();
      },
    };
    return isClusterWorker() ? runWorker(hooks) : runPrimary(config, hooks, started);
  }
  const app = await createApp(config);
  const address = await app.listen();
  const out = process.stdout;
  out.write(`Tessera listening on ${address} (public URL ${config.publicUrl})\n`);
  out.write(storeLine(config, app.store.describe));
  if (app.generatedKey) for (const line of keyBanner(config, app.generatedKey)) out.write(line);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    out.write(`${signal}: draining requests and closing the store\n`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Announced only once a SIGTERM would be handled: a supervisor may stop us right after it reads this line.
  out.write(`Ready in ${Math.round(performance.now() - started)} ms\n`);
}

async function withApp<T>(config: Config, fn: (app: Awaited<ReturnType<typeof import('../app.js').createApp>>) => Promise<T>): Promise<T> {
  const { createApp } = await import('../app.js');
  const app = await createApp({ ...config, logLevel: 'error' });
  try {
    return await fn(app);
  } finally {
    await app.store.close();
  }
}

async function keys(args: string[]): Promise<void> {
  const sub = args[0];
  const { own, rest } = takeFlags(args.slice(1), ['--description', '--pool']);
  const positional = rest.filter((a, i) => !a.startsWith('--') && (i === 0 || !(rest[i - 1] ?? '').startsWith('--')));
  const config = parseConfig(rest.filter((a) => !positional.includes(a)), process.env);
  await withApp(config, async (app) => {
    if (sub === 'create') {
      const k = await app.services.keys.create(own.get('--description') ?? null);
      process.stdout.write(`Created access key (the secret is shown only now):\n  AccessKeyId:     ${k.accessKeyId}\n  SecretAccessKey: ${k.secretAccessKey}\n`);
    } else if (sub === 'list') {
      for (const k of await app.services.keys.list()) {
        process.stdout.write(`${k.accessKeyId}\t${new Date(k.createdAt).toISOString()}\t${k.description ?? ''}\n`);
      }
    } else if (sub === 'delete') {
      const id = positional[0];
      if (!id) throw new ConfigError('keys delete needs an access key id');
      const gone = await app.services.keys.delete(id);
      process.stdout.write(gone ? `Deleted ${id}\n` : `No access key ${id}\n`);
      if (!gone) process.exitCode = 1;
    } else if (sub === 'rotate-signing') {
      const pool = own.get('--pool');
      if (!pool) throw new ConfigError('keys rotate-signing needs --pool ID');
      if (!(await app.store.pools.findPool(pool))) throw new ConfigError(`no user pool ${pool}`);
      const kids = await app.services.tokens.keys.rotate(pool);
      process.stdout.write(`Rotated the signing keys of ${pool}: ID tokens now kid ${kids.id}, access tokens kid ${kids.access}.\n`);
      process.stdout.write(`The previous keys stay in ${config.publicUrl}/${pool}/.well-known/jwks.json for one day (their tokens' longest life);\n`);
      process.stdout.write('running servers sign with the new keys within a minute.\n');
    } else {
      throw new ConfigError(`unknown keys command '${sub ?? ''}' (create, list, delete, rotate-signing)`);
    }
    process.stdout.write(`Data: ${app.store.describe}\n`);
  });
}

async function outbox(args: string[]): Promise<void> {
  const { own, rest } = takeFlags(args, ['--pool', '--to', '--limit']);
  const config = parseConfig(rest, process.env);
  await withApp(config, async (app) => {
    const pool = own.get('--pool');
    const to = own.get('--to');
    const rows = await app.store.messages.list({ limit: Number(own.get('--limit') ?? 50) || 50, ...(pool ? { poolId: pool } : {}), ...(to ? { destination: to } : {}) });
    for (const m of rows) {
      process.stdout.write(`#${m.seq} ${new Date(m.created_at).toISOString()} ${m.channel} to ${m.destination} [${m.purpose}, ${m.status}] pool ${m.pool_id ?? '-'}\n`);
      if (m.subject) process.stdout.write(`  Subject: ${m.subject}\n`);
      process.stdout.write(`  ${m.body.replace(/\n/g, '\n  ')}\n`);
    }
    process.stdout.write(`${rows.length} message(s) from ${app.store.describe}\n`);
  });
}

export async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  const command = first === undefined || first.startsWith('--') ? 'serve' : first;
  const args = command === 'serve' && first !== 'serve' ? argv : rest;
  try {
    if (command === 'serve') await serve(parseConfig(args, process.env));
    else if (command === 'keys') await keys(args);
    else if (command === 'outbox') await outbox(args);
    else if (command === 'help' || command === '--help') process.stdout.write(USAGE);
    else throw new ConfigError(`unknown command '${command}'`);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tessera: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
}
