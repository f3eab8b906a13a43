import type { AuthenticationResponseJSON, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';
import { invalidParameter } from '../domain/errors.js';

/**
 * Typed reads of the browser's WebAuthn JSON (RegistrationResponseJSON from CompleteWebAuthnRegistration's
 * Credential, AuthenticationResponseJSON from the CREDENTIAL challenge answer,
 * https://www.w3.org/TR/webauthn-3/#dictdef-registrationresponsejson). Outside data: every member is checked,
 * nothing is cast; a malformed credential is an InvalidParameterException, never a 500.
 */
const TRANSPORTS: readonly AuthenticatorTransport[] = ['ble', 'hybrid', 'internal', 'nfc', 'usb'];
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

const malformed = () => invalidParameter('The credential is not a valid public key credential.');

type Obj = { [k: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function b64(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || !B64URL.test(v)) throw malformed();
  return v;
}

function optB64(o: Obj, key: string): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : b64(o, key);
}

function transportsOf(v: unknown): AuthenticatorTransport[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return TRANSPORTS.filter((t) => v.includes(t));
}

function attachmentOf(v: unknown): 'platform' | 'cross-platform' | undefined {
  return v === 'platform' || v === 'cross-platform' ? v : undefined;
}

function envelope(json: unknown): { o: Obj; r: Obj } {
  const o = typeof json === 'string' ? parseText(json) : json;
  if (!isObj(o) || o.type !== 'public-key' || !isObj(o.response)) throw malformed();
  return { o, r: o.response };
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformed();
  }
}

type CredentialMembers = Pick<RegistrationResponseJSON, 'id' | 'rawId' | 'type' | 'clientExtensionResults' | 'authenticatorAttachment'>;

/** The members a registration and an authentication credential share; only `response` differs. */
function credentialMembers(o: Obj): CredentialMembers {
  const attachment = attachmentOf(o.authenticatorAttachment);
  return {
    id: b64(o, 'id'),
    rawId: b64(o, 'rawId'),
    type: 'public-key',
    clientExtensionResults: {},
    ...(attachment ? { authenticatorAttachment: attachment } : {}),
  };
}

export function parseRegistrationResponse(json: unknown): RegistrationResponseJSON {
  const { o, r } = envelope(json);
  const transports = transportsOf(r.transports);
  return {
    ...credentialMembers(o),
    response: {
      clientDataJSON: b64(r, 'clientDataJSON'),
      attestationObject: b64(r, 'attestationObject'),
      ...(transports ? { transports } : {}),
    },
  };
}

export function parseAuthenticationResponse(json: unknown): AuthenticationResponseJSON {
  const { o, r } = envelope(json);
  const userHandle = optB64(r, 'userHandle');
  return {
    ...credentialMembers(o),
    response: {
      clientDataJSON: b64(r, 'clientDataJSON'),
      authenticatorData: b64(r, 'authenticatorData'),
      signature: b64(r, 'signature'),
      ...(userHandle ? { userHandle } : {}),
    },
  };
}

/** The challenge and origin the browser put into clientDataJSON (verified again by the library). */
export function clientDataOf(clientDataJSON: string): { challenge: string; origin: string } {
  const data = parseText(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  if (!isObj(data) || typeof data.challenge !== 'string' || typeof data.origin !== 'string') throw malformed();
  return { challenge: data.challenge, origin: data.origin };
}
