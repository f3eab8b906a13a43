import type { OperationHandler } from '../../operation.js';

export const deleteUserAttributes: OperationHandler = async (input, _ctx, s) => {
  await s.self.deleteUserAttributes(input.str('AccessToken'), input.optStrList('UserAttributeNames') ?? []);
  return {};
};
