import type { CallerContext, ServiceDeps } from './context.js';
import type { PoolService } from './pools.js';

/**
 * Tags on user pools, addressed by ARN. They live in the pool document's UserPoolTags, so
 * DescribeUserPool shows them too (https://docs.aws.amazon.com/cognito/latest/developerguide/tagging.html).
 */
export class TagService {

  constructor(private readonly pools: PoolService) {}

  async list(ctx: CallerContext, arn: string): Promise<Record<string, string>> {
    return tagsOf((await this.pools.getByArn(ctx, arn)).doc.UserPoolTags);
  }

  /** TagResource adds tags and overwrites the values of keys that exist; the 50-tag limit applies to the result. */
  async tag(ctx: CallerContext, arn: string, tags: Record<string, string>): Promise<void> {
    const pool = await this.pools.getByArn(ctx, arn, true);
    await this.pools.setTags(pool, { ...tagsOf(pool.doc.UserPoolTags), ...tags });
  }

  /** UntagResource removes the keys given; keys that are not there are ignored. */
  async untag(ctx: CallerContext, arn: string, keys: readonly string[]): Promise<void> {
    const pool = await this.pools.getByArn(ctx, arn, true);
    const tags = tagsOf(pool.doc.UserPoolTags);
    for (const k of keys) delete tags[k];
    await this.pools.setTags(pool, tags);
  }
}

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
