import { CognitoError, notAuthorized } from '../domain/errors.js';
import type { Json } from '../domain/input.js';
import type { UserRow } from '../store/schema.js';
import { isRecord, unrecognizable, type TriggerResponse } from './triggers.js';

/** One entry of the `session` array the challenge functions see: a challenge given and whether it was passed. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

/** The states in which a user cannot sign in, whatever the answers. */
export function checkEnabled(user: UserRow): void {
  if (user.enabled !== 1) throw notAuthorized('User is disabled.');
  if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
}

export function sessionJson(history: readonly ChallengeResult[]): Json {
  return history.map((h) => ({ challengeName: h.challengeName, challengeResult: h.challengeResult, ...(h.challengeMetadata === undefined ? {} : { challengeMetadata: h.challengeMetadata }) }));
}

/** A string map in a function's answer (public/private challenge parameters); numbers and booleans become text. */
export function stringMap(r: TriggerResponse, member: string): Record<string, string> {
  const v = r[member];
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw unrecognizable();
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw unrecognizable();
  }
  return out;
}

/** The private challenge parameters kept (as JSON) in the sealed Session. */
export function parseMap(sealed: string | number | boolean | undefined): Record<string, string> {
  const parsed: unknown = typeof sealed === 'string' ? JSON.parse(sealed) : {};
  return isRecord(parsed) ? stringMap({ map: parsed }, 'map') : {};
}

/** The challenge history kept (as JSON) in the sealed Session or SECRET_BLOCK. */
export function parseHistory(sealed: string | number | boolean | undefined): ChallengeResult[] {
  const parsed: unknown = typeof sealed === 'string' ? JSON.parse(sealed) : [];
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((x: unknown): ChallengeResult[] => {
    if (!isRecord(x) || typeof x.challengeName !== 'string' || typeof x.challengeResult !== 'boolean') return [];
    return [{ challengeName: x.challengeName, challengeResult: x.challengeResult, ...(typeof x.challengeMetadata === 'string' ? { challengeMetadata: x.challengeMetadata } : {}) }];
  });
}
