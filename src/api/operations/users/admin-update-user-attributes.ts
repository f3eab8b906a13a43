import type { OperationHandler } from '../../operation.js';
import { attributeWrites, target } from './wire.js';

/** AdminUpdateUserAttributes (ClientMetadata is for Lambda triggers only). */
export const adminUpdateUserAttributes: OperationHandler = async (input, ctx, s) => {
  await s.users.updateAttributes(ctx, ...target(input), attributeWrites(input, 'UserAttributes'));
  return {};
};
