import type { OperationHandler } from '../../operation.js';
import { withContext } from './context.js';
import { authOutcome } from './wire.js';

/** AdminRespondToAuthChallenge. */
export const adminRespondToAuthChallenge: OperationHandler = async (input, ctx, s) =>
  authOutcome(
    await s.auth.respond(ctx, {
      challengeName: input.str('ChallengeName'),
      clientId: input.str('ClientId'),
      poolId: input.str('UserPoolId'),
      session: input.optStr('Session'),
      responses: input.optStrMap('ChallengeResponses') ?? {},
      ...withContext(input, true),
    }),
  );
