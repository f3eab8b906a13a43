import type { OperationHandler } from '../../operation.js';
import { withContext } from './context.js';
import { authOutcome } from './wire.js';

/** InitiateAuth (unsigned): USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN. */
export const initiateAuth: OperationHandler = async (input, ctx, s) =>
  authOutcome(
    await s.auth.initiate(ctx, {
      authFlow: input.str('AuthFlow'),
      clientId: input.str('ClientId'),
      params: input.optStrMap('AuthParameters') ?? {},
      ...withContext(input),
    }),
  );
