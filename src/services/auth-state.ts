import type { ServiceDeps } from './context.js';

/**
 * The server's state between two steps of a sign-in, handed to the client sealed (AES-256-GCM under the
 * server key: neither readable nor alterable) and expiring: the SRP SECRET_BLOCK, and the Session of a
 * challenge such as NEW_PASSWORD_REQUIRED. It names its pool, app client and user, so it only works there;
 * its `id` is recorded when it is used, so it works once (store.signIn.useOnce), on any node.
 */
export interface AuthState {
  kind: 'PASSWORD_VERIFIER' | 'NEW_PASSWORD_REQUIRED';
  id: string;
  poolId: string;
  clientId: string;
  /** The user's sub; null for the stand-in challenge of an unknown user (PreventUserExistenceErrors). */
  sub: string | null;
  /** USER_ID_FOR_SRP: the stored username. */
  username: string;
  /** Epoch ms. */
  expiresAt: number;
  /** PASSWORD_VERIFIER: the SRP key (base64) the client must prove it derived; absent when none exists. */
  key?: string;
  /** Epoch seconds of the password check that started the sign-in (auth_time of the tokens). */
  authTime?: number;
}

const PURPOSE = { PASSWORD_VERIFIER: 'auth-state:srp-secret-block', NEW_PASSWORD_REQUIRED: 'auth-state:session' } as const;

export function sealState(deps: ServiceDeps, s: AuthState): string {
  const body = { i: s.id, p: s.poolId, c: s.clientId, s: s.sub, u: s.username, e: s.expiresAt, ...(s.key ? { k: s.key } : {}), ...(s.authTime ? { a: s.authTime } : {}) };
  return deps.secrets.seal(JSON.stringify(body), PURPOSE[s.kind]);
}

/** The state sealed in `text` for this kind, or undefined for anything else (tampered, foreign, malformed). */
export function openState(deps: ServiceDeps, kind: AuthState['kind'], text: string): AuthState | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(deps.secrets.open(text, PURPOSE[kind]));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const get = (k: string): unknown => Reflect.get(parsed, k);
  const [i, p, c, s, u, e, key, a] = ['i', 'p', 'c', 's', 'u', 'e', 'k', 'a'].map(get);
  if (typeof i !== 'string' || typeof p !== 'string' || typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'number') return undefined;
  if ((s !== null && typeof s !== 'string') || (key !== undefined && typeof key !== 'string') || (a !== undefined && typeof a !== 'number')) return undefined;
  return { kind, id: i, poolId: p, clientId: c, sub: s, username: u, expiresAt: e, ...(key === undefined ? {} : { key }), ...(a === undefined ? {} : { authTime: a }) };
}

/** SECRET_BLOCK is base64 on the wire (the clients base64-decode it into the signed message). */
export const secretBlockOf = (sealed: string): string => Buffer.from(sealed, 'utf8').toString('base64');
export const sealedOfSecretBlock = (block: string): string => Buffer.from(block, 'base64').toString('utf8');
