import type { OperationHandler } from '../../operation.js';
import { adminListUserAuthEvents } from './admin-list-user-auth-events.js';
import { adminUpdateAuthEventFeedback } from './admin-update-auth-event-feedback.js';
import { describeRiskConfiguration } from './describe-risk-configuration.js';
import { setRiskConfiguration } from './set-risk-configuration.js';
import { updateAuthEventFeedback } from './update-auth-event-feedback.js';

/** Threat protection operations, one file each. */
export const riskOperations: Record<string, OperationHandler> = {
  DescribeRiskConfiguration: describeRiskConfiguration,
  SetRiskConfiguration: setRiskConfiguration,
  AdminListUserAuthEvents: adminListUserAuthEvents,
  AdminUpdateAuthEventFeedback: adminUpdateAuthEventFeedback,
  UpdateAuthEventFeedback: updateAuthEventFeedback,
};
