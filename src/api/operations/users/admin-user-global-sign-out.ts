import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminUserGlobalSignOut: every token issued to the user so far stops being honoured. */
export const adminUserGlobalSignOut: OperationHandler = async (input, ctx, s) => {
  await s.users.globalSignOut(ctx, ...target(input));
  return {};
};
