import type { OperationHandler } from '../../operation.js';
import { userType } from './wire.js';

/** ListUsers: Filter, AttributesToGet, Limit and an opaque PaginationToken. */
export const listUsers: OperationHandler = async (input, ctx, s) => {
  const page = await s.users.list(ctx, input.str('UserPoolId'), {
    filter: input.optStr('Filter'),
    attributesToGet: input.optStrList('AttributesToGet'),
    limit: input.optNum('Limit'),
    paginationToken: input.optStr('PaginationToken'),
  });
  return { Users: page.users.map(userType), ...(page.paginationToken ? { PaginationToken: page.paginationToken } : {}) };
};
