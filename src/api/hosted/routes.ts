import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../integrations/logger.js';
import { OAuthError } from '../../services/oauth-errors.js';
import { strings } from '../../services/oauth-scopes.js';
import type { Services } from '../../services/services.js';
import { domainPoolOf, type HostResolver } from '../oauth/host.js';
import { formOf, header, queryOf } from '../oauth/http.js';
import { AuthorizePageError, AuthorizeRedirectError, checkAuthorizeRequest, redirectWith, type AuthorizeRequest } from './authorize-request.js';
import { clearSession, Csrf, isSecure, readSession } from './cookies.js';
import { returnToApp } from './finish.js';
import { sendPage, setBranding } from './html.js';
import { errorPage } from './login-pages.js';
import { postLogin, showLogin, type Hosted } from './login.js';
import { AccountPages } from './account.js';
import { ASSET_TYPES, managedLoginBranding } from './branding-css.js';
import type { Branding } from '../../services/oauth-ui.js';

/**
 * The look of a client's pages: its managed login branding style when it has one (Settings colours and
 * Assets, branding-css.ts), else the classic SetUICustomization CSS and logo of the client or the pool.
 * Cognito picks by the domain's ManagedLoginVersion (1 classic, 2 managed login); Tessera's pages are one
 * design for both, so the style a client has is what it gets.
 */
async function pageBranding(services: Services, ar: AuthorizeRequest): Promise<Branding> {
  const style = await services.branding.forClient(ar.pool.id, ar.client.id);
  if (style) return managedLoginBranding(style, services.branding.merged(style));
  return services.uiCustomization.branding(ar.pool.id, ar.client.id);
}

type Handler = (req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest) => Promise<FastifyReply>;

/**
 * The browser side of a user pool domain: /oauth2/authorize, the hosted sign-in page (/login) and /logout
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html, login-endpoint.html,
 * logout-endpoint.html). Every page is server-rendered and works without JavaScript.
 */
export function registerHostedRoutes(app: FastifyInstance, services: Services, hosts: HostResolver, logger: Logger): void {
  const h: Hosted = { services, csrf: new Csrf(services.deps) };
  const account = new AccountPages(h);

  /** Resolves the domain and checks the authorize request carried in the query; errors become pages or redirects. */
  const withRequest = (handler: Handler) => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      const host = await hosts.resolve(header(req, 'host'));
      if (host.kind === 'unknown') return sendPage(reply, 404, 'Not found', errorPage('This sign-in domain does not exist.'));
      const query = (req.raw.url ?? '').split('?')[1] ?? '';
      const ar = await checkAuthorizeRequest(services, queryOf(req), domainPoolOf(host), query);
      setBranding(reply, await pageBranding(services, ar));
      return await handler(req, reply, ar);
    } catch (err) {
      if (err instanceof AuthorizePageError) return sendPage(reply, 400, 'Error', errorPage(err.message));
      if (err instanceof AuthorizeRedirectError) {
        const params = { error: err.oauth.error, error_description: err.oauth.description, state: err.state };
        return reply.code(302).header('location', redirectWith(err.redirectUri, params, err.fragment)).send();
      }
      if (err instanceof OAuthError) return sendPage(reply, 400, 'Error', errorPage(err.description ?? err.error));
      logger.error('hosted page failed', { path: req.url.split('?')[0], error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return sendPage(reply, 500, 'Error', errorPage('Something went wrong on our side. Try again.'));
    }
  };

  // A signed-in browser (session cookie of this pool) goes straight back with a code: single sign-on.
  app.get(
    '/oauth2/authorize',
    withRequest(async (req, reply, ar) => {
      const session = readSession(req, services.deps, ar.pool.id);
      const user = session && (await services.deps.store.users.findBySub(ar.pool.id, session.sub));
      const valid = session && user && user.enabled === 1 && (user.tokens_revoked_before === null || session.issuedAt >= user.tokens_revoked_before);
      if (valid && user) return returnToApp(services, req, reply, ar, user, session.authTime, false);
      return reply.code(302).header('location', `/login?${ar.query}`).send();
    }),
  );

  app.get('/login', withRequest(async (req, reply, ar) => showLogin(h, req, reply, ar)));


  /** A form post: its CSRF token is checked before anything else is read. */
  const posted = (handler: (req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: ReadonlyMap<string, string>) => Promise<FastifyReply>) =>
    withRequest(async (req, reply, ar) => {
      const form = formOf(req);
      if (!h.csrf.verify(req, form.get('_csrf'))) return showLogin(h, req, reply, ar, { error: 'Your page expired. Try again.' }, 403);
      return handler(req, reply, ar, form);
    });
  app.get('/signup', withRequest(async (req, reply, ar) => account.showSignUp(req, reply, ar)));
  // Every form post is checked for its CSRF token first: a forged cross-site post never reaches a sign-in.
  app.post('/login', posted((req, reply, ar, form) => postLogin(h, req, reply, ar, form)));
  app.post('/signup', posted((req, reply, ar, form) => account.signUp(req, reply, ar, form)));
  app.post('/confirm', posted((req, reply, ar, form) => account.confirm(req, reply, ar, form)));
  app.post('/resendcode', posted((req, reply, ar, form) => account.resend(req, reply, ar, form)));
  app.get('/forgotPassword', withRequest(async (req, reply, ar) => account.showForgot(req, reply, ar)));
  app.post('/forgotPassword', posted((req, reply, ar, form) => account.forgot(req, reply, ar, form)));
  app.post('/confirmforgotPassword', posted((req, reply, ar, form) => account.reset(req, reply, ar, form)));

  // The logo of SetUICustomization (ImageUrl), served wherever the pages are.
  app.get<{ Params: { pool: string; client: string } }>('/_tessera/ui/:pool/:client/logo', async (req, reply) => {
    const logo = await services.uiCustomization.logo(req.params.pool, req.params.client);
    if (!logo) return reply.code(404).header('content-type', 'application/json').send(JSON.stringify({ message: 'Not Found' }));
    return reply.code(200).header('content-type', logo.type).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff').send(logo.bytes);
  });

  // The images of a managed login style. An SVG opened directly runs no script: sandboxed, no sources.
  app.get<{ Params: { pool: string; id: string; category: string; mode: string } }>('/_tessera/branding/:pool/:id/:category/:mode', async (req, reply) => {
    const p = req.params;
    const asset = await services.branding.asset(p.pool, p.id, p.category, p.mode);
    const type = asset && ASSET_TYPES[asset.Extension];
    if (!asset?.Bytes || !type) return reply.code(404).header('content-type', 'application/json').send(JSON.stringify({ message: 'Not Found' }));
    return reply
      .code(200)
      .header('content-type', type)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .send(Buffer.from(asset.Bytes, 'base64'));
  });

  app.get('/logout', async (req, reply) => {
    const host = await hosts.resolve(header(req, 'host'));
    if (host.kind === 'unknown') return sendPage(reply, 404, 'Not found', errorPage('This sign-in domain does not exist.'));
    const q = queryOf(req);
    const clientId = q.get('client_id');
    const found = clientId ? await services.oauth.findClient(clientId, domainPoolOf(host)) : undefined;
    if (!found) return sendPage(reply, 400, 'Error', errorPage('The application that sent you here is not known (client_id).'));
    const logoutUri = q.get('logout_uri');
    if (logoutUri !== undefined) {
      // Only a registered sign-out URL, exactly: no open redirect.
      if (!strings(found.client.doc, 'LogoutURLs').includes(logoutUri)) return sendPage(reply, 400, 'Error', errorPage('The sign-out address (logout_uri) is not registered for this application.'));
      clearSession(reply, isSecure(req, services.deps), found.pool.id);
      return reply.code(302).header('location', logoutUri).send();
    }
    // Without logout_uri: sign out, then show the sign-in page for the given authorize parameters.
    return withRequest(async (r, rep, ar) => {
      clearSession(rep, isSecure(r, services.deps), ar.pool.id);
      return rep.code(302).header('location', `/login?${ar.query}`).send();
    })(req, reply);
  });
}
