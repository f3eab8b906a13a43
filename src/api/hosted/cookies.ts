import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../../services/context.js';

/** "The managed login session cookie lasts one hour" (DG, managed-login; authentication-flows). */
export const SESSION_MS = 60 * 60_000;
const CSRF_COOKIE = 'tessera-csrf';
const SESSION_PURPOSE = 'hosted:session';

/** A signed-in browser: who, in which pool, since when. Sealed into the session cookie. */
export interface BrowserSession {
  poolId: string;
  sub: string;
  /** Epoch seconds of the sign-in (auth_time). */
  authTime: number;
  /** Epoch ms. */
  issuedAt: number;
  expiresAt: number;
}

export function cookiesOf(req: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  const raw = req.headers.cookie ?? '';
  for (const part of raw.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!out.has(k)) out.set(k, part.slice(i + 1).trim());
  }
  return out;
}

/**
 * Cookie attributes: HttpOnly (no script reads them), SameSite=Lax (sent on the top-level redirect from
 * the application, never on cross-site subrequests or posts), Path=/, and Secure whenever the page is
 * served over https (a plain-http loopback origin cannot keep Secure cookies).
 */
function attributes(secure: boolean, maxAgeSeconds: number): string {
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** Whether the browser reached us over https (directly, or through a proxy that says so, or by config). */
export function isSecure(req: FastifyRequest, deps: ServiceDeps): boolean {
  const proto = req.headers['x-forwarded-proto'];
  return req.protocol === 'https' || proto === 'https' || deps.config.publicUrl.startsWith('https:');
}

/** One cookie per pool, so that pools served on the same origin keep separate sessions. */
const sessionCookie = (poolId: string): string => `tessera-session-${poolId}`;

export function readSession(req: FastifyRequest, deps: ServiceDeps, poolId: string): BrowserSession | undefined {
  const sealed = cookiesOf(req).get(sessionCookie(poolId));
  if (sealed === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(deps.secrets.open(sealed, `${SESSION_PURPOSE}:${poolId}`));
    if (typeof v !== 'object' || v === null) return undefined;
    const r: Record<string, unknown> = { ...v };
    const { sub, authTime, issuedAt, expiresAt } = r;
    if (typeof sub !== 'string' || typeof authTime !== 'number' || typeof issuedAt !== 'number' || typeof expiresAt !== 'number') return undefined;
    if (deps.clock.now().getTime() >= expiresAt) return undefined;
    return { poolId, sub, authTime, issuedAt, expiresAt };
  } catch {
    return undefined;
  }
}

export function setSession(reply: FastifyReply, secure: boolean, deps: ServiceDeps, s: Omit<BrowserSession, 'issuedAt' | 'expiresAt'>): void {
  const now = deps.clock.now().getTime();
  const body = JSON.stringify({ sub: s.sub, authTime: s.authTime, issuedAt: now, expiresAt: now + SESSION_MS });
  const sealed = deps.secrets.seal(body, `${SESSION_PURPOSE}:${s.poolId}`);
  appendCookie(reply, `${sessionCookie(s.poolId)}=${sealed}; ${attributes(secure, SESSION_MS / 1000)}`);
}

export function clearSession(reply: FastifyReply, secure: boolean, poolId: string): void {
  appendCookie(reply, `${sessionCookie(poolId)}=; ${attributes(secure, 0)}`);
}

function appendCookie(reply: FastifyReply, cookie: string): void {
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev.map(String) : typeof prev === 'string' ? [prev] : [];
  reply.header('set-cookie', [...list, cookie]);
}

/**
 * CSRF protection: a random browser cookie, and in every form an HMAC of it under a key derived from the
 * server key. A cross-site page can neither read the cookie nor compute the HMAC, so it cannot forge a
 * submission; a planted cookie without the matching token is useless too.
 */
export class Csrf {
  private readonly key: Uint8Array;

  constructor(deps: ServiceDeps) {
    this.key = deps.secrets.deriveKey('hosted-csrf');
  }

  /** The form token for this browser, setting the cookie first when it has none. */
  token(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
    let value = cookiesOf(req).get(CSRF_COOKIE);
    if (value === undefined || value.length < 20) {
      value = randomBytes(32).toString('base64url');
      appendCookie(reply, `${CSRF_COOKIE}=${value}; ${attributes(secure, 86_400)}`);
    }
    return this.mac(value);
  }

  verify(req: FastifyRequest, submitted: string | undefined): boolean {
    const value = cookiesOf(req).get(CSRF_COOKIE);
    if (value === undefined || submitted === undefined) return false;
    const a = Buffer.from(this.mac(value));
    const b = Buffer.from(submitted);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private mac(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }
}
