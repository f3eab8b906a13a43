import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminEnableUser. */
export const adminEnableUser: OperationHandler = async (input, ctx, s) => {
  await s.users.setEnabled(ctx, ...target(input), true);
  return {};
};
