import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../integrations/logger.js';
import { OAuthError } from '../../services/oauth-errors.js';
import type { Services } from '../../services/services.js';
import { domainPoolOf, type HostResolver } from './host.js';
import { clientCredentials, formOf, header, sendJson, sendOAuthError } from './http.js';

/**
 * The OAuth 2.0 endpoints of a user pool domain (or of the server's own origin, where the client id names
 * the pool): token, userInfo and revocation (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html,
 * userinfo-endpoint.html, revocation-endpoint.html). Errors are RFC 6749 JSON, never the cognito-idp envelope.
 */
export function registerOAuthRoutes(app: FastifyInstance, services: Services, hosts: HostResolver, logger: Logger): void {
  const guarded = (handler: (req: FastifyRequest, reply: FastifyReply, pool: string | undefined) => Promise<FastifyReply>) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const host = await hosts.resolve(header(req, 'host'));
      if (host.kind === 'unknown') return sendJson(reply, 404, { error: 'not_found' });
      try {
        return await handler(req, reply, domainPoolOf(host));
      } catch (err) {
        if (err instanceof OAuthError) return sendOAuthError(reply, err, /^basic /i.test(header(req, 'authorization') ?? ''));
        logger.error('oauth endpoint failed', { path: req.url.split('?')[0], error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        return sendJson(reply, 500, { error: 'server_error' });
      }
    };

  app.post(
    '/oauth2/token',
    guarded(async (req, reply, pool) => {
      if (!/^application\/x-www-form-urlencoded/i.test(header(req, 'content-type') ?? '')) throw new OAuthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      const form = formOf(req);
      return sendJson(reply, 200, await services.oauth.token(form, clientCredentials(req, form), pool));
    }),
  );

  const userInfo = guarded(async (req, reply) => {
    const auth = header(req, 'authorization');
    const bearer = auth !== undefined && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
    return sendJson(reply, 200, await services.oauth.userInfo(bearer));
  });
  app.get('/oauth2/userInfo', userInfo);
  app.post('/oauth2/userInfo', userInfo);

  app.post(
    '/oauth2/revoke',
    guarded(async (req, reply, pool) => {
      const form = formOf(req);
      await services.oauth.revoke(form.get('token'), clientCredentials(req, form), pool);
      return reply.code(200).header('cache-control', 'no-store').send('');
    }),
  );
}
