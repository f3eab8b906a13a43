import type { OperationHandler } from '../../operation.js';
import { attributeWrites } from '../users/wire.js';
import { codeDelivery } from './wire.js';

/** SignUp. ValidationData and ClientMetadata are for Lambda triggers (none run here yet); accepted and unused. */
export const signUp: OperationHandler = async (input, ctx, s) => {
  const r = await s.self.signUp(ctx, input.str('ClientId'), {
    username: input.str('Username'),
    password: input.optStr('Password'),
    secretHash: input.optStr('SecretHash'),
    attributes: attributeWrites(input, 'UserAttributes'),
  });
  return { UserConfirmed: r.userConfirmed, UserSub: r.userSub, ...(r.delivery ? { CodeDeliveryDetails: codeDelivery(r.delivery) } : {}) };
};
