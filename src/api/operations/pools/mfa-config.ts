import type { OperationHandler } from '../../operation.js';

export const mfaConfigOperations: Record<string, OperationHandler> = {
  async GetUserPoolMfaConfig(input, ctx, s) {
    return { ...(await s.mfaConfig.get(ctx, input.str('UserPoolId'))) };
  },
  async SetUserPoolMfaConfig(input, ctx, s) {
    return { ...(await s.mfaConfig.set(ctx, input)) };
  },
};
