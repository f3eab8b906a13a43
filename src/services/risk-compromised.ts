import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CognitoError } from '../domain/errors.js';
import type { CompromisedEvent } from '../domain/risk-config.js';
import { recordAccountEvent } from './auth-events.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { effectiveRisk } from './risk-config.js';

const LIST = 'breached-passwords.txt.gz';

let breached: ReadonlySet<string> | undefined;

/**
 * The breached-password list (assets/breached-passwords.txt.gz, see assets/README.md), read into a Set on first
 * use: 49k entries take ~2 MB and a few ms to load, and a Set answers exactly (a Bloom filter would refuse
 * some good passwords by chance to save memory the list does not need). The file is `../../assets/` from
 * the sources and the compiled tree, `../assets/` from the bundle in dist/.
 */
function breachedPasswords(): ReadonlySet<string> {
  if (breached) return breached;
  const file = [new URL(`../../assets/${LIST}`, import.meta.url), new URL(`../assets/${LIST}`, import.meta.url)].find((u) => existsSync(u));
  if (!file) throw new Error(`${LIST} not found next to the server`);
  breached = new Set(gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((p) => p !== ''));
  return breached;
}

/**
 * Whether a password is on the list. The list is lower-case (as zxcvbn matches dictionaries), so the
 * comparison is too: "P@ssw0rd" is the breached "p@ssw0rd" with one capital, the first variant tried.
 */
export function isBreachedPassword(password: string): boolean {
  return breachedPasswords().has(password.toLowerCase());
}

/** What the check found: whether the password is breached, and whether the pool refuses it for this event. */
export interface CompromisedCheck {
  detected: boolean;
  block: boolean;
}

const CLEAN: CompromisedCheck = { detected: false, block: false };

/**
 * The compromised-credentials check of threat protection for one event (SIGN_UP, PASSWORD_CHANGE, SIGN_IN),
 * as the pool's (or the client's) CompromisedCredentialsRiskConfiguration filters it. Blocking needs
 * ENFORCED mode; in AUDIT mode a hit is only recorded.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-compromised-credentials.html
 */
export async function checkCompromised(deps: ServiceDeps, pool: Pool, clientId: string | undefined, event: CompromisedEvent, password: string): Promise<CompromisedCheck> {
  const risk = await effectiveRisk(deps, pool, clientId);
  const cc = risk.settings.compromised;
  if (risk.mode === 'OFF' || !cc || !cc.events.has(event)) return CLEAN;
  if (!isBreachedPassword(password)) return CLEAN;
  return { detected: true, block: cc.block && risk.mode === 'ENFORCED' };
}

/**
 * SignUp, ChangePassword and ConfirmForgotPassword refuse a breached password when the pool blocks them, with
 * the error Cognito gives there (after recording the refused PasswordChange of an existing user). Answers
 * whether the password was found on the list, for the event the caller records once it succeeded.
 */
export async function refuseCompromisedPassword(
  deps: ServiceDeps,
  pool: Pool,
  clientId: string | undefined,
  event: 'SIGN_UP' | 'PASSWORD_CHANGE',
  password: string,
  userId?: string,
): Promise<boolean> {
  const found = await checkCompromised(deps, pool, clientId, event, password);
  if (found.block) {
    if (userId !== undefined) await recordAccountEvent(deps, pool, userId, 'PasswordChange', { compromised: true, refused: true });
    throw new CognitoError('InvalidPasswordException', 'Provided password cannot be used for security reasons.');
  }
  return found.detected;
}
