import type { OperationHandler } from '../../operation.js';
import { codeDelivery } from './wire.js';

export const resendConfirmationCode: OperationHandler = async (input, ctx, s) => {
  const d = await s.self.resendConfirmationCode(ctx, input.str('ClientId'), { username: input.str('Username'), secretHash: input.optStr('SecretHash') });
  return { CodeDeliveryDetails: codeDelivery(d) };
};
