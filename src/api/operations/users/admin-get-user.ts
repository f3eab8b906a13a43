import { mfaView } from '../../../services/user-mfa-settings.js';
import type { OperationHandler } from '../../operation.js';
import { epochSeconds } from '../../operation.js';
import { target } from './wire.js';

/** AdminGetUser. MFAOptions, PreferredMfaSetting and UserMFASettingList only while the user has MFA (as Cognito). */
export const adminGetUser: OperationHandler = async (input, ctx, s) => {
  const { view: u, mfa } = await s.users.getWithMfa(ctx, ...target(input));
  return {
    Username: u.username,
    UserAttributes: u.attributes,
    UserCreateDate: epochSeconds(u.createdAt),
    UserLastModifiedDate: epochSeconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
    ...mfaView(mfa),
  };
};
