import type { OperationHandler } from '../../operation.js';
import { codeDelivery } from './wire.js';

export const getUserAttributeVerificationCode: OperationHandler = async (input, _ctx, s) => {
  const d = await s.self.getUserAttributeVerificationCode(input.str('AccessToken'), input.str('AttributeName'));
  return { CodeDeliveryDetails: codeDelivery(d) };
};
