import type { Medium } from '../../../services/user-messages.js';
import type { OperationHandler } from '../../operation.js';
import { triggerInputs } from '../trigger-inputs.js';
import { attributeWrites, target, userType } from './wire.js';

/** AdminCreateUser. ValidationData and ClientMetadata go to the Lambda triggers only. */
export const adminCreateUser: OperationHandler = async (input, ctx, s) => {
  const [poolId, username] = target(input);
  const action = input.optStr('MessageAction');
  const mediums = input.optStrList('DesiredDeliveryMediums')?.filter((m): m is Medium => m === 'EMAIL' || m === 'SMS');
  const user = await s.users.create(ctx, poolId, {
    username,
    attributes: attributeWrites(input, 'UserAttributes'),
    temporaryPassword: input.optStr('TemporaryPassword'),
    forceAliasCreation: input.optBool('ForceAliasCreation') ?? false,
    messageAction: action === 'RESEND' || action === 'SUPPRESS' ? action : undefined,
    desiredDeliveryMediums: mediums,
    triggers: triggerInputs(input),
  });
  return { User: userType(user) };
};
