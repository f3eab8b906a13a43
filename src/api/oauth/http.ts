import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientCredentials } from '../../services/oauth.js';
import { OAuthError } from '../../services/oauth-errors.js';

/** The first value of a header. */
export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * An application/x-www-form-urlencoded body (the server keeps every body raw, for SigV4) or, for GET,
 * the query string, as a map of first values. Repeated parameters are a malformed request (RFC 6749 §3.1).
 */
export function formOf(req: FastifyRequest): Map<string, string> {
  const raw = req.method === 'GET' ? (req.raw.url ?? '').split('?')[1] ?? '' : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw)) {
    if (out.has(k)) throw new OAuthError('invalid_request', `${k} is repeated`);
    out.set(k, v);
  }
  return out;
}

/** The query string of any request, first values (for the browser endpoints). */
export function queryOf(req: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams((req.raw.url ?? '').split('?')[1] ?? '')) if (!out.has(k)) out.set(k, v);
  return out;
}

/**
 * Client credentials: `Authorization: Basic base64(urlencode(id):urlencode(secret))` (client_secret_basic,
 * RFC 6749 §2.3.1) or client_id/client_secret in the form (client_secret_post, and public clients).
 */
export function clientCredentials(req: FastifyRequest, form: ReadonlyMap<string, string>): ClientCredentials & { basic: boolean } {
  const auth = header(req, 'authorization');
  if (auth !== undefined && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) throw new OAuthError('invalid_client', undefined, 401);
    return { clientId: formDecode(decoded.slice(0, i)), clientSecret: formDecode(decoded.slice(i + 1)), basic: true };
  }
  return { clientId: form.get('client_id'), clientSecret: form.get('client_secret'), basic: false };
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Answers an OAuth error as JSON; a client that tried Basic authentication is told how to retry (§5.2). */
export function sendOAuthError(reply: FastifyReply, err: OAuthError, basic = false): FastifyReply {
  const status = err.error === 'invalid_client' && !basic ? 400 : err.status;
  if (status === 401 && err.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="cognito"');
  if (err.error === 'invalid_token') reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`);
  const body = err.description === undefined ? { error: err.error } : { error: err.error, error_description: err.description };
  return sendJson(reply, status, body);
}

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json;charset=UTF-8')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send(JSON.stringify(body));
}
