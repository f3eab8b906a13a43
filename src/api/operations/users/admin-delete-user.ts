import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminDeleteUser: the user, their aliases and group memberships are gone (the model has no output). */
export const adminDeleteUser: OperationHandler = async (input, ctx, s) => {
  await s.users.delete(ctx, ...target(input));
  return {};
};
