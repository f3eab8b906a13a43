import type { OperationHandler } from '../../operation.js';

export const revokeToken: OperationHandler = async (input, ctx, s) => {
  await s.self.revokeToken(ctx, input.str('ClientId'), input.str('Token'), input.optStr('ClientSecret'));
  return {};
};
