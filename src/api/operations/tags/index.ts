import type { OperationHandler } from '../../operation.js';

/** Tagging of user pools by ARN (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TagResource.html). */
export const tagOperations: Record<string, OperationHandler> = {
  async TagResource(input, ctx, s) {
    await s.tags.tag(ctx, input.str('ResourceArn'), input.optStrMap('Tags') ?? {});
    return {};
  },
  async UntagResource(input, ctx, s) {
    await s.tags.untag(ctx, input.str('ResourceArn'), input.optStrList('TagKeys') ?? []);
    return {};
  },
  async ListTagsForResource(input, ctx, s) {
    return { Tags: await s.tags.list(ctx, input.str('ResourceArn')) };
  },
};
