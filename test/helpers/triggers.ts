import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CognitoIdentityProviderClient, CreateUserPoolClientCommandInput, CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, type TestServer } from './server.js';
import { createClient, createPool } from './sign-in.js';
import { startTriggerReceiver, type TriggerReceiver } from './trigger-receiver.js';

/** A Tessera whose Lambda triggers are served by a webhook receiver, and an SDK client for it. */
export interface TriggerServer {
  t: TestServer;
  c: CognitoIdentityProviderClient;
  hook: TriggerReceiver;
}

/**
 * Starts a trigger receiver and a Tessera whose TESSERA_LAMBDA_FUNCTIONS route to it. `functions` maps a
 * function name (what `lambdaArn(name)` names in a LambdaConfig) to its path on the receiver (`'/token'`);
 * a list of names routes each to `/<name>`. `modules` routes names to local module files, `env` adds settings.
 */
export async function startTriggerServer(
  kind: 'sqlite' | 'postgres',
  functions: Record<string, string> | string[],
  opts: { modules?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<TriggerServer> {
  const hook = await startTriggerReceiver();
  const paths = Array.isArray(functions) ? Object.fromEntries(functions.map((n) => [n, `/${n}`])) : functions;
  const routes = { ...Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, `${hook.url}${path}`])), ...opts.modules };
  const t = await startTessera({
    store: kind,
    env: { TESSERA_LAMBDA_WEBHOOK_SECRET: hook.secret, TESSERA_LAMBDA_FUNCTIONS: JSON.stringify(routes), ...opts.env },
  });
  return { t, c: t.client(), hook };
}

/** Stops the server, then its receiver (a request still in flight would otherwise find no receiver). */
export async function stopTriggerServer(s: { t: TestServer; hook: TriggerReceiver }): Promise<void> {
  await s.t.close();
  await s.hook.close();
}

/** A pool (with its LambdaConfig among `pool`) and an app client on it (`client` adds client settings). */
export async function triggerPool(
  c: CognitoIdentityProviderClient,
  pool: Partial<CreateUserPoolCommandInput>,
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(c, pool);
  return { poolId, clientId: (await createClient(c, poolId, client)).id };
}

/** The event number `count` (from 0) at `path`, waited for: custom senders run asynchronously, as Cognito's. */
export async function awaitEvent(hook: TriggerReceiver, path: string, count: number): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100 && hook.at(path).length <= count; i++) await sleep(20);
  const ev = hook.at(path)[count];
  assert.ok(ev, `an event at ${path}`);
  return ev;
}
