import type { OperationHandler } from '../../operation.js';
import { triggerInputs } from '../trigger-inputs.js';
import { attributeWrites } from '../users/wire.js';
import { codeDelivery } from './wire.js';

/** SignUp. ValidationData and ClientMetadata go to the Lambda triggers only. */
export const signUp: OperationHandler = async (input, ctx, s) => {
  const r = await s.self.signUp(ctx, input.str('ClientId'), {
    username: input.str('Username'),
    password: input.optStr('Password'),
    secretHash: input.optStr('SecretHash'),
    attributes: attributeWrites(input, 'UserAttributes'),
    triggers: triggerInputs(input),
  });
  return { UserConfirmed: r.userConfirmed, UserSub: r.userSub, ...(r.delivery ? { CodeDeliveryDetails: codeDelivery(r.delivery) } : {}) };
};
