import type { OperationHandler } from '../../operation.js';
import { epochSeconds } from '../../operation.js';
import { userPoolType } from './describe.js';
import { mfaConfigOperations } from './mfa-config.js';
import { getSigningCertificate } from './signing-certificate.js';

/** User pool operations. Each handler maps wire input to one service call. */
export const poolOperations: Record<string, OperationHandler> = {
  GetSigningCertificate: getSigningCertificate,
  ...mfaConfigOperations,
  async CreateUserPool(input, ctx, s) {
    const pool = await s.pools.create(ctx, input);
    return { UserPool: await userPoolType(s, pool) };
  },
  async DescribeUserPool(input, ctx, s) {
    return { UserPool: await userPoolType(s, await s.pools.get(ctx, input.str('UserPoolId'))) };
  },
  async UpdateUserPool(input, ctx, s) {
    await s.pools.update(ctx, input);
    return {};
  },
  async DeleteUserPool(input, ctx, s) {
    await s.pools.delete(ctx, input.str('UserPoolId'));
    return {};
  },
  async ListUserPools(input, ctx, s) {
    const { pools, nextToken } = await s.pools.list(ctx, input.optNum('MaxResults') ?? 60, input.optStr('NextToken'));
    return {
      UserPools: pools.map((p) => ({
        Id: p.id,
        Name: p.name,
        LambdaConfig: p.doc.LambdaConfig ?? {},
        LastModifiedDate: epochSeconds(p.updatedAt),
        CreationDate: epochSeconds(p.createdAt),
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },
  async AddCustomAttributes(input, ctx, s) {
    await s.pools.addCustomAttributes(ctx, input.str('UserPoolId'), input.objList('CustomAttributes'));
    return {};
  },
};
