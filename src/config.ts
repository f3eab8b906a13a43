/**
 * The one configuration schema. Each setting comes from a command-line flag or a TESSERA_* environment
 * variable (flag wins); parsed once at start-up; an unknown flag or variable, or a bad value, fails fast
 * and names the key.
 */
export interface Config {
  port: number;
  host: string;
  /** Directory holding the SQLite file, the server key and the generated credentials; ':memory:' for none. */
  dataDir: string;
  /** PostgreSQL URL; SQLite in dataDir when absent. */
  databaseUrl: string | undefined;
  /** Base URL clients use to reach this server (token issuer prefix). */
  publicUrl: string;
  /** Region used when a request names none (unsigned operations carry their region in the pool id). */
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** 32+ byte key (hex or base64) for secrets at rest; otherwise read or created in dataDir. */
  serverKey: string | undefined;
  smtpUrl: string | undefined;
  smtpFrom: string;
  smsWebhookUrl: string | undefined;
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /** Server processes sharing the port (node:cluster); more than one needs a shared store, not ':memory:'. */
  workers: number;
  /** Lambda Invoke API base URL for `arn:aws:lambda:` triggers; default https://lambda.<region>.amazonaws.com. */
  lambdaEndpoint: string | undefined;
  /** Credentials for signing Lambda Invoke requests (else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  lambdaAccessKeyId: string | undefined;
  lambdaSecretAccessKey: string | undefined;
  lambdaSessionToken: string | undefined;
  /** How long one trigger invocation may take before it counts as failed (Cognito: 5 s). */
  lambdaTimeoutMs: number;
  /** HMAC-SHA256 key for signing webhook trigger requests (docs/TRIGGERS.md says how to verify). */
  lambdaWebhookSecret: string | undefined;
  /** Where a trigger's Lambda ARN (or function name) is run instead: an http(s) URL or an ES module (file: URL or path). */
  lambdaFunctions: Readonly<Record<string, string>>;
  /** 32-byte key (hex or base64) that custom email/SMS sender codes are encrypted with (docs/TRIGGERS.md). */
  customSenderKey: string | undefined;
}

export class ConfigError extends Error {}

interface Setting {
  key: keyof Config;
  flag: string;
  env: string;
  parse: (raw: string, name: string) => Config[keyof Config];
  fallback: (c: Partial<Config>) => Config[keyof Config];
}

const str = (raw: string): string => raw;
const int = (lo: number, hi: number) => (raw: string, name: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new ConfigError(`${name}: expected an integer from ${lo} to ${hi}, got '${raw}'`);
  return n;
};
const url = (raw: string, name: string): string => {
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(`${name}: not a URL: '${raw}'`);
  }
  return raw.replace(/\/+$/, '');
};
const pgUrl = (raw: string, name: string): string => {
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError(`${name}: expected a postgres:// URL`);
  return raw;
};
const level = (raw: string, name: string): Config['logLevel'] => {
  if (raw === 'info' || raw === 'warn' || raw === 'error' || raw === 'silent') return raw;
  throw new ConfigError(`${name}: expected info, warn, error or silent, got '${raw}'`);
};
const region = (raw: string, name: string): string => {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw)) throw new ConfigError(`${name}: not an AWS region name: '${raw}'`);
  return raw;
};

/** A JSON object of strings, e.g. `{"my-presignup": "http://127.0.0.1:3000/hook"}`. */
const stringMap = (raw: string, name: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name}: not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${name}: expected a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new ConfigError(`${name}: the value of '${k}' is not a string`);
    out[k] = v;
  }
  return out;
};

const SETTINGS: Setting[] = [
  { key: 'port', flag: '--port', env: 'TESSERA_PORT', parse: int(0, 65535), fallback: () => 9339 },
  { key: 'host', flag: '--host', env: 'TESSERA_HOST', parse: str, fallback: () => '127.0.0.1' },
  { key: 'dataDir', flag: '--data', env: 'TESSERA_DATA', parse: str, fallback: () => './data' },
  { key: 'databaseUrl', flag: '--database', env: 'TESSERA_DATABASE', parse: pgUrl, fallback: () => undefined },
  {
    key: 'publicUrl',
    flag: '--public-url',
    env: 'TESSERA_PUBLIC_URL',
    parse: url,
    fallback: (c) => `http://${c.host === '0.0.0.0' || c.host === '::' ? 'localhost' : (c.host ?? '127.0.0.1')}:${c.port ?? 9339}`,
  },
  { key: 'region', flag: '--region', env: 'TESSERA_REGION', parse: region, fallback: () => 'us-east-1' },
  { key: 'accessKeyId', flag: '--access-key-id', env: 'TESSERA_ACCESS_KEY_ID', parse: str, fallback: () => undefined },
  { key: 'secretAccessKey', flag: '--secret-access-key', env: 'TESSERA_SECRET_ACCESS_KEY', parse: str, fallback: () => undefined },
  { key: 'serverKey', flag: '--server-key', env: 'TESSERA_SERVER_KEY', parse: str, fallback: () => undefined },
  { key: 'smtpUrl', flag: '--smtp-url', env: 'TESSERA_SMTP_URL', parse: url, fallback: () => undefined },
  { key: 'smtpFrom', flag: '--smtp-from', env: 'TESSERA_SMTP_FROM', parse: str, fallback: () => 'no-reply@verificationemail.com' },
  { key: 'smsWebhookUrl', flag: '--sms-webhook-url', env: 'TESSERA_SMS_WEBHOOK_URL', parse: url, fallback: () => undefined },
  { key: 'workers', flag: '--workers', env: 'TESSERA_WORKERS', parse: int(1, 64), fallback: () => 1 },
  { key: 'logLevel', flag: '--log-level', env: 'TESSERA_LOG_LEVEL', parse: level, fallback: () => 'info' },
  { key: 'lambdaEndpoint', flag: '--lambda-endpoint', env: 'TESSERA_LAMBDA_ENDPOINT', parse: url, fallback: () => undefined },
  { key: 'lambdaAccessKeyId', flag: '--lambda-access-key-id', env: 'TESSERA_LAMBDA_ACCESS_KEY_ID', parse: str, fallback: () => undefined },
  { key: 'lambdaSecretAccessKey', flag: '--lambda-secret-access-key', env: 'TESSERA_LAMBDA_SECRET_ACCESS_KEY', parse: str, fallback: () => undefined },
  { key: 'lambdaSessionToken', flag: '--lambda-session-token', env: 'TESSERA_LAMBDA_SESSION_TOKEN', parse: str, fallback: () => undefined },
  { key: 'lambdaTimeoutMs', flag: '--lambda-timeout-ms', env: 'TESSERA_LAMBDA_TIMEOUT_MS', parse: int(50, 900_000), fallback: () => 5000 },
  { key: 'lambdaWebhookSecret', flag: '--lambda-webhook-secret', env: 'TESSERA_LAMBDA_WEBHOOK_SECRET', parse: str, fallback: () => undefined },
  { key: 'lambdaFunctions', flag: '--lambda-functions', env: 'TESSERA_LAMBDA_FUNCTIONS', parse: stringMap, fallback: () => ({}) },
  { key: 'customSenderKey', flag: '--custom-sender-key', env: 'TESSERA_CUSTOM_SENDER_KEY', parse: str, fallback: () => undefined },
];

/** Variables that configure something other than the server settings above (e.g. test harness inputs). */
const OTHER_ENV = new Set(['TESSERA_TEST_DATABASE', 'TESSERA_TEST_CHROMIUM', 'TESSERA_ENDPOINT']);

export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const setting = SETTINGS.find((s) => s.flag === flag);
    if (!setting) throw new ConfigError(`unknown option '${flag}'`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    fromFlags.set(setting.key, value);
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('TESSERA_') && !OTHER_ENV.has(name) && !SETTINGS.some((s) => s.env === name)) {
      throw new ConfigError(`unknown environment variable ${name}`);
    }
  }
  const out: Partial<Config> = {};
  const assign = <K extends keyof Config>(k: K, v: Config[K]) => {
    out[k] = v;
  };
  for (const s of SETTINGS) {
    const flagValue = fromFlags.get(s.key);
    const envValue = env[s.env];
    if (flagValue !== undefined) assign(s.key, s.parse(flagValue, s.flag));
    else if (envValue !== undefined && envValue !== '') assign(s.key, s.parse(envValue, s.env));
    else assign(s.key, s.fallback(out));
  }
  if ((out.accessKeyId === undefined) !== (out.secretAccessKey === undefined)) {
    throw new ConfigError('TESSERA_ACCESS_KEY_ID and TESSERA_SECRET_ACCESS_KEY must be set together');
  }
  if (out.lambdaAccessKeyId === undefined && out.lambdaSecretAccessKey === undefined) {
    // The AWS SDK's usual variables, so a server already set up for AWS needs nothing new.
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      out.lambdaAccessKeyId = env.AWS_ACCESS_KEY_ID;
      out.lambdaSecretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      out.lambdaSessionToken ??= env.AWS_SESSION_TOKEN || undefined;
    }
  } else if ((out.lambdaAccessKeyId === undefined) !== (out.lambdaSecretAccessKey === undefined)) {
    throw new ConfigError('TESSERA_LAMBDA_ACCESS_KEY_ID and TESSERA_LAMBDA_SECRET_ACCESS_KEY must be set together');
  }
  if ((out.workers ?? 1) > 1 && out.dataDir === ':memory:' && out.databaseUrl === undefined) {
    throw new ConfigError('--workers above 1 needs a data directory or --database (processes cannot share an in-memory store)');
  }
  return complete(out);
}

function complete(c: Partial<Config>): Config {
  const need = <T>(v: T | undefined, k: string): T => {
    if (v === undefined) throw new ConfigError(`${k} is not set`);
    return v;
  };
  return {
    port: need(c.port, 'port'),
    host: need(c.host, 'host'),
    dataDir: need(c.dataDir, 'dataDir'),
    databaseUrl: c.databaseUrl,
    publicUrl: need(c.publicUrl, 'publicUrl'),
    region: need(c.region, 'region'),
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    serverKey: c.serverKey,
    smtpUrl: c.smtpUrl,
    smtpFrom: need(c.smtpFrom, 'smtpFrom'),
    smsWebhookUrl: c.smsWebhookUrl,
    logLevel: need(c.logLevel, 'logLevel'),
    workers: need(c.workers, 'workers'),
    lambdaEndpoint: c.lambdaEndpoint,
    lambdaAccessKeyId: c.lambdaAccessKeyId,
    lambdaSecretAccessKey: c.lambdaSecretAccessKey,
    lambdaSessionToken: c.lambdaSessionToken,
    lambdaTimeoutMs: need(c.lambdaTimeoutMs, 'lambdaTimeoutMs'),
    lambdaWebhookSecret: c.lambdaWebhookSecret,
    lambdaFunctions: need(c.lambdaFunctions, 'lambdaFunctions'),
    customSenderKey: c.customSenderKey,
  };
}
