import type { OperationHandler } from '../../operation.js';

export const changePassword: OperationHandler = async (input, _ctx, s) => {
  await s.self.changePassword(input.str('AccessToken'), input.optStr('PreviousPassword'), input.str('ProposedPassword'));
  return {};
};
