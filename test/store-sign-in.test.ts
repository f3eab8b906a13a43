/**
 * The store contract of sign-in state (store.signIn), on every dialect: a one-time state is used exactly
 * once among concurrent callers, concurrent failures all count, a lockout only grows, stale failures start
 * the count again, and an SRP verifier is only added where none is stored.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { UserRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { storeKinds } from './helpers/server.js';
import { blankUserRow, openTestStore } from './helpers/store.js';

const NOW = 1_800_000_000_000;

function userRow(poolId: string, username: string): UserRow {
  return blankUserRow(poolId, username, NOW, { password_hash: 'h', password_set_at: NOW });
}

for (const kind of storeKinds()) {
  describe(`sign-in store (${kind})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const poolId = 'us-east-1_SignInStore';

    before(async () => {
      ({ store, close: dispose } = await openTestStore(kind, 'signin'));
      await store.pools.insertPool({ id: poolId, region: 'us-east-1', name: 'p', doc: '{}', created_at: NOW, updated_at: NOW });
    });
    after(() => dispose());

    async function newUser(name: string): Promise<UserRow> {
      const u = userRow(poolId, name);
      await store.users.createUser(u, []);
      return u;
    }

    it('a one-time state is used by exactly one of concurrent callers', async () => {
      const id = randomUUID();
      const results = await Promise.all(Array.from({ length: 12 }, () => store.signIn.useOnce(id, NOW + 60_000, NOW)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store.signIn.wasUsed(id), true);
      assert.equal(await store.signIn.wasUsed(randomUUID()), false);
    });

    it('concurrent failures all count; a failure after the idle time counts from 1', async () => {
      const u = await newUser('counted');
      const counts = await Promise.all(Array.from({ length: 10 }, () => store.signIn.recordFailure(u.id, NOW, 900_000)));
      assert.deepEqual([...counts].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.equal(await store.signIn.recordFailure(u.id, NOW + 899_999, 900_000), 11);
      assert.equal(await store.signIn.recordFailure(u.id, NOW + 899_999 + 900_000, 900_000), 1);
    });

    it('a lockout is only ever extended, and cleared on success', async () => {
      const u = await newUser('locked');
      await store.signIn.recordFailure(u.id, NOW, 900_000);
      await store.signIn.lockUntil(u.id, NOW + 8_000);
      await store.signIn.lockUntil(u.id, NOW + 2_000); // an earlier failure arriving late
      assert.equal((await store.signIn.failuresOf(u.id))?.lockedUntil, NOW + 8_000);
      await store.signIn.clearFailures(u.id);
      assert.equal(await store.signIn.failuresOf(u.id), undefined);
    });

    it('failures go with the user', async () => {
      const u = await newUser('deleted');
      await store.signIn.recordFailure(u.id, NOW, 900_000);
      await store.users.deleteUser(u.id);
      assert.equal(await store.signIn.failuresOf(u.id), undefined);
    });

    it('an SRP verifier is added only where none is stored', async () => {
      const u = await newUser('srp');
      await store.signIn.addSrpCredentials(u.id, 'aa', 'first');
      await store.signIn.addSrpCredentials(u.id, 'bb', 'second');
      const row = await store.users.findBySub(poolId, u.id);
      assert.equal(row?.srp_salt, 'aa');
      assert.equal(row?.srp_verifier_enc, 'first');
    });
  });
}
