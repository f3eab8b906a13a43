import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminResetUserPassword (ClientMetadata is for Lambda triggers only). */
export const adminResetUserPassword: OperationHandler = async (input, ctx, s) => {
  await s.users.resetPassword(ctx, ...target(input));
  return {};
};
