import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkPassword, generateTemporaryPassword, TEMPORARY_PASSWORD_LENGTH } from '../../src/domain/password-policy.js';
import type { PasswordPolicy } from '../../src/domain/pool-config.js';

const strict: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};
const lax: PasswordPolicy = { ...strict, MinimumLength: 6, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false };

const rejects = (policy: PasswordPolicy, pw: string, reason: string) =>
  assert.throws(() => checkPassword(policy, pw), { name: 'InvalidPasswordException', message: `Password did not conform with policy: ${reason}` });

describe('password policy', () => {
  it('accepts a password meeting every rule', () => {
    checkPassword(strict, 'Passw0rd!');
    checkPassword(lax, 'abcdef');
  });

  it('reports the first broken rule in Cognito order', () => {
    rejects(strict, 'Pa0!', 'Password not long enough');
    rejects(strict, 'password', 'Password must have uppercase characters');
    rejects(strict, 'PASSWORD1!', 'Password must have lowercase characters');
    rejects(strict, 'Password!', 'Password must have numeric characters');
    rejects(strict, 'Password1', 'Password must have symbol characters');
  });

  it('counts length in code points and an inner space as a symbol', () => {
    rejects({ ...lax, MinimumLength: 8 }, '😀😀😀😀', 'Password not long enough');
    checkPassword(strict, 'Pass w0rd');
    rejects(strict, 'Passw0rd ', 'Password must have symbol characters');
  });

  it('generates temporary passwords that satisfy the policy', () => {
    const random = { int: (max: number) => randomInt(max) };
    for (let i = 0; i < 200; i++) {
      const pw = generateTemporaryPassword(strict, random);
      assert.equal(pw.length, TEMPORARY_PASSWORD_LENGTH);
      checkPassword(strict, pw);
      assert.doesNotMatch(pw, /[{}]/);
    }
    assert.equal(generateTemporaryPassword({ ...strict, MinimumLength: 40 }, random).length, 40);
  });

  it('draws every character from the injected randomness', () => {
    const zero = { int: () => 0 };
    assert.equal(generateTemporaryPassword(strict, zero), generateTemporaryPassword(strict, zero));
  });
});
