import type { OperationHandler } from '../../operation.js';

export const globalSignOut: OperationHandler = async (input, _ctx, s) => {
  await s.self.globalSignOut(input.str('AccessToken'));
  return {};
};
