import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { compactDecrypt } from 'jose';
import { openRefresh, sealRefresh, type RefreshContents } from '../../src/services/refresh-token.js';

const contents: RefreshContents = { poolId: 'us-east-1_abc', clientId: 'c1', sub: 's1', originJti: 'o1', authTime: 1_700_000_000, generation: 2, issuedAt: 1_700_000_000_123, deviceKey: 'us-east-1_d' };

describe('refresh token sealing', () => {
  it('round-trips, and is a standard compact JWE (dir, A256GCM) that jose opens', async () => {
    const key = new Uint8Array(randomBytes(32));
    const token = await sealRefresh(contents, key);
    assert.equal(token.split('.').length, 5);
    assert.equal(token.split('.')[1], '', 'dir: no encrypted key');
    assert.deepEqual(await openRefresh(token, key), contents);
    const { plaintext, protectedHeader } = await compactDecrypt(token, key);
    assert.deepEqual(protectedHeader, { cty: 'JWT', enc: 'A256GCM', alg: 'dir' });
    assert.equal(JSON.parse(new TextDecoder().decode(plaintext)).o, 'o1');
  });

  it('refuses another key, a changed part, and non-tokens', async () => {
    const key = new Uint8Array(randomBytes(32));
    const token = await sealRefresh(contents, key);
    assert.equal(await openRefresh(token, new Uint8Array(randomBytes(32))), undefined);
    const parts = token.split('.');
    for (const i of [0, 2, 3, 4]) {
      const p = [...parts];
      const s = p[i] ?? '';
      p[i] = (s.startsWith('A') ? 'B' : 'A') + s.slice(1);
      assert.equal(await openRefresh(p.join('.'), key), undefined, `part ${i} changed`);
    }
    for (const bad of ['', 'a.b.c', 'a.b.c.d.e', `${parts[0]}.x.${parts[2]}.${parts[3]}.${parts[4]}`]) assert.equal(await openRefresh(bad, key), undefined);
  });
});
