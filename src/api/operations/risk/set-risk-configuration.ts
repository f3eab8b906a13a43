import type { OperationHandler } from '../../operation.js';
import { riskConfiguration } from './wire.js';

/** SetRiskConfiguration: replaces (or with no configuration members, removes) the pool's or a client's. */
export const setRiskConfiguration: OperationHandler = async (input, ctx, s) => ({
  RiskConfiguration: riskConfiguration(await s.riskConfig.set(ctx, input)),
});
