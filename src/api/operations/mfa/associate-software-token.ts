import type { OperationHandler } from '../../operation.js';
import { tokenCaller } from './wire.js';

/** AssociateSoftwareToken: SecretCode, and a Session when called with one (MFA_SETUP). */
export const associateSoftwareToken: OperationHandler = async (input, ctx, s) => {
  const r = await s.userMfa.associate(ctx, tokenCaller(input));
  return { SecretCode: r.secretCode, ...(r.session === undefined ? {} : { Session: r.session }) };
};
