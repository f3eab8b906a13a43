import type { OperationHandler } from '../../operation.js';

export const verifyUserAttribute: OperationHandler = async (input, _ctx, s) => {
  await s.self.verifyUserAttribute(input.str('AccessToken'), input.str('AttributeName'), input.str('Code'));
  return {};
};
