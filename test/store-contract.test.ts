/**
 * The store contract: one behaviour suite run against every implementation (SQLite always, PostgreSQL when
 * the test command started one). What it pins down is what the services rely on: keyset listings, uniqueness
 * decided by constraints under concurrency, atomic multi-row writes, byte-wise (code point) ordering and
 * prefix ranges, cascades, and the outbox order.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { GroupRow, ListedUser, PoolRow, UserRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { UniqueViolation, type Alias, type SearchColumn, type UserCursor } from '../src/store/repositories/users.js';
import { storeKinds } from './helpers/server.js';
import { blankUserRow, openTestStore, type TestStore } from './helpers/store.js';

let clock = 1_700_000_000_000;
const tick = () => ++clock;

function poolRow(id: string, region = 'us-east-1'): PoolRow {
  const now = tick();
  return { id, region, name: `pool ${id}`, doc: '{}', created_at: now, updated_at: now };
}

function userRow(poolId: string, username: string, extra: Partial<UserRow> = {}): UserRow {
  return blankUserRow(poolId, username, tick(), { attributes: JSON.stringify({ email: extra.email ?? null }), ...extra });
}

function groupRow(poolId: string, name: string): GroupRow {
  const now = tick();
  return { pool_id: poolId, group_name: name, description: null, role_arn: null, precedence: null, created_at: now, updated_at: now };
}

const email = (key: string): Alias => ({ kind: 'email', key });

/** Code point (= UTF-8 byte) order, the order both dialects must sort text in. */
function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function rejectsUnique(p: Promise<unknown>, what: UniqueViolation['what']): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof UniqueViolation, `expected UniqueViolation, got ${String(err)}`);
    assert.equal(err.what, what);
    return true;
  });
}

for (const kind of storeKinds()) {
  describe(`store contract (${kind})`, () => {
    let o: TestStore;
    let s: Store;
    let n = 0;
    /** A fresh pool per test, so cases do not see each other's rows. */
    const newPool = async (region = 'us-east-1'): Promise<string> => {
      const id = `${region}_contract${String(++n).padStart(4, '0')}${randomBytes(2).toString('hex')}`;
      await s.pools.insertPool(poolRow(id, region));
      return id;
    };

    before(async () => {
      o = await openTestStore(kind, 'contract');
      s = o.store;
    });
    after(() => o.close());

    describe('pools', () => {
      it('insert, find, update, delete', async () => {
        const id = await newPool();
        const found = await s.pools.findPool(id);
        assert.equal(found?.name, `pool ${id}`);
        assert.equal(typeof found?.created_at, 'number');
        await s.pools.updatePool(id, 'renamed', '{"MfaConfiguration":"OFF"}', tick());
        const updated = await s.pools.findPool(id);
        assert.equal(updated?.name, 'renamed');
        assert.equal(updated?.doc, '{"MfaConfiguration":"OFF"}');
        assert.ok((updated?.updated_at ?? 0) > (found?.updated_at ?? 0));
        assert.equal(await s.pools.deletePool(id), true);
        assert.equal(await s.pools.findPool(id), undefined);
        assert.equal(await s.pools.deletePool(id), false);
      });

      it('a duplicate pool id is refused by the primary key', async () => {
        const id = await newPool();
        await assert.rejects(s.pools.insertPool(poolRow(id)));
      });

      it('lists a region in id order, page by page with a keyset cursor', async () => {
        const region = 'ap-south-1';
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) ids.push(await newPool(region));
        await newPool('eu-central-1');
        const seen: string[] = [];
        let afterId: string | undefined;
        for (;;) {
          const page = await s.pools.listPools(region, afterId, 3);
          assert.ok(page.length <= 3);
          assert.ok(page.every((p) => p.region === region));
          seen.push(...page.map((p) => p.id));
          if (page.length < 3) break;
          afterId = page[page.length - 1]?.id;
        }
        assert.deepEqual(seen, [...ids].sort(byteCompare));
      });

      it('counts users and cascades a pool delete to users, aliases, clients and groups', async () => {
        const pool = await newPool();
        const u = userRow(pool, 'cascade', { email: 'c@example.com' });
        await s.users.createUser(u, [email('c@example.com')]);
        await s.groups.insertGroup(groupRow(pool, 'g'));
        await s.groups.addMember(pool, 'g', u.id);
        await s.pools.insertClient({ client_id: `client${n}${randomBytes(3).toString('hex')}`, pool_id: pool, client_name: 'c', doc: '{}', created_at: tick(), updated_at: tick() });
        assert.equal(await s.pools.countUsers(pool), 1);
        assert.equal(await s.pools.deletePool(pool), true);
        assert.equal(await s.pools.countUsers(pool), 0);
        assert.equal(await s.users.findBySub(pool, u.id), undefined);
        assert.equal(await s.users.countAliases(u.id), 0);
        assert.equal(await s.groups.findGroup(pool, 'g'), undefined);
        assert.deepEqual(await s.pools.listClients(pool, undefined, 10), []);
      });
    });

    describe('users', () => {
      it('creates a user with its aliases and finds it by username, sub and alias', async () => {
        const pool = await newPool();
        const u = userRow(pool, 'alice', { email: 'alice@example.com', phone_number: '+15550100' });
        await s.users.createUser(u, [email('alice@example.com'), { kind: 'phone_number', key: '+15550100' }]);
        assert.equal((await s.users.findByUsername(pool, 'alice'))?.id, u.id);
        assert.equal((await s.users.findBySub(pool, u.id))?.username, 'alice');
        assert.equal((await s.users.findByAlias(pool, 'email', 'alice@example.com'))?.id, u.id);
        assert.equal((await s.users.findByAlias(pool, 'phone_number', '+15550100'))?.id, u.id);
        assert.equal(await s.users.countAliases(u.id), 2);
        // Scoped to the pool.
        const other = await newPool();
        assert.equal(await s.users.findByUsername(other, 'alice'), undefined);
        assert.equal(await s.users.findBySub(other, u.id), undefined);
        assert.equal(await s.users.findByAlias(other, 'email', 'alice@example.com'), undefined);
      });

      it('the same username in two pools is two users', async () => {
        const [p1, p2] = [await newPool(), await newPool()];
        await s.users.createUser(userRow(p1, 'same'), [email('same@example.com')]);
        await s.users.createUser(userRow(p2, 'same'), [email('same@example.com')]);
        assert.notEqual((await s.users.findByUsername(p1, 'same'))?.id, (await s.users.findByUsername(p2, 'same'))?.id);
      });

      it('two concurrent createUser with one username: exactly one wins, the other gets UniqueViolation(username)', async () => {
        const pool = await newPool();
        for (let round = 0; round < 10; round++) {
          const a = userRow(pool, `racer${round}`);
          const b = userRow(pool, `racer${round}`);
          const results = await Promise.allSettled([
            s.users.createUser(a, [email(`a${round}@example.com`)]),
            s.users.createUser(b, [email(`b${round}@example.com`)]),
          ]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          assert.equal(won.length, 1, `round ${round}: ${results.map((r) => r.status).join(', ')}`);
          assert.ok(lost[0]?.reason instanceof UniqueViolation, String(lost[0]?.reason));
          assert.equal(lost[0].reason.what, 'username');
          const winner = await s.users.findByUsername(pool, `racer${round}`);
          const loser = winner?.id === a.id ? b : a;
          assert.ok(winner);
          // The loser left nothing behind: no row, no alias.
          assert.equal(await s.users.findBySub(pool, loser.id), undefined);
          assert.equal(await s.users.countAliases(loser.id), 0);
          assert.equal(await s.users.findByAlias(pool, 'email', `${loser === a ? 'a' : 'b'}${round}@example.com`), undefined);
          assert.equal(await s.users.countAliases(winner.id), 1);
        }
      });

      it('an alias held by another user refuses the whole createUser', async () => {
        const pool = await newPool();
        const a = userRow(pool, 'holder', { email: 'taken@example.com' });
        await s.users.createUser(a, [email('taken@example.com')]);
        const b = userRow(pool, 'newcomer', { email: 'taken@example.com', phone_number: '+15550199' });
        await rejectsUnique(s.users.createUser(b, [{ kind: 'phone_number', key: '+15550199' }, email('taken@example.com')]), 'email');
        assert.equal(await s.users.findBySub(pool, b.id), undefined);
        assert.equal(await s.users.findByAlias(pool, 'phone_number', '+15550199'), undefined);
        assert.equal((await s.users.findByAlias(pool, 'email', 'taken@example.com'))?.id, a.id);
      });

      it('concurrent createUser racing for one alias: exactly one wins', async () => {
        const pool = await newPool();
        const users = Array.from({ length: 6 }, (_, i) => userRow(pool, `alias-racer-${i}`));
        const results = await Promise.allSettled(users.map((u) => s.users.createUser(u, [email('contested@example.com')])));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof UniqueViolation && r.reason.what === 'email', String(r.reason));
        assert.equal(await s.pools.countUsers(pool), 1);
      });

      it('saveUser replaces the aliases atomically', async () => {
        const pool = await newPool();
        const u = userRow(pool, 'mover', { email: 'old@example.com' });
        await s.users.createUser(u, [email('old@example.com')]);
        const moved = { ...u, email: 'new@example.com', preferred_username: 'movie', updated_at: tick() };
        await s.users.saveUser(moved, [email('new@example.com'), { kind: 'preferred_username', key: 'movie' }]);
        assert.equal(await s.users.findByAlias(pool, 'email', 'old@example.com'), undefined);
        assert.equal((await s.users.findByAlias(pool, 'email', 'new@example.com'))?.id, u.id);
        assert.equal((await s.users.findByAlias(pool, 'preferred_username', 'movie'))?.id, u.id);
        assert.equal(await s.users.countAliases(u.id), 2);
        assert.deepEqual(await s.users.findBySub(pool, u.id), moved);
      });

      it('saveUser with a conflicting alias leaves the row and its aliases untouched', async () => {
        const pool = await newPool();
        const a = userRow(pool, 'a', { email: 'a@example.com' });
        const b = userRow(pool, 'b', { email: 'b@example.com', given_name: 'Bee' });
        await s.users.createUser(a, [email('a@example.com')]);
        await s.users.createUser(b, [email('b@example.com'), { kind: 'preferred_username', key: 'bee' }]);
        const before_ = await s.users.findBySub(pool, b.id);
        const clash = { ...b, email: 'a@example.com', given_name: 'Changed', updated_at: tick() };
        await rejectsUnique(s.users.saveUser(clash, [{ kind: 'preferred_username', key: 'bee2' }, email('a@example.com')]), 'email');
        assert.deepEqual(await s.users.findBySub(pool, b.id), before_);
        assert.equal((await s.users.findByAlias(pool, 'email', 'b@example.com'))?.id, b.id);
        assert.equal((await s.users.findByAlias(pool, 'preferred_username', 'bee'))?.id, b.id);
        assert.equal(await s.users.findByAlias(pool, 'preferred_username', 'bee2'), undefined);
        assert.equal(await s.users.countAliases(b.id), 2);
        assert.equal((await s.users.findByAlias(pool, 'email', 'a@example.com'))?.id, a.id);
        // The store stays usable after the rolled-back transaction.
        await s.users.saveUser({ ...b, given_name: 'Bea' });
        assert.equal((await s.users.findBySub(pool, b.id))?.given_name, 'Bea');
      });

      it('deleteUser removes the aliases (cascade), freeing them', async () => {
        const pool = await newPool();
        const u = userRow(pool, 'gone', { email: 'gone@example.com' });
        await s.users.createUser(u, [email('gone@example.com')]);
        assert.equal(await s.users.deleteUser(u.id), true);
        assert.equal(await s.users.deleteUser(u.id), false);
        assert.equal(await s.users.countAliases(u.id), 0);
        await s.users.createUser(userRow(pool, 'gone'), [email('gone@example.com')]);
      });
    });

    describe('listUsers', () => {
      /** All pages of a listing, `limit` at a time, following the keyset cursor. */
      async function allPages(pool: string, search: Parameters<Store['users']['listUsers']>[1], limit: number): Promise<ListedUser[]> {
        const out: ListedUser[] = [];
        let after_: UserCursor | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const page = await s.users.listUsers(pool, search, after_, limit);
          assert.ok(page.length <= limit);
          out.push(...page);
          const last = page[page.length - 1];
          if (page.length < limit || last === undefined) return out;
          const col: SearchColumn = search?.column ?? 'username_key';
          after_ = { value: last[col], key: last.username_key };
        }
        assert.fail('listing did not end');
      }

      const NAMES = ['zoe', 'zoë', 'zoé', 'zo', 'zo\u{1F600}', 'zo\uFFFD', 'zoa', 'zp', 'zn', 'Zoe', 'zo\u{10FFFF}x', 'q\uD7FFa', 'q\uE000', 'q\u{10000}', 'qz'];

      it('lists every user once, in code point order of username, across pages', async () => {
        const pool = await newPool();
        for (const name of NAMES) await s.users.createUser(userRow(pool, name), []);
        for (const limit of [1, 2, 3, 60]) {
          const names = (await allPages(pool, undefined, limit)).map((u) => u.username_key);
          assert.deepEqual(names, [...NAMES].sort(byteCompare), `limit ${limit}`);
        }
      });

      it('prefix search is a code point range with the right upper bound', async () => {
        const pool = await newPool();
        for (const name of NAMES) await s.users.createUser(userRow(pool, name), []);
        const cases: Array<[string, string[]]> = [
          ['zo', ['zo', 'zoa', 'zoe', 'zoé', 'zoë', 'zo\uFFFD', 'zo\u{1F600}', 'zo\u{10FFFF}x']],
          ['zoe', ['zoe']],
          ['zo\u{10FFFF}', ['zo\u{10FFFF}x']],
          ['q\uD7FF', ['q\uD7FFa']],
          ['Z', ['Zoe']],
          ['nobody', []],
        ];
        for (const [prefix, expected] of cases) {
          for (const limit of [1, 3, 60]) {
            const got = (await allPages(pool, { column: 'username_key', op: 'prefix', value: prefix }, limit)).map((u) => u.username_key);
            assert.deepEqual(got, [...expected].sort(byteCompare), `prefix ${JSON.stringify(prefix)}, limit ${limit}`);
          }
        }
      });

      it('eq and prefix on an attribute column, ordered by (value, username), paged', async () => {
        const pool = await newPool();
        const rows: Array<[string, string]> = [
          ['u1', 'ann@example.com'],
          ['u2', 'ann@example.com'],
          ['u3', 'anna@example.com'],
          ['u4', 'änne@example.com'],
          ['u5', 'bob@example.com'],
          ['u6', 'an\u{1F600}@example.com'],
          ['u7', 'ann@example.com'],
        ];
        for (const [name, mail] of rows) await s.users.createUser(userRow(pool, name, { email: mail }), []);
        await s.users.createUser(userRow(pool, 'u8'), []); // no email: never matches
        const eq = await allPages(pool, { column: 'email', op: 'eq', value: 'ann@example.com' }, 2);
        assert.deepEqual(eq.map((u) => u.username), ['u1', 'u2', 'u7']);
        for (const limit of [1, 2, 60]) {
          const pre = await allPages(pool, { column: 'email', op: 'prefix', value: 'an' }, limit);
          const expected = rows
            .filter(([, m]) => m.startsWith('an'))
            .sort(([n1, m1], [n2, m2]) => byteCompare(m1, m2) || byteCompare(n1, n2))
            .map(([name]) => name);
          assert.deepEqual(pre.map((u) => u.username), expected, `limit ${limit}`);
        }
        const umlaut = await allPages(pool, { column: 'email', op: 'prefix', value: 'ä' }, 5);
        assert.deepEqual(umlaut.map((u) => u.username), ['u4']);
      });

      it('eq on status and enabled', async () => {
        const pool = await newPool();
        await s.users.createUser(userRow(pool, 'c1'), []);
        await s.users.createUser(userRow(pool, 'c2', { status: 'UNCONFIRMED' }), []);
        await s.users.createUser(userRow(pool, 'c3', { enabled: 0 }), []);
        assert.deepEqual((await allPages(pool, { column: 'status', op: 'eq', value: 'UNCONFIRMED' }, 5)).map((u) => u.username), ['c2']);
        assert.deepEqual((await allPages(pool, { column: 'enabled', op: 'eq', value: 0 }, 5)).map((u) => u.username), ['c3']);
        assert.deepEqual((await allPages(pool, { column: 'username_key', op: 'eq', value: 'c1' }, 5)).map((u) => u.username), ['c1']);
      });
    });

    describe('groups', () => {
      it('memberships: idempotent add, listing both ways, removal', async () => {
        const pool = await newPool();
        const u = userRow(pool, 'member');
        await s.users.createUser(u, []);
        for (const g of ['b', 'a', 'c']) await s.groups.insertGroup(groupRow(pool, g));
        await s.groups.addMember(pool, 'a', u.id);
        await s.groups.addMember(pool, 'a', u.id);
        await s.groups.addMember(pool, 'c', u.id);
        assert.deepEqual((await s.groups.groupsOfUser(u.id, undefined, 10)).map((g) => g.group_name), ['a', 'c']);
        assert.deepEqual((await s.groups.groupsOfUser(u.id, 'a', 10)).map((g) => g.group_name), ['c']);
        assert.deepEqual((await s.groups.membersOfGroup(pool, 'a', undefined, 10)).map((m) => m.id), [u.id]);
        await s.groups.removeMember(pool, 'a', u.id);
        assert.deepEqual((await s.groups.groupsOfUser(u.id, undefined, 10)).map((g) => g.group_name), ['c']);
      });

      it('a duplicate group name in a pool is refused', async () => {
        const pool = await newPool();
        await s.groups.insertGroup(groupRow(pool, 'dup'));
        await assert.rejects(s.groups.insertGroup(groupRow(pool, 'dup')));
        const other = await newPool();
        await s.groups.insertGroup(groupRow(other, 'dup'));
      });

      it('deleting a user removes its memberships; deleting a group removes its memberships', async () => {
        const pool = await newPool();
        const u = userRow(pool, 'leaver');
        const v = userRow(pool, 'stayer');
        await s.users.createUser(u, []);
        await s.users.createUser(v, []);
        await s.groups.insertGroup(groupRow(pool, 'g1'));
        await s.groups.insertGroup(groupRow(pool, 'g2'));
        for (const g of ['g1', 'g2']) for (const x of [u, v]) await s.groups.addMember(pool, g, x.id);
        await s.users.deleteUser(u.id);
        assert.deepEqual((await s.groups.membersOfGroup(pool, 'g1', undefined, 10)).map((m) => m.id), [v.id]);
        assert.deepEqual(await s.groups.groupsOfUser(u.id, undefined, 10), []);
        assert.ok(await s.groups.findGroup(pool, 'g1'));
        await s.groups.deleteGroup(pool, 'g2');
        assert.deepEqual((await s.groups.groupsOfUser(v.id, undefined, 10)).map((g) => g.group_name), ['g1']);
      });
    });

    describe('messages outbox', () => {
      it('lists in insertion order, filters, and pages by sequence', async () => {
        const pool = await newPool();
        const other = await newPool();
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) {
          const id = randomUUID();
          ids.push(id);
          await s.messages.insert({
            id,
            pool_id: i % 3 === 2 ? other : pool,
            created_at: tick(),
            channel: i % 2 === 0 ? 'EMAIL' : 'SMS',
            destination: i < 3 ? 'x@example.com' : '+15550100',
            subject: null,
            body: `message ${i}`,
            purpose: 'test',
            username: null,
            status: 'RECORDED',
          });
        }
        const mine = await s.messages.list({ poolId: pool, limit: 100 });
        assert.deepEqual(mine.map((m) => m.id), [ids[0], ids[1], ids[3], ids[4]]);
        const seqs = mine.map((m) => m.seq);
        assert.ok(seqs.every((v, i) => i === 0 || v > (seqs[i - 1] ?? Infinity)), `sequence not increasing: ${seqs.join(',')}`);
        assert.ok(seqs.every((v) => typeof v === 'number'));
        const page2 = await s.messages.list({ poolId: pool, afterSeq: mine[1]?.seq, limit: 1 });
        assert.deepEqual(page2.map((m) => m.id), [ids[3]]);
        const toX = await s.messages.list({ poolId: pool, destination: 'x@example.com', limit: 100 });
        assert.deepEqual(toX.map((m) => m.body), ['message 0', 'message 1']);
        await s.messages.setStatus(ids[0] ?? '', 'SENT');
        assert.equal((await s.messages.list({ poolId: pool, limit: 1 }))[0]?.status, 'SENT');
      });
    });
  });
}
