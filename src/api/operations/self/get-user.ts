import { mfaViewOf } from '../../../services/user-mfa-settings.js';
import type { OperationHandler } from '../../operation.js';

/** GetUser. MFAOptions, PreferredMfaSetting and UserMFASettingList only while the user has MFA (as Cognito). */
export const getUser: OperationHandler = async (input, _ctx, s) => {
  const u = await s.self.getUser(input.str('AccessToken'));
  const sub = u.attributes.find((a) => a.Name === 'sub')?.Value;
  const mfa = sub === undefined ? {} : await mfaViewOf(s.deps, sub);
  return { Username: u.username, UserAttributes: u.attributes, ...mfa };
};
