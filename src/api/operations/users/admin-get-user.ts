import { mfaViewOf } from '../../../services/user-mfa-settings.js';
import type { OperationHandler } from '../../operation.js';
import { epochSeconds } from '../../operation.js';
import { target } from './wire.js';

/** AdminGetUser. MFAOptions, PreferredMfaSetting and UserMFASettingList only while the user has MFA (as Cognito). */
export const adminGetUser: OperationHandler = async (input, ctx, s) => {
  const u = await s.users.get(ctx, ...target(input));
  const sub = u.attributes.find((a) => a.Name === 'sub')?.Value;
  const mfa = sub === undefined ? {} : await mfaViewOf(s.deps, sub);
  return {
    Username: u.username,
    UserAttributes: u.attributes,
    UserCreateDate: epochSeconds(u.createdAt),
    UserLastModifiedDate: epochSeconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
    ...mfa,
  };
};
