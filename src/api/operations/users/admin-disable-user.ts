import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminDisableUser: the user can no longer sign in, and their tokens are revoked. */
export const adminDisableUser: OperationHandler = async (input, ctx, s) => {
  await s.users.setEnabled(ctx, ...target(input), false);
  return {};
};
