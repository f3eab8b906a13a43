import { invalidSession, missingParameter, sessionExpired } from '../domain/auth-flows.js';
import type { UserRow } from '../store/schema.js';
import type { SignInTarget } from './auth-outcome.js';
import type { ServiceDeps } from './context.js';

/** Kind-specific values a state carries (small scalars: a chosen MFA factor, a device key, a counter). */
export type StateExtra = Readonly<Record<string, string | number | boolean>>;

/**
 * The server's state between two steps of a sign-in, handed to the client sealed (AES-256-GCM under the
 * server key: neither readable nor alterable) and expiring: the SRP SECRET_BLOCK, and the Session of every
 * challenge (NEW_PASSWORD_REQUIRED, SMS_MFA, MFA_SETUP, ...). It names its pool, app client and user, so it
 * only works there; its `id` is recorded when it is used, so it works once (store.signIn.useOnce), on any
 * node. `kind` is the challenge the state answers and is bound into the seal: a Session of one challenge
 * does not open as another's.
 *
 * To add a challenge kind: pick its ChallengeName as `kind`, make the Session with `challengeSession`,
 * open the answer's Session with `openSession(deps, target, kind, session)`, and keep whatever the answer
 * needs in `extra` (never a secret the client must not learn: the seal hides it, but keep states small).
 */
export interface AuthState {
  kind: string;
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
  /** Epoch seconds of the first factor that started the sign-in (auth_time of the tokens). */
  authTime?: number;
  extra?: StateExtra;
}

/** The two original kinds keep their purposes so that states sealed before this change still open. */
const LEGACY_PURPOSE: Readonly<Record<string, string>> = {
  PASSWORD_VERIFIER: 'auth-state:srp-secret-block',
  NEW_PASSWORD_REQUIRED: 'auth-state:session',
};
const purposeOf = (kind: string): string => LEGACY_PURPOSE[kind] ?? `auth-state:${kind}`;

export function sealState(deps: ServiceDeps, s: AuthState): string {
  const body = {
    i: s.id,
    p: s.poolId,
    c: s.clientId,
    s: s.sub,
    u: s.username,
    e: s.expiresAt,
    ...(s.key ? { k: s.key } : {}),
    ...(s.authTime ? { a: s.authTime } : {}),
    ...(s.extra && Object.keys(s.extra).length > 0 ? { x: s.extra } : {}),
  };
  return deps.secrets.seal(JSON.stringify(body), purposeOf(s.kind));
}

function extraOf(x: unknown): StateExtra | undefined {
  if (x === undefined) return {};
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    out[k] = v;
  }
  return out;
}

/** The state sealed in `text` for this kind, or undefined for anything else (tampered, foreign, malformed). */
export function openState(deps: ServiceDeps, kind: string, text: string): AuthState | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(deps.secrets.open(text, purposeOf(kind)));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const get = (k: string): unknown => Reflect.get(parsed, k);
  const [i, p, c, s, u, e, key, a] = ['i', 'p', 'c', 's', 'u', 'e', 'k', 'a'].map(get);
  const extra = extraOf(get('x'));
  if (typeof i !== 'string' || typeof p !== 'string' || typeof c !== 'string' || typeof u !== 'string' || typeof e !== 'number') return undefined;
  if ((s !== null && typeof s !== 'string') || (key !== undefined && typeof key !== 'string') || (a !== undefined && typeof a !== 'number')) return undefined;
  if (extra === undefined) return undefined;
  return {
    kind,
    id: i,
    poolId: p,
    clientId: c,
    sub: s,
    username: u,
    expiresAt: e,
    ...(key === undefined ? {} : { key }),
    ...(a === undefined ? {} : { authTime: a }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** Minutes a challenge stays answerable: the client's AuthSessionValidity (3 to 15, default 3). */
export function sessionValidityMs(target: SignInTarget): number {
  const v = target.client.doc.AuthSessionValidity;
  return (typeof v === 'number' ? v : 3) * 60_000;
}

/** A fresh, sealed Session for challenge `kind` of `user`, valid for the client's AuthSessionValidity. */
export function challengeSession(deps: ServiceDeps, target: SignInTarget, kind: string, user: UserRow, authTime: number, extra: StateExtra = {}): { state: AuthState; session: string } {
  const state: AuthState = {
    kind,
    id: deps.random.uuid(),
    poolId: target.pool.id,
    clientId: target.client.id,
    sub: user.id,
    username: user.username,
    expiresAt: deps.clock.now().getTime() + sessionValidityMs(target),
    authTime,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return { state, session: sealState(deps, state) };
}

/**
 * The Session of an answer to challenge `kind`: it must be a real user's, this pool's and client's, and
 * unexpired ("Invalid session for the user." / "..., session is expired."). Whether it was used already is
 * the caller's to check (store.signIn.useOnce), at the point where the answer is accepted.
 */
export function openSession(deps: ServiceDeps, target: SignInTarget, kind: string, session: string | undefined): AuthState & { sub: string; authTime: number } {
  if (session === undefined) throw missingParameter('Session');
  const state = openState(deps, kind, session);
  if (!state || state.sub === null || state.poolId !== target.pool.id || state.clientId !== target.client.id) throw invalidSession();
  if (deps.clock.now().getTime() >= state.expiresAt) throw sessionExpired();
  const authTime = state.authTime ?? Math.floor(deps.clock.now().getTime() / 1000);
  return { ...state, sub: state.sub, authTime };
}

/** SECRET_BLOCK is base64 on the wire (the clients base64-decode it into the signed message). */
export const secretBlockOf = (sealed: string): string => Buffer.from(sealed, 'utf8').toString('base64');
export const sealedOfSecretBlock = (block: string): string => Buffer.from(block, 'base64').toString('utf8');
