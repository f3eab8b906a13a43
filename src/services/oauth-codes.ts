import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServiceDeps } from './context.js';
import { invalidGrant } from './oauth-errors.js';

/** "The authorization code is valid for five minutes" (DG, token-endpoint). */
export const CODE_LIFETIME_MS = 5 * 60_000;
const PURPOSE = 'oauth:authorization-code';

/** What an authorization code stands for: who signed in, for which client, redirect, scopes and PKCE. */
export interface CodeGrant {
  id: string;
  poolId: string;
  clientId: string;
  sub: string;
  /** Epoch seconds of the sign-in. */
  authTime: number;
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  /** S256 code_challenge (base64url SHA-256 of the verifier). */
  challenge?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Authorization codes are sealed grants (AES-256-GCM under the server key), so any node can redeem them
 * without a lookup; single use is the `auth_states_used` primary key on the code's id, shared by all nodes.
 */
export function sealCode(deps: ServiceDeps, g: CodeGrant): string {
  return Buffer.from(deps.secrets.seal(JSON.stringify(g), PURPOSE)).toString('base64url');
}

function openCode(deps: ServiceDeps, code: string): CodeGrant | undefined {
  try {
    const v: unknown = JSON.parse(deps.secrets.open(Buffer.from(code, 'base64url').toString('utf8'), PURPOSE));
    return isGrant(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function isGrant(v: unknown): v is CodeGrant {
  if (typeof v !== 'object' || v === null) return false;
  const r: Record<string, unknown> = { ...v };
  const strs = ['id', 'poolId', 'clientId', 'sub', 'redirectUri'].every((k) => typeof r[k] === 'string');
  const nums = typeof r.authTime === 'number' && typeof r.expiresAt === 'number';
  const scopes = Array.isArray(r.scopes) && r.scopes.every((s) => typeof s === 'string');
  const opt = ['nonce', 'challenge'].every((k) => r[k] === undefined || typeof r[k] === 'string');
  return strs && nums && scopes && opt;
}

/** base64url(SHA-256(verifier)) compared in constant time (RFC 7636 §4.6, S256 only: Cognito has no plain). */
function pkceMatches(challenge: string, verifier: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/**
 * Redeems a code for `clientId` at `redirectUri`: it must open, be this client's, unexpired, unused, sent
 * with the same redirect_uri, and carry the right PKCE verifier. Every failure is invalid_grant (RFC 6749
 * §5.2). The code is used up before the verifier is checked, so a wrong guess also burns it (RFC 6749
 * §4.1.2: a code is used at most once).
 */
export async function redeemCode(deps: ServiceDeps, code: string, clientId: string, redirectUri: string | undefined, verifier: string | undefined): Promise<CodeGrant> {
  const now = deps.clock.now().getTime();
  const g = openCode(deps, code);
  if (!g || g.clientId !== clientId || now >= g.expiresAt) throw invalidGrant();
  if (!(await deps.store.signIn.useOnce(`code:${g.id}`, g.expiresAt, now))) throw invalidGrant();
  if (redirectUri !== g.redirectUri) throw invalidGrant();
  if (g.challenge !== undefined && (verifier === undefined || !pkceMatches(g.challenge, verifier))) throw invalidGrant();
  return g;
}
