import { CognitoError } from './errors.js';
import type { PasswordPolicy } from './pool-config.js';

/**
 * Characters Cognito counts as symbols, plus the space (which counts when it is neither leading nor
 * trailing): https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
 */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/** Uniform integers in [0, max): the `int` of integrations/runtime's Random, without importing it here. */
export interface RandomInts {
  int(max: number): number;
}

const failure = (reason: string): CognitoError =>
  new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);

/**
 * Checks a password against the pool's policy and throws the InvalidPasswordException Cognito answers,
 * reporting the first rule broken in Cognito's order: length, uppercase, lowercase, numbers, symbols.
 */
export function checkPassword(policy: PasswordPolicy, password: string): void {
  const chars = [...password];
  if (chars.length < policy.MinimumLength) throw failure('Password not long enough');
  if (policy.RequireUppercase && !/\p{Lu}/u.test(password)) throw failure('Password must have uppercase characters');
  if (policy.RequireLowercase && !/\p{Ll}/u.test(password)) throw failure('Password must have lowercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw failure('Password must have numeric characters');
  if (policy.RequireSymbols && !hasSymbol(chars)) throw failure('Password must have symbol characters');
}

function hasSymbol(chars: readonly string[]): boolean {
  return chars.some((c, i) => SYMBOLS.has(c) && (c !== ' ' || (i > 0 && i < chars.length - 1)));
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
// Symbols that survive email HTML, SMS and shell copy-paste without quoting; no braces, so a generated
// password can never look like a template placeholder.
const GEN_SYMBOLS = '!#$%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + GEN_SYMBOLS;

/** Shortest generated temporary password; longer when the policy's minimum is longer. */
export const TEMPORARY_PASSWORD_LENGTH = 12;

/**
 * A temporary password that satisfies any policy (it always has every character class), at least
 * TEMPORARY_PASSWORD_LENGTH long. Look-alike characters (I, O, l, 0, 1) are left out because people
 * type these from an invitation message.
 */
export function generateTemporaryPassword(policy: PasswordPolicy, random: RandomInts): string {
  const length = Math.max(policy.MinimumLength, TEMPORARY_PASSWORD_LENGTH);
  const pick = (alphabet: string): string => alphabet.charAt(random.int(alphabet.length));
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(GEN_SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed classes are not always in the first four places.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = chars[i] ?? '';
    chars[i] = chars[j] ?? '';
    chars[j] = t;
  }
  return chars.join('');
}
