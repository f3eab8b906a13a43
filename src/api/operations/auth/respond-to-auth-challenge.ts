import type { OperationHandler } from '../../operation.js';
import { withContext } from './context.js';
import { authOutcome } from './wire.js';

/** RespondToAuthChallenge (unsigned): PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED. */
export const respondToAuthChallenge: OperationHandler = async (input, ctx, s) =>
  authOutcome(
    await s.auth.respond(ctx, {
      challengeName: input.str('ChallengeName'),
      clientId: input.str('ClientId'),
      session: input.optStr('Session'),
      responses: input.optStrMap('ChallengeResponses') ?? {},
      ...withContext(input, true),
    }),
  );
