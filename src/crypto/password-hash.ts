import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id password hashing. The cost is one of OWASP's equivalent Argon2id settings
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html: m=47104/t=1,
 * m=19456/t=2, m=12288/t=3, m=9216/t=4, m=7168/t=5, all p=1, "an equal level of defense"): m=7 MiB, t=5.
 * Measured here (AMD EPYC, CPU time per verify, one at a time): m=19456/t=2 12–15 ms, m=12288/t=3
 * 8.5–10 ms, m=7168/t=5 7.6–8.4 ms; the smaller memory also suffers least when several hashes share the
 * cache. Hashes made with other parameters (earlier releases used m=12288/t=3) still verify: the encoded
 * form carries its own parameters.
 *
 * Hashing runs on libuv's thread pool, so it never blocks the event loop. At most two hashes per core are
 * handed to the pool at a time, the rest wait here in order: each core always has a next hash queued, and a
 * burst of sign-ins does not pile up in the pool's own queue, where file and DNS work would wait behind it
 * on a machine with more threads than 2 per core. (One per core left a core idle whenever the event loop
 * was busy as a hash finished: AdminCreateUser 150–168/s against 170–190/s with two per core, the same CPU
 * per hash, on 2 cores with m=7 MiB.)
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(encoded: string, password: string): Promise<boolean>;
}

export interface Argon2Cost {
  memoryKiB: number;
  iterations: number;
}

export const OWASP_ARGON2ID: Argon2Cost = { memoryKiB: 7168, iterations: 5 };

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable under isolatedModules)

export function argon2idHasher(cost: Argon2Cost = OWASP_ARGON2ID, concurrency = availableParallelism() * 2): PasswordHasher {
  const limit = limiter(concurrency);
  return {
    hash: (password) =>
      limit(() => hash(password, { algorithm: ARGON2ID, memoryCost: cost.memoryKiB, timeCost: cost.iterations, parallelism: 1 })),
    verify: (encoded, password) =>
      limit(async () => {
        try {
          return await verify(encoded, password);
        } catch {
          return false;
        }
      }),
  };
}

/** Runs at most `max` tasks at once; the others start in arrival order as running ones finish. */
export function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
