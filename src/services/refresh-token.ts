import { openRefreshToken, sealRefreshToken } from '../crypto/jwt.js';

/**
 * What a refresh token carries, sealed (encrypted and authenticated) under a key derived from the server
 * key: the token is opaque to its holder, as Cognito's are, and cannot be forged or altered. Which session
 * it belongs to (origin_jti) and at which rotation it was issued (generation) are checked against the
 * refresh_tokens table on every use, so revocation works although the token itself is self-contained.
 */
export interface RefreshContents {
  poolId: string;
  clientId: string;
  sub: string;
  originJti: string;
  /** Epoch seconds of the original sign-in (auth_time stays the same across refreshes). */
  authTime: number;
  generation: number;
  deviceKey?: string;
  /** OAuth scopes granted at the token endpoint (absent for API sign-in, whose scope is fixed). */
  scopes?: string[];
  /** Epoch ms of issue. */
  issuedAt: number;
}

const VERSION = 1;

export function sealRefresh(c: RefreshContents, key: Uint8Array): Promise<string> {
  return sealRefreshToken(
    { v: VERSION, p: c.poolId, c: c.clientId, s: c.sub, o: c.originJti, a: c.authTime, g: c.generation, i: c.issuedAt, ...(c.deviceKey === undefined ? {} : { d: c.deviceKey }), ...(c.scopes === undefined ? {} : { sc: c.scopes.join(' ') }) },
    key,
  );
}

/** The contents of a token this server sealed, or undefined for anything else. */
export async function openRefresh(token: string, key: Uint8Array): Promise<RefreshContents | undefined> {
  // JWTs (three parts) are not refresh tokens; skip the decryption attempt.
  if (token.split('.').length !== 5) return undefined;
  const v = openRefreshToken(token, key);
  if (!v || v.v !== VERSION) return undefined;
  const { p, c, s, o, a, g, i, d, sc } = v;
  if (typeof p !== 'string' || typeof c !== 'string' || typeof s !== 'string' || typeof o !== 'string') return undefined;
  if (typeof a !== 'number' || typeof g !== 'number' || typeof i !== 'number') return undefined;
  if ((d !== undefined && typeof d !== 'string') || (sc !== undefined && typeof sc !== 'string')) return undefined;
  const scopes = sc === undefined ? {} : { scopes: sc === '' ? [] : sc.split(' ') };
  return { poolId: p, clientId: c, sub: s, originJti: o, authTime: a, generation: g, issuedAt: i, ...(d === undefined ? {} : { deviceKey: d }), ...scopes };
}
