import type { OperationHandler } from '../../operation.js';
import { triggerInputs } from '../trigger-inputs.js';
import { codeDelivery } from './wire.js';

export const forgotPassword: OperationHandler = async (input, ctx, s) => {
  const d = await s.self.forgotPassword(ctx, input.str('ClientId'), { username: input.str('Username'), secretHash: input.optStr('SecretHash'), triggers: triggerInputs(input) });
  return { CodeDeliveryDetails: codeDelivery(d) };
};
