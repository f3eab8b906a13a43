import type { OperationHandler } from '../../operation.js';

/** GetUser. MFAOptions, PreferredMfaSetting and UserMFASettingList are omitted while a user has no MFA. */
export const getUser: OperationHandler = async (input, _ctx, s) => {
  const u = await s.self.getUser(input.str('AccessToken'));
  return { Username: u.username, UserAttributes: u.attributes };
};
