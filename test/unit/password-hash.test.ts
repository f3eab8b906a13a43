import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash } from '@node-rs/argon2';
import { argon2idHasher, limiter, OWASP_ARGON2ID } from '../../src/crypto/password-hash.js';

describe('Argon2id password hashing', () => {
  it('hashes with an OWASP Argon2id setting and verifies only the right password', async () => {
    const hasher = argon2idHasher();
    const encoded = await hasher.hash('Corr3ct-Horse!');
    assert.match(encoded, new RegExp(`^\\$argon2id\\$v=19\\$m=${OWASP_ARGON2ID.memoryKiB},t=${OWASP_ARGON2ID.iterations},p=1\\$`));
    assert.equal(await hasher.verify(encoded, 'Corr3ct-Horse!'), true);
    assert.equal(await hasher.verify(encoded, 'corr3ct-Horse!'), false);
    assert.equal(await hasher.verify('not a hash', 'Corr3ct-Horse!'), false);
  });

  it('still verifies hashes made with the earlier parameters (m=12288, t=3)', async () => {
    const earlier = await hash('Corr3ct-Horse!', { algorithm: 2, memoryCost: 12288, timeCost: 3, parallelism: 1 });
    const hasher = argon2idHasher();
    assert.equal(await hasher.verify(earlier, 'Corr3ct-Horse!'), true);
    assert.equal(await hasher.verify(earlier, 'wrong'), false);
  });

  it('the limiter runs at most `max` tasks at once, the rest in arrival order, and survives failures', async () => {
    const limit = limiter(2);
    const started: number[] = [];
    const finish: Array<(ok: boolean) => void> = [];
    const results = Array.from({ length: 5 }, (_, i) =>
      limit(
        () =>
          new Promise<number>((resolve, reject) => {
            started.push(i);
            finish[i] = (ok) => (ok ? resolve(i) : reject(new Error(`task ${i}`)));
          }),
      ).catch((e: unknown) => (e instanceof Error ? e.message : 'odd')),
    );
    const tick = () => new Promise((r) => setImmediate(r));
    await tick();
    assert.deepEqual(started, [0, 1]);
    finish[1]?.(false);
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    finish[0]?.(true);
    finish[2]?.(true);
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    finish[3]?.(true);
    finish[4]?.(true);
    assert.deepEqual(await Promise.all(results), [0, 'task 1', 2, 3, 4]);
  });
});
