import type { GroupRow } from '../../../store/schema.js';
import { epochSeconds, type Output } from '../../operation.js';

/** The GroupType wire shape. */
export function groupType(g: GroupRow): Output {
  return {
    GroupName: g.group_name,
    UserPoolId: g.pool_id,
    ...(g.description === null ? {} : { Description: g.description }),
    ...(g.role_arn === null ? {} : { RoleArn: g.role_arn }),
    ...(g.precedence === null ? {} : { Precedence: g.precedence }),
    LastModifiedDate: epochSeconds(g.updated_at),
    CreationDate: epochSeconds(g.created_at),
  };
}
