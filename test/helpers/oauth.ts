import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Overrides } from '../../src/app.js';
import { startTessera, type TestServer } from './server.js';

/** A free loopback port (OpenID discovery needs the issuer, hence the public URL, to carry the real port). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Like startTessera, but on a fixed port so that the public URL (the tokens' issuer and the discovery
 * document's endpoints) is the address clients really reach.
 */
export async function startOAuthTessera(kind: 'sqlite' | 'postgres', overrides?: Overrides): Promise<TestServer> {
  return startTessera({ store: kind, overrides, port: await freePort() });
}

/** aws-jwt-verify fetches JWKS over https only; this fetcher lets it read ours over plain loopback HTTP. */
export const httpJwksCache = (): SimpleJwksCache => new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });

/** POSTs a form to the server, as an OAuth client would; `basic` adds client_secret_basic. */
export async function postForm(url: string, form: Record<string, string>, basic?: { id: string; secret: string }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  const body: Record<string, unknown> = typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
  return { status: res.status, body, headers: res.headers };
}

/**
 * The relying application: a real loopback HTTP server whose callback and sign-out pages record where the
 * browser arrived (with the code or the error), as an application would.
 */
export async function startApp(): Promise<{ base: string; next: (path: string) => Promise<URL>; close: () => Promise<void> }> {
  const waiting = new Map<string, (u: URL) => void>();
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://localhost:${port}`);
    waiting.get(url.pathname)?.(url);
    waiting.delete(url.pathname);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('app');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    base: `http://localhost:${port}`,
    next: (path) => new Promise((r) => waiting.set(path, r)),
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections(); // a browser's keep-alive sockets would hold close() open
      }),
  };
}

