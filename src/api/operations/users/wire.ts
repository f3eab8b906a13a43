import type { Input } from '../../../domain/input.js';
import type { AttributeWrite } from '../../../domain/user-attributes.js';
import type { UserView } from '../../../services/user-records.js';
import { epochSeconds, type Output } from '../../operation.js';

/** UserType: the user as AdminCreateUser and ListUsers return it. */
export function userType(u: UserView): Output {
  return {
    Username: u.username,
    Attributes: u.attributes,
    UserCreateDate: epochSeconds(u.createdAt),
    UserLastModifiedDate: epochSeconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

/** An AttributeListType member (`UserAttributes`) as writes; a missing Value is a blank one. */
export function attributeWrites(input: Input, member: string): AttributeWrite[] {
  return input.objList(member).map((a) => ({ name: a.str('Name'), value: a.optStr('Value') }));
}

/** The three members every user operation addresses its user with. */
export function target(input: Input): [poolId: string, username: string] {
  return [input.str('UserPoolId'), input.str('Username')];
}
