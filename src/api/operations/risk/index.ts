import type { OperationHandler } from '../../operation.js';
import { describeRiskConfiguration } from './describe-risk-configuration.js';
import { setRiskConfiguration } from './set-risk-configuration.js';

/** Threat protection operations, one file each. */
export const riskOperations: Record<string, OperationHandler> = {
  DescribeRiskConfiguration: describeRiskConfiguration,
  SetRiskConfiguration: setRiskConfiguration,
};
