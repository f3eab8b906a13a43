import type { ServiceDeps } from './context.js';
import { regionOfPoolId } from './pools.js';

/** App clients of user pools. */
export class ClientService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Region of the pool an app client belongs to (unsigned operations name only the client). */
  async regionOfClient(clientId: string): Promise<string | undefined> {
    const row = await this.deps.store.pools.findClient(clientId);
    return row ? regionOfPoolId(row.pool_id) : undefined;
  }
}
