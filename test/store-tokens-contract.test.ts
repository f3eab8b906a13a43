/**
 * Store contract for the token and code repositories (signing keys, refresh-token families, one-time codes,
 * code-request limits, password history) on every dialect: what the services rely on is that the races are
 * decided by the database (one winner), not by read-then-write.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { UserRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { MAX_PASSWORD_HISTORY } from '../src/store/repositories/password-history.js';
import { storeKinds } from './helpers/server.js';
import { blankUserRow, openTestStore } from './helpers/store.js';

const NOW = 1_700_000_000_000;

for (const kind of storeKinds()) {
  describe(`store contract: tokens and codes (${kind})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const poolId = 'us-east-1_Contract1';
    const clientId = 'contractclient000000000001';
    let user: UserRow;
    before(async () => {
      ({ store, close: dispose } = await openTestStore(kind, 'tokens'));
      await store.pools.insertPool({ id: poolId, region: 'us-east-1', name: 'p', doc: '{}', created_at: NOW, updated_at: NOW });
      await store.pools.insertClient({ client_id: clientId, pool_id: poolId, client_name: 'c', doc: '{}', created_at: NOW, updated_at: NOW });
      user = blankUserRow(poolId, 'u', NOW);
      await store.users.createUser(user, []);
    });
    after(() => dispose());

    it('concurrent inserts of one key generation keep exactly one', async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.tokens.insertKeyIfAbsent({ pool_id: poolId, token_use: 'id', generation: 1, kid: `kid-${i}`, public_jwk: '{}', private_key_enc: 'x', created_at: NOW, retired_at: null }),
        ),
      );
      const keys = await store.tokens.keysOfPool(poolId);
      assert.equal(keys.filter((k) => k.token_use === 'id' && k.generation === 1).length, 1);
      await store.tokens.insertKeyIfAbsent({ pool_id: poolId, token_use: 'id', generation: 2, kid: 'kid-g2', public_jwk: '{}', private_key_enc: 'x', created_at: NOW, retired_at: null });
      await store.tokens.retireKeysBefore(poolId, 'id', 2, NOW + 5);
      const after = await store.tokens.keysOfPool(poolId);
      assert.deepEqual(after.map((k) => [k.generation, k.retired_at]), [[2, null], [1, NOW + 5]]);
      await store.tokens.deleteKeysRetiredBefore(poolId, NOW + 6);
      assert.deepEqual((await store.tokens.keysOfPool(poolId)).map((k) => k.kid), ['kid-g2']);
    });

    it('a family rotates once per generation, revokes once, and goes with its user', async () => {
      const ojti = randomUUID();
      await store.tokens.insertFamily({ origin_jti: ojti, pool_id: poolId, client_id: clientId, user_id: user.id, created_at: NOW, expires_at: NOW + 1000 });
      const wins = await Promise.all(Array.from({ length: 6 }, () => store.tokens.rotateFamily(ojti, 0, NOW + 1, NOW + 2000)));
      assert.equal(wins.filter(Boolean).length, 1);
      const f = await store.tokens.findFamily(ojti);
      assert.equal(f?.generation, 1);
      assert.equal(f?.expires_at, NOW + 2000);
      const revoked = await Promise.all([store.tokens.revokeFamily(ojti, NOW + 3), store.tokens.revokeFamily(ojti, NOW + 4)]);
      assert.equal(revoked.filter(Boolean).length, 1);
      assert.equal(await store.tokens.rotateFamily(ojti, 1, NOW + 5, NOW + 3000), false, 'a revoked family does not rotate');

      const other = { ...user, id: randomUUID(), username: 'v', username_key: 'v' };
      await store.users.createUser(other, []);
      const o = randomUUID();
      await store.tokens.insertFamily({ origin_jti: o, pool_id: poolId, client_id: clientId, user_id: other.id, created_at: NOW, expires_at: NOW + 1000 });
      const joined = await store.tokens.findFamilyWithUser(o);
      assert.equal(joined?.user.username, 'v');
      assert.deepEqual(joined?.family, await store.tokens.findFamily(o));
      await store.users.deleteUser(other.id);
      assert.equal(await store.tokens.findFamilyWithUser(o), undefined);
      assert.equal(await store.tokens.findFamily(o), undefined);
    });

    it('a code is consumed by exactly one of concurrent consumers, and failures are counted', async () => {
      await store.users.putCode({ user_id: user.id, purpose: 'SIGN_UP', code_hash: 'h1', created_at: NOW, expires_at: NOW + 10 });
      await store.codes.countFailure(user.id, 'SIGN_UP', 'h1');
      await store.codes.countFailure(user.id, 'SIGN_UP', 'stale-hash');
      assert.equal((await store.codes.find(user.id, 'SIGN_UP'))?.attempts, 1);
      const got = await Promise.all(Array.from({ length: 6 }, () => store.codes.consume(user.id, 'SIGN_UP', 'h1')));
      assert.equal(got.filter(Boolean).length, 1);
      assert.equal(await store.codes.find(user.id, 'SIGN_UP'), undefined);
    });

    it('code requests are limited per window, atomically, and keep a pending value', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.codes.recordRequest(user.id, 'VERIFY_email', NOW, 60_000, 5, 'new@example.com')));
      assert.equal(results.filter(Boolean).length, 5);
      assert.equal(await store.codes.pendingValue(user.id, 'VERIFY_email'), 'new@example.com');
      assert.equal(await store.codes.recordRequest(user.id, 'VERIFY_email', NOW + 59_000, 60_000, 5, null), false);
      assert.equal(await store.codes.recordRequest(user.id, 'VERIFY_email', NOW + 60_000, 60_000, 5, null), true, 'a new window starts');
      assert.equal(await store.codes.pendingValue(user.id, 'VERIFY_email'), undefined);
    });

    it('password history keeps the newest entries', async () => {
      for (let i = 0; i < MAX_PASSWORD_HISTORY + 3; i++) {
        await store.passwordHistory.add(user.id, `hash-${i}`, NOW + i);
        await store.passwordHistory.prune(user.id);
      }
      const recent = await store.passwordHistory.recent(user.id, 100);
      assert.equal(recent.length, MAX_PASSWORD_HISTORY);
      assert.equal(recent[0], `hash-${MAX_PASSWORD_HISTORY + 2}`);
      assert.deepEqual(await store.passwordHistory.recent(user.id, 2), [`hash-${MAX_PASSWORD_HISTORY + 2}`, `hash-${MAX_PASSWORD_HISTORY + 1}`]);
    });
  });
}
