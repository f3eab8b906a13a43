import type { FastifyInstance } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import { regionOfPoolId } from '../services/pools.js';
import type { Services } from '../services/services.js';

const page = (text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in feedback</title></head><body><p>${text}</p></body></html>`;

/**
 * GET /_tessera/auth-event-feedback?userPoolId=&username=&eventId=&feedbackToken=&feedbackValue=Valid|Invalid :
 * the one-click links ({one-click-link-valid}, {one-click-link-invalid}) of threat protection's notification
 * emails. Same check and effect as UpdateAuthEventFeedback: the sealed FeedbackToken must be this event's.
 */
export function registerRiskFeedbackRoute(app: FastifyInstance, services: Services): void {
  app.get('/_tessera/auth-event-feedback', async (req, reply) => {
    const q = new URLSearchParams(req.raw.url?.split('?')[1] ?? '');
    const poolId = q.get('userPoolId') ?? '';
    const value = q.get('feedbackValue');
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(poolId) || (value !== 'Valid' && value !== 'Invalid')) {
      return reply.code(400).send(page('This link is not valid.'));
    }
    try {
      const ctx = { region: regionOfPoolId(poolId), requestId: req.id };
      await services.authEvents.userFeedback(ctx, poolId, q.get('username') ?? '', q.get('eventId') ?? '', q.get('feedbackToken') ?? '', value);
    } catch (err) {
      if (err instanceof CognitoError && err.status === 400) return reply.code(400).send(page('This link is not valid.'));
      throw err;
    }
    return reply.send(page(value === 'Valid' ? 'Thank you: the sign-in is marked as yours.' : 'Thank you: the sign-in is marked as not yours.'));
  });
}
