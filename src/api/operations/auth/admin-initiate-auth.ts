import type { OperationHandler } from '../../operation.js';
import { withContext } from './context.js';
import { authOutcome } from './wire.js';

/** AdminInitiateAuth: also ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH. */
export const adminInitiateAuth: OperationHandler = async (input, ctx, s) =>
  authOutcome(
    await s.auth.initiate(ctx, {
      authFlow: input.str('AuthFlow'),
      clientId: input.str('ClientId'),
      poolId: input.str('UserPoolId'),
      params: input.optStrMap('AuthParameters') ?? {},
      ...withContext(input),
    }),
  );
