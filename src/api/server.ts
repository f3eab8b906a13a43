import Fastify, { type FastifyInstance } from 'fastify';
import type { Services } from '../services/services.js';
import type { Dispatcher } from './dispatcher.js';
import { HostResolver } from './oauth/host.js';
import { registerOAuthRoutes } from './oauth/routes.js';
import { registerHostedRoutes } from './hosted/routes.js';
import { registerOidcRoutes } from './oidc-routes.js';
import { registerOutboxRoutes } from './outbox-route.js';
import { registerRiskFeedbackRoute } from './risk-feedback-route.js';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control',
  'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
  'access-control-max-age': '86400',
};

/**
 * HTTP edge: `POST /` carries the cognito-idp JSON protocol to the dispatcher; reserved paths under
 * /_tessera/ serve health and the development outbox. The body is kept raw because SigV4 signs its bytes.
 */
export function buildHttpServer(dispatcher: Dispatcher, services: Services, newRequestId: () => string): FastifyInstance {
  // 'idle': on close, idle keep-alive sockets are closed at once; busy ones finish their request first.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true, forceCloseConnections: 'idle' });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A request still in flight when the drain starts answers with `Connection: close`, so its socket does
  // not hold the process open for the keep-alive timeout.
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (_req, reply) => {
    reply.headers(CORS_HEADERS);
  });
  app.options('*', async (_req, reply) => reply.code(204).send());

  app.post('/', async (req, reply) => {
    const requestId = newRequestId();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const res = await dispatcher.dispatch({ method: req.method, path: req.raw.url ?? '/', headers: req.headers, body, requestId });
    reply.code(res.status).header('content-type', 'application/x-amz-json-1.1').header('x-amzn-requestid', requestId);
    if (res.errorType) reply.header('x-amzn-errortype', res.errorType);
    return reply.send(Buffer.from(res.body, 'utf8')); // a Buffer: fastify would append '; charset=utf-8' to a string
  });

  app.get('/_tessera/health', async () => ({ status: 'ok' }));
  registerOutboxRoutes(app, services);
  registerRiskFeedbackRoute(app, services);
  registerOidcRoutes(app, services);
  const hosts = new HostResolver(services);
  registerOAuthRoutes(app, services, hosts, services.deps.logger);
  registerHostedRoutes(app, services, hosts, services.deps.logger);

  app.setNotFoundHandler(async (_req, reply) =>
    reply.code(404).header('content-type', 'application/json').send(JSON.stringify({ message: 'Not Found' })),
  );
  app.setErrorHandler(async (err, _req, reply) => {
    // Only protocol-level failures reach here (e.g. a body over the limit); answer in the AWS envelope.
    const code = typeof err === 'object' && err !== null && 'statusCode' in err ? err.statusCode : undefined;
    const status = typeof code === 'number' && code < 500 ? code : 500;
    const type = status === 413 ? 'SerializationException' : status < 500 ? 'SerializationException' : 'InternalErrorException';
    return reply
      .code(status === 413 ? 413 : status < 500 ? 400 : 500)
      .header('content-type', 'application/x-amz-json-1.1')
      .header('x-amzn-errortype', type)
      .send(Buffer.from(JSON.stringify({ __type: type, message: status === 413 ? 'Request entity too large' : 'Bad request' })));
  });
  return app;
}
