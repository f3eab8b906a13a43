import type { OperationHandler } from '../../operation.js';
import { triggerInputs } from '../trigger-inputs.js';

export const confirmSignUp: OperationHandler = async (input, ctx, s) => {
  await s.self.confirmSignUp(ctx, input.str('ClientId'), {
    username: input.str('Username'),
    code: input.str('ConfirmationCode'),
    secretHash: input.optStr('SecretHash'),
    forceAliasCreation: input.optBool('ForceAliasCreation') ?? false,
    triggers: triggerInputs(input),
  });
  return {};
};
