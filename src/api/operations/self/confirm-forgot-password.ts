import type { OperationHandler } from '../../operation.js';

export const confirmForgotPassword: OperationHandler = async (input, ctx, s) => {
  await s.self.confirmForgotPassword(ctx, input.str('ClientId'), {
    username: input.str('Username'),
    code: input.str('ConfirmationCode'),
    password: input.str('Password'),
    secretHash: input.optStr('SecretHash'),
  });
  return {};
};
