import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { allowedFirstFactors } from '../domain/auth-factors.js';
import { CognitoError, resourceNotFound } from '../domain/errors.js';
import type { Json } from '../domain/input.js';
import { toJson } from '../domain/input.js';
import type { UserRow, WebAuthnCredentialRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { Pool } from './pools.js';
import type { TokenService } from './tokens.js';
import { clientDataOf, parseRegistrationResponse } from './webauthn-json.js';
import { originAllowed, originNotAllowed, relyingPartyOf } from './webauthn-rp.js';
import { verificationFailure } from './webauthn-errors.js';
import { simpleWebAuthn } from './webauthn-lib.js';

/** Passkeys a user may register (ListWebAuthnCredentials' MaxResults tops out at the same 20). */
export const MAX_PASSKEYS = 20;
/** How long the browser has to create the passkey (the options' timeout; the sealed challenge expires with it). */
const REGISTRATION_TIMEOUT_MS = 5 * 60_000;
const CHALLENGE_PURPOSE = 'webauthn:registration-challenge';
const LIST_KIND = 'webauthn-credentials';

/** WebAuthnCredentialDescription, CreatedAt in epoch ms (the handler converts). */
export interface CredentialDescription {
  CredentialId: string;
  FriendlyCredentialName: string;
  RelyingPartyId: string;
  AuthenticatorAttachment?: string;
  AuthenticatorTransports: string[];
  CreatedAt: number;
}

/**
 * Passkey management for the signed-in user: StartWebAuthnRegistration, CompleteWebAuthnRegistration,
 * ListWebAuthnCredentials, DeleteWebAuthnCredential (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-passkeys.html).
 * The registration challenge is the sealed registration state itself (user, pool, app client, expiry):
 * the browser signs it and returns it in clientDataJSON, so Complete needs no server-side row and works on
 * any node. The credential's public key lands in webauthn_credentials; sign-in with it is in
 * webauthn-sign-in.ts.
 */
export class WebAuthnService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tokens: TokenService,
  ) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  async startRegistration(accessToken: string): Promise<{ [k: string]: Json }> {
    const { pool, user, claims } = await this.tokens.verifyAccessToken(accessToken);
    requirePasskeysAllowed(pool);
    const rp = relyingPartyOf(this.deps, pool);
    const existing = await this.deps.store.webauthn.listForUser(user.id, MAX_PASSKEYS);
    if (existing.length >= MAX_PASSKEYS) throw new CognitoError('LimitExceededException', 'The user has the maximum number of passkeys registered.');
    const challenge = this.sealChallenge(pool, user, clientIdOf(claims));
    const options: PublicKeyCredentialCreationOptionsJSON = await (await simpleWebAuthn()).generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.username,
      userID: Buffer.from(user.id, 'utf8'),
      challenge: Buffer.from(challenge, 'utf8'),
      timeout: REGISTRATION_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: transportsOf(c) })),
      // Passkeys are discoverable credentials; user verification as the pool says.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: rp.userVerification },
    });
    return jsonDoc(options);
  }

  async completeRegistration(accessToken: string, credential: Json | undefined): Promise<void> {
    const { pool, user, claims } = await this.tokens.verifyAccessToken(accessToken);
    requirePasskeysAllowed(pool);
    const rp = relyingPartyOf(this.deps, pool);
    const response = parseRegistrationResponse(credential);
    const { challenge, origin } = clientDataOf(response.response.clientDataJSON);
    this.checkChallenge(challenge, pool, user, clientIdOf(claims));
    if (!originAllowed(origin, rp.id)) throw originNotAllowed();
    const verified = await (await simpleWebAuthn()).verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rp.id,
      requireUserVerification: rp.userVerification === 'required',
    }).catch((err: unknown) => {
      throw verificationFailure(err);
    });
    if (!verified.verified) throw verificationFailure(undefined);
    const c = verified.registrationInfo.credential;
    const added = await this.deps.store.webauthn.add({
      pool_id: pool.id,
      credential_id: c.id,
      user_id: user.id,
      public_key: Buffer.from(c.publicKey).toString('base64url'),
      sign_count: c.counter,
      transports: JSON.stringify(c.transports ?? response.response.transports ?? []),
      attachment: response.authenticatorAttachment ?? null,
      friendly_name: friendlyName(response.authenticatorAttachment),
      rp_id: rp.id,
      created_at: this.now(),
      last_used_at: null,
    });
    if (!added) throw new CognitoError('InvalidParameterException', 'This passkey is already registered.');
  }

  async list(accessToken: string, maxResults: number | undefined, nextToken: string | undefined): Promise<{ credentials: CredentialDescription[]; nextToken?: string }> {
    const { user } = await this.tokens.verifyAccessToken(accessToken);
    const limit = maxResults === undefined || maxResults === 0 ? MAX_PASSKEYS : maxResults;
    const after = nextToken === undefined ? undefined : cursorOf(decodeToken(nextToken, LIST_KIND, 'any'));
    const rows = await this.deps.store.webauthn.listForUser(user.id, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      credentials: page.map(describe),
      ...(rows.length > limit && last ? { nextToken: encodeToken(LIST_KIND, [last.created_at, last.credential_id]) } : {}),
    };
  }

  async delete(accessToken: string, credentialId: string): Promise<void> {
    const { user } = await this.tokens.verifyAccessToken(accessToken);
    if (!(await this.deps.store.webauthn.delete(user.id, credentialId))) throw resourceNotFound('Credential not found.');
  }

  private sealChallenge(pool: Pool, user: UserRow, clientId: string): string {
    const state = { p: pool.id, s: user.id, c: clientId, e: this.now() + REGISTRATION_TIMEOUT_MS, n: this.deps.random.bytes(16).toString('base64url') };
    return this.deps.secrets.seal(JSON.stringify(state), CHALLENGE_PURPOSE);
  }

  /** The challenge the browser signed must be one this server sealed for this user, unexpired, same client. */
  private checkChallenge(challenge: string, pool: Pool, user: UserRow, clientId: string): void {
    const notFound = () => new CognitoError('WebAuthnChallengeNotFoundException', 'The passkey registration challenge was not found or has expired.');
    let state: unknown;
    try {
      state = JSON.parse(this.deps.secrets.open(Buffer.from(challenge, 'base64url').toString('utf8'), CHALLENGE_PURPOSE));
    } catch {
      throw notFound();
    }
    const get = (k: string): unknown => (typeof state === 'object' && state !== null ? Reflect.get(state, k) : undefined);
    const expires = get('e');
    if (get('p') !== pool.id || get('s') !== user.id || typeof expires !== 'number' || this.now() >= expires) throw notFound();
    if (get('c') !== clientId) {
      throw new CognitoError('WebAuthnClientMismatchException', 'The access token is for a different app client than the one that started the registration.');
    }
  }
}

/** Passkey registration needs WEB_AUTHN among the pool's first factors ("passkey feature isn't enabled"). */
function requirePasskeysAllowed(pool: Pool): void {
  if (!allowedFirstFactors(pool.doc).includes('WEB_AUTHN')) {
    throw new CognitoError('WebAuthnNotEnabledException', 'Passkeys are not enabled for the user pool.');
  }
}

function clientIdOf(claims: Record<string, unknown>): string {
  return typeof claims.client_id === 'string' ? claims.client_id : '';
}

export function transportsOf(row: WebAuthnCredentialRow): string[] {
  const v: unknown = JSON.parse(row.transports);
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
}

function describe(row: WebAuthnCredentialRow): CredentialDescription {
  return {
    CredentialId: row.credential_id,
    FriendlyCredentialName: row.friendly_name,
    RelyingPartyId: row.rp_id,
    ...(row.attachment ? { AuthenticatorAttachment: row.attachment } : {}),
    AuthenticatorTransports: transportsOf(row),
    CreatedAt: row.created_at,
  };
}

function cursorOf(pos: unknown): { createdAt: number; credentialId: string } {
  if (Array.isArray(pos) && typeof pos[0] === 'number' && typeof pos[1] === 'string') return { createdAt: pos[0], credentialId: pos[1] };
  throw new CognitoError('InvalidParameterException', 'Invalid pagination token.');
}

/** Cognito names passkeys itself ("automatically-generated friendly name"). */
function friendlyName(attachment: string | undefined): string {
  return attachment === 'cross-platform' ? 'Security key' : 'Passkey';
}

function jsonDoc(v: unknown): { [k: string]: Json } {
  const j = toJson(JSON.parse(JSON.stringify(v)));
  return typeof j === 'object' && j !== null && !Array.isArray(j) ? j : {};
}
