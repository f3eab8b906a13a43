import { resourceNotFound } from '../domain/errors.js';
import type { AppClient, ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { regionOfPoolId, type Pool, type PoolService } from './pools.js';

/**
 * The app client an unsigned operation names (ClientId) and its pool. Cognito answers an unknown client with
 * ResourceNotFoundException "User pool client <id> does not exist.".
 */
export async function resolveAppClient(
  deps: ServiceDeps,
  pools: PoolService,
  clients: ClientService,
  ctx: CallerContext,
  clientId: string,
): Promise<{ pool: Pool; client: AppClient }> {
  const row = await deps.store.pools.findClient(clientId);
  if (!row) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  const at = { ...ctx, region: regionOfPoolId(row.pool_id) };
  return { pool: await pools.get(at, row.pool_id), client: await clients.getClientForPool(at, row.pool_id, clientId) };
}
