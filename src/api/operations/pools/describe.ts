import { epochSeconds, type Output } from '../../operation.js';
import { getShape, loadServiceModel } from '../../model.js';
import type { Services } from '../../../services/services.js';
import { poolArn, type Pool } from '../../../services/pools.js';

let members: ReadonlySet<string> | undefined;

/** UserPoolType's members: the pool document may hold internal settings that are not part of the wire shape. */
function userPoolTypeMembers(): ReadonlySet<string> {
  if (!members) {
    const shape = getShape(loadServiceModel(), 'UserPoolType');
    members = new Set(shape.type === 'structure' ? shape.members.map((m) => m.name) : []);
  }
  return members;
}

/** The UserPoolType wire shape of a pool (DescribeUserPool, CreateUserPool). */
export async function userPoolType(services: Services, pool: Pool): Promise<Output> {
  const wire = userPoolTypeMembers();
  const settings = Object.fromEntries(Object.entries(pool.doc).filter(([k]) => wire.has(k)));
  return {
    Id: pool.id,
    Name: pool.name,
    ...settings,
    ...(await domainMembers(services, pool.id)),
    Status: 'Enabled',
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.updatedAt),
    EstimatedNumberOfUsers: await services.pools.estimatedUsers(pool.id),
    Arn: poolArn(services.deps, pool),
  };
}

/** Domain (the prefix) and CustomDomain of the pool's user pool domains. */
async function domainMembers(services: Services, poolId: string): Promise<Output> {
  const { prefix, custom } = await services.domains.ofPool(poolId);
  return { ...(prefix === undefined ? {} : { Domain: prefix }), ...(custom === undefined ? {} : { CustomDomain: custom }) };
}
