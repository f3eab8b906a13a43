import { resourceNotFound } from '../domain/errors.js';
import type { AppClient, ClientService } from './clients.js';
import type { CallerContext } from './context.js';
import { regionOfPoolId, type Pool, type PoolService } from './pools.js';

/**
 * The app client an unsigned operation names (ClientId) and its pool. Cognito answers an unknown client with
 * ResourceNotFoundException "User pool client <id> does not exist.".
 */
export async function resolveAppClient(
  pools: PoolService,
  clients: ClientService,
  ctx: CallerContext,
  clientId: string,
): Promise<{ pool: Pool; client: AppClient }> {
  const client = await clients.find(clientId);
  if (!client) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return { pool: await pools.get({ ...ctx, region: regionOfPoolId(client.poolId) }, client.poolId), client };
}
