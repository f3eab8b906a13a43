import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Wall clock, injected so that services and tests never read the ambient time. */
export interface Clock {
  now(): Date;
}

/** Identifiers and randomness, injected for the same reason. */
export interface Random {
  uuid(): string;
  bytes(n: number): Buffer;
  /** Uniform integer in [0, max). */
  int(max: number): number;
}

export const systemClock: Clock = { now: () => new Date() };

export const systemRandom: Random = {
  uuid: () => randomUUID(),
  bytes: (n) => randomBytes(n),
  int: (max) => randomInt(max),
};

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random string over an alphabet, without modulo bias (randomInt is uniform). */
export function randomString(random: Random, length: number, alphabet = ALPHANUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(alphabet.length)];
  return out;
}
