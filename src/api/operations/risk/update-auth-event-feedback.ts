import type { OperationHandler } from '../../operation.js';

/** UpdateAuthEventFeedback (unsigned): the user answers a notification email with its FeedbackToken. */
export const updateAuthEventFeedback: OperationHandler = async (input, ctx, s) => {
  await s.authEvents.userFeedback(ctx, input.str('UserPoolId'), input.str('Username'), input.str('EventId'), input.str('FeedbackToken'), input.str('FeedbackValue'));
  return {};
};
