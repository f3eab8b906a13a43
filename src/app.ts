import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Dispatcher } from './api/dispatcher.js';
import { buildHttpServer } from './api/server.js';
import type { Config } from './config.js';
import { argon2idHasher, type PasswordHasher } from './crypto/password-hash.js';
import { SecretBox } from './crypto/secret-box.js';
import { OutboxDelivery, type Transport } from './integrations/delivery/delivery.js';
import { smsWebhookTransport } from './integrations/delivery/sms-webhook.js';
import { smtpTransport } from './integrations/delivery/smtp.js';
import { createInvoker } from './integrations/lambda/index.js';
import type { FunctionInvoker } from './integrations/lambda/invoker.js';
import { consoleLogger, type Logger } from './integrations/logger.js';
import { randomString, systemClock, systemRandom, type Clock, type Random } from './integrations/runtime.js';
import type { ServiceDeps } from './services/context.js';
import type { AccessKey } from './services/keys.js';
import { Services } from './services/services.js';
import { openStore, type Store } from './store/store.js';

/** Dependencies a caller (a test) may replace; everything else is built here from the config. */
export interface Overrides {
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  hasher?: PasswordHasher;
  transports?: Transport[];
  lambda?: FunctionInvoker;
}

export interface App {
  config: Config;
  store: Store;
  services: Services;
  dispatcher: Dispatcher;
  http: FastifyInstance;
  /** A root access key generated on this start, to be shown once. */
  generatedKey: AccessKey | undefined;
  listen(): Promise<string>;
  close(): Promise<void>;
}

const inMemory = (c: Config) => c.dataDir === ':memory:';

/** Reads the server key: TESSERA_SERVER_KEY, else `<data>/server.key` (created 0600 on first start). */
function loadServerKey(config: Config, random: Random): Buffer {
  if (config.serverKey) {
    const k = /^[0-9a-fA-F]{64,}$/.test(config.serverKey) ? Buffer.from(config.serverKey, 'hex') : Buffer.from(config.serverKey, 'base64');
    if (k.length < 32) throw new Error('TESSERA_SERVER_KEY must hold at least 32 bytes (hex or base64)');
    return k;
  }
  if (inMemory(config)) return random.bytes(32);
  const file = join(config.dataDir, 'server.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = random.bytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

/** The composition root: config in, a wired application out. No container, no globals. */
export async function createApp(config: Config, overrides: Overrides = {}): Promise<App> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? systemRandom;
  const logger = overrides.logger ?? consoleLogger(config.logLevel);
  if (!inMemory(config)) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    sqlitePath: inMemory(config) ? ':memory:' : resolve(config.dataDir, 'tessera.db'),
  });
  const secrets = new SecretBox(loadServerKey(config, random), random);
  const transports = overrides.transports ?? [
    ...(config.smtpUrl ? [smtpTransport(config.smtpUrl, config.smtpFrom)] : []),
    ...(config.smsWebhookUrl ? [smsWebhookTransport(config.smsWebhookUrl)] : []),
  ];
  const accountId = await store.keys.initMeta('account_id', randomString(random, 12, '0123456789'));
  const deps: ServiceDeps = {
    store,
    clock,
    random,
    secrets,
    hasher: overrides.hasher ?? argon2idHasher(),
    delivery: new OutboxDelivery(store.messages, transports, clock, random, logger),
    logger,
    config,
    accountId,
    lambda: overrides.lambda ?? createInvoker(config, clock, random),
  };
  const services = new Services(deps);
  const generatedKey = await ensureRootKey(config, services);
  const dispatcher = new Dispatcher(services, clock, logger, config.region);
  const http = buildHttpServer(dispatcher, services, () => random.uuid());

  return {
    config,
    store,
    services,
    dispatcher,
    http,
    generatedKey,
    async listen() {
      return http.listen({ port: config.port, host: config.host });
    },
    async close() {
      await http.close(); // stops accepting, waits for in-flight requests
      await store.close();
    },
  };
}

async function ensureRootKey(config: Config, services: Services): Promise<AccessKey | undefined> {
  if (config.accessKeyId && config.secretAccessKey) {
    await services.keys.ensure(config.accessKeyId, config.secretAccessKey);
    return undefined;
  }
  if ((await services.keys.list()).length > 0) return undefined;
  const key = await services.keys.create('root (generated at first start)');
  if (!inMemory(config)) {
    const file = join(config.dataDir, 'credentials');
    writeFileSync(file, `[tessera]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return key;
}
