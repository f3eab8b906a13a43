import { epochSeconds, type Output } from '../../operation.js';
import type { Services } from '../../../services/services.js';
import { poolArn, type Pool } from '../../../services/pools.js';

/** The UserPoolType wire shape of a pool (DescribeUserPool, CreateUserPool). */
export async function userPoolType(services: Services, pool: Pool): Promise<Output> {
  return {
    Id: pool.id,
    Name: pool.name,
    ...pool.doc,
    Status: 'Enabled',
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
    EstimatedNumberOfUsers: await services.pools.estimatedUsers(pool.id),
    Arn: poolArn(services.deps, pool),
  };
}
