import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../services/services.js';
import { timingSafeEqual } from 'node:crypto';

/**
 * GET /_tessera/outbox?userPoolId=&destination=&after=&limit= : the messages the server has sent, newest
 * last, for development and tests. They contain codes, so the caller must present an administrator access
 * key as HTTP Basic credentials (access key id : secret access key).
 */
export function registerOutboxRoutes(app: FastifyInstance, services: Services): void {
  app.get('/_tessera/outbox', async (req, reply) => {
    if (!(await authorized(req, services))) {
      return reply.code(401).header('www-authenticate', 'Basic realm="tessera"').send({ message: 'Unauthorized' });
    }
    const q = new URLSearchParams(req.raw.url?.split('?')[1] ?? '');
    const limit = Math.min(Math.max(Number(q.get('limit') ?? 100) || 100, 1), 1000);
    const after = q.get('after');
    const rows = await services.deps.store.messages.list({
      limit,
      ...(q.get('userPoolId') ? { poolId: q.get('userPoolId') ?? '' } : {}),
      ...(q.get('destination') ? { destination: q.get('destination') ?? '' } : {}),
      ...(after && Number.isInteger(Number(after)) ? { afterSeq: Number(after) } : {}),
    });
    return {
      messages: rows.map((m) => ({
        seq: m.seq,
        id: m.id,
        userPoolId: m.pool_id,
        createdAt: new Date(m.created_at).toISOString(),
        channel: m.channel,
        destination: m.destination,
        subject: m.subject,
        body: m.body,
        purpose: m.purpose,
        username: m.username,
        status: m.status,
      })),
    };
  });
}

async function authorized(req: FastifyRequest, services: Services): Promise<boolean> {
  const h = req.headers.authorization;
  if (!h?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 1) return false;
  const secret = await services.keys.secretOf(decoded.slice(0, i));
  if (secret === undefined) return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(decoded.slice(i + 1));
  return a.length === b.length && timingSafeEqual(a, b);
}
