import type { OperationHandler } from '../../operation.js';
import { epochSeconds } from '../../operation.js';
import { target } from './wire.js';

/** AdminGetUser. MFAOptions, PreferredMfaSetting and UserMFASettingList are omitted while a user has no MFA. */
export const adminGetUser: OperationHandler = async (input, ctx, s) => {
  const u = await s.users.get(ctx, ...target(input));
  return {
    Username: u.username,
    UserAttributes: u.attributes,
    UserCreateDate: epochSeconds(u.createdAt),
    UserLastModifiedDate: epochSeconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
};
