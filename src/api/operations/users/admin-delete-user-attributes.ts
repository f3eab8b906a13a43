import type { OperationHandler } from '../../operation.js';
import { target } from './wire.js';

/** AdminDeleteUserAttributes. */
export const adminDeleteUserAttributes: OperationHandler = async (input, ctx, s) => {
  await s.users.deleteAttributes(ctx, ...target(input), input.optStrList('UserAttributeNames') ?? []);
  return {};
};
