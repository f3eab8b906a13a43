import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminSetUserPassword: Permanent (default false) decides between CONFIRMED and FORCE_CHANGE_PASSWORD. */
export const adminSetUserPassword: OperationHandler = async (input, ctx, s) => {
  await s.users.setPassword(ctx, ...target(input), input.str('Password'), input.optBool('Permanent') ?? false);
  return {};
};
