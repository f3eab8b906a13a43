import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepare } from '../../src/store/prepared.js';
import { storeKinds } from '../helpers/server.js';
import { openTestStore } from '../helpers/store.js';

for (const kind of storeKinds()) {
  describe(`prepare (precompiled queries) on ${kind}`, () => {
    it('fills each argument where the builder used it, keeps the query constants, and reruns with new values', async () => {
      const { store, close } = await openTestStore(kind);
      try {
        const db = store.dialect.db;
        await db.deleteFrom('server_meta').where('key', 'in', ['a', 'b', 'c']).execute();
        await db.insertInto('server_meta').values([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]).execute();
        // The arguments are used out of order, beside a constant of the query ('c').
        const pick = prepare(db, (first: string, second: string) =>
          db.selectFrom('server_meta').select('key').where('key', 'in', [second, 'c', first]).orderBy('key'),
        );
        assert.deepEqual((await pick('a', 'b')).map((r) => r.key), ['a', 'b', 'c']);
        assert.deepEqual((await pick('b', 'zz')).map((r) => r.key), ['b', 'c']);
        assert.deepEqual((await pick('x', 'y')).map((r) => r.key), ['c']);
      } finally {
        await close();
      }
    });

    it('refuses a builder that leaves an argument out', async () => {
      const { store, close } = await openTestStore(kind);
      try {
        const db = store.dialect.db;
        assert.throws(
          () => prepare(db, (first: string, _second: string) => db.selectFrom('server_meta').select('key').where('key', '=', first)),
          /does not use argument 1/,
        );
      } finally {
        await close();
      }
    });
  });
}
