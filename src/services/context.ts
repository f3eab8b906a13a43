import type { Config } from '../config.js';
import type { PasswordHasher } from '../crypto/password-hash.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { MessageDelivery } from '../integrations/delivery/delivery.js';
import type { FunctionInvoker } from '../integrations/lambda/invoker.js';
import type { Logger } from '../integrations/logger.js';
import type { Clock, Random } from '../integrations/runtime.js';
import type { Store } from '../store/store.js';

/** Everything a use case may touch, wired once in app.ts. Nothing ambient. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  secrets: SecretBox;
  hasher: PasswordHasher;
  delivery: MessageDelivery;
  /** Runs Lambda triggers (services/triggers*.ts): Lambda API, webhook or worker-thread module. */
  lambda: FunctionInvoker;
  logger: Logger;
  config: Config;
  accountId: string;
}

/** Who is calling and where: the region comes from the SigV4 credential scope, or from the resource id. */
export interface CallerContext {
  region: string;
  requestId: string;
  accessKeyId?: string;
}
