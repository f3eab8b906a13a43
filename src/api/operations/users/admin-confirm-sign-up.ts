import type { OperationHandler } from '../../operation.js';
import { triggerInputs } from '../trigger-inputs.js';
import { target } from './wire.js';

/** AdminConfirmSignUp (ClientMetadata goes to the post confirmation trigger only). */
export const adminConfirmSignUp: OperationHandler = async (input, ctx, s) => {
  await s.users.confirmSignUp(ctx, ...target(input), triggerInputs(input));
  return {};
};
