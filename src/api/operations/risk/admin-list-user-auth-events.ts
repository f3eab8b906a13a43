import type { OperationHandler } from '../../operation.js';
import { authEvent } from './auth-event-wire.js';

/** AdminListUserAuthEvents: a user's sign-in history, newest first, MaxResults a page (60 at most). */
export const adminListUserAuthEvents: OperationHandler = async (input, ctx, s) => {
  const page = await s.authEvents.list(ctx, input.str('UserPoolId'), input.str('Username'), input.optNum('MaxResults'), input.optStr('NextToken'));
  return { AuthEvents: page.events.map(authEvent), ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }) };
};
