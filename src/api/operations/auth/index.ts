import type { OperationHandler } from '../../operation.js';
import { adminInitiateAuth } from './admin-initiate-auth.js';
import { adminRespondToAuthChallenge } from './admin-respond-to-auth-challenge.js';
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.js';
import { initiateAuth } from './initiate-auth.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';

/** Sign-in operations, one file each. */
export const authOperations: Record<string, OperationHandler> = {
  InitiateAuth: initiateAuth,
  AdminInitiateAuth: adminInitiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
};
