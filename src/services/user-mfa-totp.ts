import { HOTP, Secret } from 'otpauth';
import { CognitoError } from '../domain/errors.js';
import type { ServiceDeps } from './context.js';

/**
 * TOTP (RFC 6238) for SOFTWARE_TOKEN_MFA: SHA-1, six digits, 30-second steps, as authenticator apps and
 * Cognito use them; one step of clock drift either way is accepted (RFC 6238 §5.2 recommends at most one).
 * Secrets are 160 bits (RFC 4226 §4 R6) shown base32, and sealed at rest under the server key.
 */

const PERIOD_MS = 30_000;
const DRIFT_STEPS = 1;
const SECRET_PURPOSE = 'user-mfa:totp-secret';

/** A new secret: `code` is the base32 SecretCode handed to the user once; `sealed` is what is stored. */
export function newTotpSecret(deps: ServiceDeps): { code: string; sealed: string } {
  const code = Secret.fromHex(deps.random.bytes(20).toString('hex')).base32;
  return { code, sealed: sealTotpSecret(deps, code) };
}

/** A base32 secret as stored (also used by the benchmark's seeding). */
export function sealTotpSecret(deps: Pick<ServiceDeps, 'secrets'>, code: string): string {
  return deps.secrets.seal(code, SECRET_PURPOSE);
}

/** The time step a six-digit code is right for (now or one step either side), or undefined. */
export function totpStepOf(deps: ServiceDeps, sealed: string, code: string, now: number): number | undefined {
  if (!/^[0-9]{6}$/.test(code)) return undefined;
  const secret = Secret.fromBase32(deps.secrets.open(sealed, SECRET_PURPOSE));
  const step = Math.floor(now / PERIOD_MS);
  const delta = HOTP.validate({ token: code, secret, counter: step, window: DRIFT_STEPS });
  return delta === null ? undefined : step + delta;
}

/** VerifySoftwareToken's refusal of a wrong code. */
export const totpSetupMismatch = (): CognitoError => new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
