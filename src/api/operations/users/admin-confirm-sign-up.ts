import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminConfirmSignUp (ClientMetadata is for Lambda triggers only). */
export const adminConfirmSignUp: OperationHandler = async (input, ctx, s) => {
  await s.users.confirmSignUp(ctx, ...target(input));
  return {};
};
