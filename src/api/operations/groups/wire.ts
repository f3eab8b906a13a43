import { parseAttributes } from '../../../domain/user-attributes.js';
import type { GroupRow, UserRow } from '../../../store/schema.js';
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

/** The UserType wire shape (ListUsersInGroup); `sub` is the user's id and comes first, as Cognito lists it. */
export function userType(u: UserRow): Output {
  const attrs = parseAttributes(u.attributes);
  return {
    Username: u.username,
    Attributes: [{ Name: 'sub', Value: u.id }, ...Object.entries(attrs).filter(([n]) => n !== 'sub').map(([Name, Value]) => ({ Name, Value }))],
    UserCreateDate: epochSeconds(u.created_at),
    UserLastModifiedDate: epochSeconds(u.updated_at),
    Enabled: u.enabled === 1,
    UserStatus: u.status,
  };
}
