import type { AuthOutcome } from '../../../services/auth.js';
import type { IssuedTokens } from '../../../services/tokens.js';
import type { Output } from '../../operation.js';

/** AuthenticationResultType, members in Cognito's order; RefreshToken only when one was issued. */
export function authenticationResult(t: IssuedTokens): Output {
  return {
    AccessToken: t.AccessToken,
    ExpiresIn: t.ExpiresIn,
    TokenType: t.TokenType,
    ...(t.RefreshToken === undefined ? {} : { RefreshToken: t.RefreshToken }),
    IdToken: t.IdToken,
  };
}

/**
 * InitiateAuthResponse / RespondToAuthChallengeResponse and their Admin twins: tokens come with empty
 * ChallengeParameters, as Cognito sends them; a challenge with its name, parameters and Session if any.
 */
export function authOutcome(o: AuthOutcome): Output {
  if ('tokens' in o) {
    const result = authenticationResult(o.tokens);
    return { ChallengeParameters: {}, AuthenticationResult: o.newDevice ? { ...result, NewDeviceMetadata: { ...o.newDevice } } : result };
  }
  const c = o.challenge;
  return {
    ChallengeName: c.name,
    ...(c.session === undefined ? {} : { Session: c.session }),
    ChallengeParameters: c.parameters,
    ...(c.available === undefined ? {} : { AvailableChallenges: [...c.available] }),
  };
}
