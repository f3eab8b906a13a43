import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createApp, type App, type Overrides } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { freshPostgresDatabase } from './store.js';

export interface TestServer {
  app: App;
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Which store this server runs on: 'sqlite' or 'postgres'. */
  storeKind: 'sqlite' | 'postgres';
  client(region?: string): CognitoIdentityProviderClient;
  close(): Promise<void>;
}

/** The dialects a suite should run on: SQLite always, PostgreSQL when the test command started one. */
export function storeKinds(): Array<'sqlite' | 'postgres'> {
  return process.env.TESSERA_TEST_DATABASE ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * Starts a real Tessera on a free loopback port (or on `port` when given), on a throwaway SQLite (in memory,
 * or in `dataDir` when given) or a fresh PostgreSQL database. Clients talk to it over HTTP like any user would.
 */
export async function startTessera(
  opts: { store?: 'sqlite' | 'postgres'; dataDir?: string; overrides?: Overrides; env?: Record<string, string>; port?: number } = {},
): Promise<TestServer> {
  const credentials = { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: randomBytes(30).toString('base64') };
  const kind = opts.store ?? 'sqlite';
  const pgdb = kind === 'postgres' ? await freshPostgresDatabase() : undefined;
  const argv = ['--port', String(opts.port ?? 0), '--data', opts.dataDir ?? ':memory:', '--log-level', 'error'];
  if (pgdb) argv.push('--database', pgdb.url);
  const config = parseConfig(argv, {
    TESSERA_ACCESS_KEY_ID: credentials.accessKeyId,
    TESSERA_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...opts.env,
  });
  const app = await createApp(config, opts.overrides);
  const address = await app.listen();
  const endpoint = address.replace('[::1]', '127.0.0.1');
  const clients: CognitoIdentityProviderClient[] = [];
  return {
    app,
    endpoint,
    region: 'us-east-1',
    credentials,
    storeKind: kind,
    client(region = 'us-east-1') {
      const c = new CognitoIdentityProviderClient({ endpoint, region, credentials, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await app.close();
      await pgdb?.drop();
    },
  };
}
