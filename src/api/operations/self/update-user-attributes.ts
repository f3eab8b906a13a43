import type { OperationHandler } from '../../operation.js';
import { attributeWrites } from '../users/wire.js';
import { codeDelivery } from './wire.js';

export const updateUserAttributes: OperationHandler = async (input, _ctx, s) => {
  const sent = await s.self.updateUserAttributes(input.str('AccessToken'), attributeWrites(input, 'UserAttributes'));
  return sent.length > 0 ? { CodeDeliveryDetailsList: sent.map(codeDelivery) } : {};
};
