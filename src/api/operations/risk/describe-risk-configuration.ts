import type { OperationHandler } from '../../operation.js';
import { riskConfiguration } from './wire.js';

/** DescribeRiskConfiguration: the client's own configuration, else the pool's ("ALL"). */
export const describeRiskConfiguration: OperationHandler = async (input, ctx, s) => ({
  RiskConfiguration: riskConfiguration(await s.riskConfig.describe(ctx, input.str('UserPoolId'), input.optStr('ClientId'))),
});
