import type { OperationHandler } from '../../operation.js';

export const deleteUser: OperationHandler = async (input, _ctx, s) => {
  await s.self.deleteUser(input.str('AccessToken'));
  return {};
};
