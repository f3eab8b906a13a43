import { CognitoError } from '../domain/errors.js';

/**
 * What a failed @simplewebauthn verification means in Cognito's vocabulary. The library throws plain
 * Errors; their messages name the check that failed (RP ID hash, user verification, algorithm, format).
 * Anything else is a credential that does not verify: InvalidParameterException, never a 500.
 */
export function verificationFailure(err: unknown): CognitoError {
  const message = err instanceof Error ? err.message : '';
  if (/RP ID/i.test(message)) {
    return new CognitoError('WebAuthnRelyingPartyMismatchException', "The passkey is for a different relying party than the user pool's.");
  }
  if (/origin/i.test(message)) {
    return new CognitoError('WebAuthnOriginNotAllowedException', "The passkey's origin is not allowed for the user pool's relying party.");
  }
  if (/User verification|alg|Attestation Format/i.test(message)) {
    return new CognitoError('WebAuthnCredentialNotSupportedException', 'The passkey or its provider is not supported by the user pool.');
  }
  return new CognitoError('InvalidParameterException', 'The passkey credential could not be verified.');
}
