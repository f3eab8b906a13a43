import type { Config } from '../../config.js';
import type { Clock, Random } from '../runtime.js';
import { LambdaApiRunner } from './aws-invoke.js';
import { RoutingInvoker, type FunctionInvoker } from './invoker.js';
import { ModuleRunner } from './module-worker.js';
import { WebhookRunner } from './webhook.js';

export type { FunctionInvoker, InvokeOutcome } from './invoker.js';

/** The invoker the server uses, from its configuration. */
export function createInvoker(config: Config, clock: Clock, random: Random): FunctionInvoker {
  const credentials =
    config.lambdaAccessKeyId !== undefined && config.lambdaSecretAccessKey !== undefined
      ? { accessKeyId: config.lambdaAccessKeyId, secretAccessKey: config.lambdaSecretAccessKey, ...(config.lambdaSessionToken ? { sessionToken: config.lambdaSessionToken } : {}) }
      : undefined;
  return new RoutingInvoker({
    lambda: new LambdaApiRunner({ endpoint: config.lambdaEndpoint, credentials }),
    webhook: new WebhookRunner(config.lambdaWebhookSecret, () => clock.now()),
    module: new ModuleRunner(() => random.uuid()),
  });
}
