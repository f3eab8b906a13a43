import type { OperationHandler } from '../../operation.js';
import { triggerInputs } from '../trigger-inputs.js';

export const confirmForgotPassword: OperationHandler = async (input, ctx, s) => {
  await s.self.confirmForgotPassword(ctx, input.str('ClientId'), {
    username: input.str('Username'),
    code: input.str('ConfirmationCode'),
    password: input.str('Password'),
    secretHash: input.optStr('SecretHash'),
    triggers: triggerInputs(input),
  });
  return {};
};
