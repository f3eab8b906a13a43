import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  formatSrpTimestamp,
  g,
  k,
  N,
  parseHex,
  parseSrpTimestamp,
  passwordClaimSignature,
  signatureMatches,
  srpChallenge,
  srpPoolName,
  srpSalt,
  srpVerifier,
  toBytes,
} from '../../src/crypto/srp.js';
import { claimSignature, clientTimestamp, srpClient } from '../helpers/cognito-srp-client.js';

const POOL_ID = 'us-east-1_AbC123xyz';
const POOL = srpPoolName(POOL_ID);

/** One whole exchange: amazon-cognito-identity-js's AuthenticationHelper against the server functions. */
async function exchange(userId: string, serverPassword: string, clientPassword: string): Promise<boolean> {
  const salt = srpSalt(randomBytes);
  const v = srpVerifier(salt, POOL, userId, serverPassword);
  const client = srpClient(POOL);
  const A = parseHex(client.A);
  assert.ok(A !== undefined);
  const { B, key } = srpChallenge(A, v, randomBytes);
  assert.ok(key);
  const secretBlock = randomBytes(48).toString('base64');
  const clientKey = await client.key(userId, clientPassword, B.toString(16), toBytes(salt).toString('hex'));
  const ts = clientTimestamp();
  const sig = claimSignature(clientKey, POOL, userId, secretBlock, ts);
  return signatureMatches(passwordClaimSignature(key, POOL, userId, Buffer.from(secretBlock, 'base64'), ts), sig);
}

describe('SRP-6a as Cognito clients compute it', () => {
  it('uses the RFC 3526 3072-bit group, g = 2 and k = H(N | g) with sign padding', () => {
    assert.equal(N.toString(2).length, 3072);
    assert.equal(g, 2n);
    assert.equal(toBytes(N).length, 385); // a leading 0x00: the top bit of N is set
    assert.deepEqual(toBytes(2n), Buffer.from([2]));
    assert.deepEqual(toBytes(0x80n), Buffer.from([0, 0x80]));
    // k as amazon-cognito-identity-js derives it (hexHash(padHex(N) + padHex(g))).
    assert.equal(k.toString(16), '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  });

  it('the pool name is the part of the pool id after the underscore', () => {
    assert.equal(POOL, 'AbC123xyz');
  });

  it('a right password gives the same key and signature as AuthenticationHelper', async () => {
    for (let i = 0; i < 5; i++) assert.equal(await exchange(`user-${i}`, 'Passw0rd!é', 'Passw0rd!é'), true);
  });

  it('a wrong password, or another user id, does not', async () => {
    assert.equal(await exchange('alice', 'Passw0rd!', 'Passw0rd?'), false);
    const salt = srpSalt(randomBytes);
    const v = srpVerifier(salt, POOL, 'alice', 'Passw0rd!');
    const client = srpClient(POOL);
    const { B, key } = srpChallenge(parseHex(client.A) ?? 0n, v, randomBytes);
    const clientKey = await client.key('bob', 'Passw0rd!', B.toString(16), toBytes(salt).toString('hex'));
    assert.notDeepEqual(clientKey, key);
  });

  it('refuses A ≡ 0 (mod N) and gives no key for degenerate A', () => {
    const v = srpVerifier(1n, POOL, 'alice', 'x');
    assert.throws(() => srpChallenge(0n, v, randomBytes), RangeError);
    assert.throws(() => srpChallenge(N, v, randomBytes), RangeError);
    assert.throws(() => srpChallenge(2n * N, v, randomBytes), RangeError);
    assert.equal(srpChallenge(1n, 1n, randomBytes).key, undefined); // A·v^u = 1
  });

  it('parses hex as the clients send it and nothing else', () => {
    assert.equal(parseHex('0aF'), 0xafn);
    assert.equal(parseHex(''), undefined);
    assert.equal(parseHex('0x12'), undefined);
    assert.equal(parseHex('12 '), undefined);
  });

  it('formats and parses the TIMESTAMP like DateHelper (day not zero-padded)', () => {
    const d = new Date(Date.UTC(2026, 10, 3, 21, 9, 51));
    assert.equal(formatSrpTimestamp(d), 'Tue Nov 3 21:09:51 UTC 2026');
    assert.equal(parseSrpTimestamp('Tue Nov 3 21:09:51 UTC 2026'), d.getTime());
    assert.equal(parseSrpTimestamp('Tue Nov 03 21:09:51 UTC 2026'), undefined);
    assert.equal(parseSrpTimestamp('Wed Nov 3 21:09:51 UTC 2026'), undefined);
    assert.equal(parseSrpTimestamp('Tue Nov 31 21:09:51 UTC 2026'), undefined);
    const now = clientTimestamp();
    assert.ok(parseSrpTimestamp(now) !== undefined, now);
    assert.equal(formatSrpTimestamp(new Date(parseSrpTimestamp(now) ?? 0)), now);
  });

  it('is fast enough: a challenge (three exponentiations) under 8 ms (BigInt square-and-multiply took 16)', () => {
    const v = srpVerifier(srpSalt(randomBytes), POOL, 'alice', 'Passw0rd!');
    const A = parseHex(srpClient(POOL).A) ?? 0n;
    const n = 50;
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) srpChallenge(A, v, randomBytes);
    const ms = Number(process.hrtime.bigint() - t) / 1e6 / n;
    assert.ok(ms < 8, `${ms.toFixed(2)} ms per challenge`);
  });
});
