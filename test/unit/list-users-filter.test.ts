import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUserFilter } from '../../src/domain/list-users-filter.js';

describe('ListUsers filter', () => {
  it('is absent for an empty filter', () => {
    assert.equal(parseUserFilter(undefined), undefined);
    assert.equal(parseUserFilter(''), undefined);
    assert.equal(parseUserFilter('   '), undefined);
  });

  it('parses exact and prefix matches', () => {
    assert.deepEqual(parseUserFilter('family_name = "Reddy"'), { attribute: 'family_name', op: 'eq', value: 'Reddy' });
    assert.deepEqual(parseUserFilter('email^="a@"'), { attribute: 'email', op: 'prefix', value: 'a@' });
    assert.deepEqual(parseUserFilter('  cognito:user_status   =   "confirmed" '), { attribute: 'cognito:user_status', op: 'eq', value: 'confirmed' });
    assert.deepEqual(parseUserFilter('name = ""'), { attribute: 'name', op: 'eq', value: '' });
  });

  it('unescapes quotes and backslashes in the value', () => {
    assert.deepEqual(parseUserFilter('name = "say \\"hi\\" \\\\ ok"'), { attribute: 'name', op: 'eq', value: 'say "hi" \\ ok' });
  });

  it('refuses what it cannot parse', () => {
    for (const f of ['email', 'email = Reddy', 'email == "x"', 'email = "x', 'email = "x" and name = "y"', 'email ~ "x"', 'email = "a"b"']) {
      assert.throws(() => parseUserFilter(f), { name: 'InvalidParameterException', message: 'Error while parsing filter.' }, f);
    }
  });

  it('refuses attributes that are not searchable', () => {
    assert.throws(() => parseUserFilter('custom:team = "a"'), { name: 'InvalidParameterException', message: 'Invalid search attribute: custom:team' });
    assert.throws(() => parseUserFilter('nickname ^= "a"'), { name: 'InvalidParameterException', message: 'Invalid search attribute: nickname' });
  });
});
