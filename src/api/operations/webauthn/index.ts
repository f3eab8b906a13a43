import { userAuthFactors } from '../../../services/auth-choice-factors.js';
import { requireUser } from '../../../services/user-lookup.js';
import { epochSeconds, type OperationHandler } from '../../operation.js';

/** Passkey management with the user's access token, and the auth factors a user can sign in with. */
export const webAuthnOperations: Record<string, OperationHandler> = {
  async StartWebAuthnRegistration(input, _ctx, s) {
    return { CredentialCreationOptions: await s.webauthn.startRegistration(input.str('AccessToken')) };
  },
  async CompleteWebAuthnRegistration(input, _ctx, s) {
    await s.webauthn.completeRegistration(input.str('AccessToken'), input.json('Credential'));
    return {};
  },
  async ListWebAuthnCredentials(input, _ctx, s) {
    const r = await s.webauthn.list(input.str('AccessToken'), input.optNum('MaxResults'), input.optStr('NextToken'));
    return {
      Credentials: r.credentials.map((c) => ({ ...c, CreatedAt: epochSeconds(c.CreatedAt) })),
      ...(r.nextToken === undefined ? {} : { NextToken: r.nextToken }),
    };
  },
  async DeleteWebAuthnCredential(input, _ctx, s) {
    await s.webauthn.delete(input.str('AccessToken'), input.str('CredentialId'));
    return {};
  },
  async GetUserAuthFactors(input, _ctx, s) {
    const { pool, user } = await s.tokens.verifyAccessToken(input.str('AccessToken'));
    return userAuthFactors(s.deps, pool, user);
  },
  async AdminGetUserAuthFactors(input, ctx, s) {
    const pool = await s.pools.get(ctx, input.str('UserPoolId'));
    return userAuthFactors(s.deps, pool, await requireUser(s.deps, pool, input.str('Username')));
  },
};
