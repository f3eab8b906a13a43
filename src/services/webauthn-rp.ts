import { isIP } from 'node:net';
import { CognitoError } from '../domain/errors.js';
import { jsonObject } from '../domain/pool-config.js';
import type { ServiceDeps } from './context.js';
import { mfaConfigOf } from './mfa-config.js';
import type { Pool } from './pools.js';

/** The pool's WebAuthn relying party as passkeys see it. */
export interface RelyingParty {
  id: string;
  name: string;
  /** WebAuthnConfiguration.UserVerification: 'required' or 'preferred' (the default). */
  userVerification: 'required' | 'preferred';
}

/**
 * The relying party id: SetUserPoolMfaConfig's WebAuthnConfiguration.RelyingPartyId when set. Cognito then
 * falls back to the user pool domain; Tessera's equivalent is the host of its public URL (--public-url), which
 * is the host a browser uses for Tessera's own pages, `localhost` in local use. An IP address cannot be an RP
 * id (WebAuthn §5.1.3), so without a configured id on such a URL there is none, and Cognito's
 * WebAuthnConfigurationMissingException is the answer
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_WebAuthnConfigurationType.html).
 */
export function relyingPartyOf(deps: ServiceDeps, pool: Pool): RelyingParty {
  const cfg = jsonObject(mfaConfigOf(pool.doc).WebAuthnConfiguration);
  const configured = typeof cfg.RelyingPartyId === 'string' && cfg.RelyingPartyId !== '' ? cfg.RelyingPartyId : undefined;
  const id = configured ?? new URL(deps.config.publicUrl).hostname;
  if (id === '' || isIP(id.replace(/^\[|\]$/g, '')) !== 0) {
    throw new CognitoError('WebAuthnConfigurationMissingException', 'The user pool does not have a relying party id or a domain configured for passkeys.');
  }
  return { id, name: pool.name, userVerification: cfg.UserVerification === 'required' ? 'required' : 'preferred' };
}

/**
 * Whether a browser origin may use passkeys of relying party `rpId`: https on the RP id or a subdomain of
 * it (WebAuthn §13.4.9), and plain http only on localhost, which browsers treat as a secure context.
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = url.hostname;
  const onRp = host === rpId || host.endsWith(`.${rpId}`);
  if (url.protocol === 'https:') return onRp;
  return url.protocol === 'http:' && onRp && (host === 'localhost' || host.endsWith('.localhost'));
}

export const originNotAllowed = (): CognitoError =>
  new CognitoError('WebAuthnOriginNotAllowedException', "The passkey's origin is not allowed for the user pool's relying party.");
