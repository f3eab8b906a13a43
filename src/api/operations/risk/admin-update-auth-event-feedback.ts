import type { OperationHandler } from '../../operation.js';

/** AdminUpdateAuthEventFeedback: an administrator marks an event Valid or Invalid. */
export const adminUpdateAuthEventFeedback: OperationHandler = async (input, ctx, s) => {
  await s.authEvents.adminFeedback(ctx, input.str('UserPoolId'), input.str('Username'), input.str('EventId'), input.str('FeedbackValue'));
  return {};
};
