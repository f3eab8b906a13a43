import { notAuthorized } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { transportsOf } from './webauthn.js';
import { verificationFailure } from './webauthn-errors.js';
import { clientDataOf, parseAuthenticationResponse } from './webauthn-json.js';
import { simpleWebAuthn } from './webauthn-lib.js';
import { originAllowed, originNotAllowed, relyingPartyOf } from './webauthn-rp.js';

/** How long the browser has to answer the WEB_AUTHN challenge (the Session expires on its own terms too). */
const REQUEST_TIMEOUT_MS = 180_000;

/**
 * The CREDENTIAL_REQUEST_OPTIONS of a WEB_AUTHN challenge (PublicKeyCredentialRequestOptionsJSON, as a JSON
 * string, https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html):
 * the user's passkeys as allowCredentials and a fresh random challenge, which the caller seals into the
 * challenge Session.
 */
export async function credentialRequestOptions(deps: ServiceDeps, pool: Pool, user: UserRow): Promise<{ options: string; challenge: string }> {
  const rp = relyingPartyOf(deps, pool);
  const creds = await deps.store.webauthn.listForUser(user.id, 100);
  const options = await (await simpleWebAuthn()).generateAuthenticationOptions({
    rpID: rp.id,
    challenge: new Uint8Array(deps.random.bytes(32)),
    timeout: REQUEST_TIMEOUT_MS,
    userVerification: rp.userVerification,
    allowCredentials: creds.map((c) => ({ id: c.credential_id, transports: transportsOf(c) })),
  });
  return { options: JSON.stringify(options), challenge: options.challenge };
}

const refused = () => notAuthorized('Incorrect username or password.');

/**
 * Checks the CREDENTIAL answer (AuthenticationResponseJSON): a passkey of this user in this pool, signed over
 * the challenge sealed in the Session, from an origin of the relying party, with user verification if the
 * pool requires it, and a sign counter that moved forward (a clone replaying an old counter is refused; the
 * conditional update makes concurrent uses of one counter value fail but one).
 */
export async function verifyPasskey(deps: ServiceDeps, pool: Pool, user: UserRow, credential: string, expectedChallenge: string): Promise<void> {
  const rp = relyingPartyOf(deps, pool);
  const response = parseAuthenticationResponse(credential);
  const stored = await deps.store.webauthn.find(pool.id, response.id);
  if (!stored || stored.user_id !== user.id) throw refused();
  const { origin } = clientDataOf(response.response.clientDataJSON);
  if (!originAllowed(origin, stored.rp_id)) throw originNotAllowed();
  const result = await (await simpleWebAuthn()).verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: origin,
    expectedRPID: stored.rp_id,
    credential: { id: stored.credential_id, publicKey: Buffer.from(stored.public_key, 'base64url'), counter: stored.sign_count, transports: transportsOf(stored) },
    requireUserVerification: rp.userVerification === 'required',
  }).catch((err: unknown) => {
    // A counter that did not move forward is a cloned or replayed authenticator, not a malformed request.
    if (err instanceof Error && /counter/i.test(err.message)) throw refused();
    throw verificationFailure(err);
  });
  if (!result.verified) throw refused();
  const moved = await deps.store.webauthn.recordUse(pool.id, stored.credential_id, stored.sign_count, result.authenticationInfo.newCounter, deps.clock.now().getTime());
  if (!moved) throw refused();
}
