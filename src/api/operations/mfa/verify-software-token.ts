import type { OperationHandler } from '../../operation.js';
import { tokenCaller } from './wire.js';

/** VerifySoftwareToken: Status SUCCESS, and a Session answering MFA_SETUP when called with one. */
export const verifySoftwareToken: OperationHandler = async (input, ctx, s) => {
  const r = await s.userMfa.verify(ctx, tokenCaller(input), input.str('UserCode'));
  return { Status: 'SUCCESS', ...(r.session === undefined ? {} : { Session: r.session }) };
};
