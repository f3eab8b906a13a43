import type { OperationHandler } from '../../operation.js';
import { authenticationResult } from './wire.js';

/** GetTokensFromRefreshToken (unsigned): a new refresh token too when the client rotates them. */
export const getTokensFromRefreshToken: OperationHandler = async (input, ctx, s) => ({
  AuthenticationResult: authenticationResult(
    await s.auth.tokensFromRefreshToken(ctx, input.str('ClientId'), input.str('RefreshToken'), input.optStr('ClientSecret'), input.optStr('DeviceKey')),
  ),
});
