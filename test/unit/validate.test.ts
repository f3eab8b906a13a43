import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CognitoError } from '../../src/api/errors.js';
import { inputShapeName, loadServiceModel, operationNames, requiresSigV4 } from '../../src/api/model.js';
import { compileJavaPattern, translateJavaRegex } from '../../src/api/java-regex.js';
import {
  formatViolations,
  operationValidator,
  precompile,
  skippedPatterns,
  validateInput,
  validationErrors,
} from '../../src/api/validate.js';

const model = loadServiceModel();
const POOL = 'us-east-1_AbCdEf123';

function caught(fn: () => void): CognitoError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CognitoError, `expected a CognitoError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

function invalid(op: string, input: unknown): string {
  const err = caught(() => validateInput(model, op, input));
  assert.equal(err.type, 'InvalidParameterException', err.message);
  assert.equal(err.status, 400);
  return err.message;
}

function serialization(op: string, input: unknown): string {
  const err = caught(() => validateInput(model, op, input));
  assert.equal(err.type, 'SerializationException', err.message);
  assert.equal(err.status, 400);
  return err.message;
}

const one = (line: string): string => `1 validation error detected: ${line}`;

describe('service model', () => {
  it('has all 129 operations, 32 of them unsigned', () => {
    const ops = operationNames(model);
    assert.equal(ops.length, 129);
    assert.equal(ops.filter((op) => !requiresSigV4(model, op)).length, 32);
    assert.equal(requiresSigV4(model, 'InitiateAuth'), false);
    assert.equal(requiresSigV4(model, 'SignUp'), false);
    assert.equal(requiresSigV4(model, 'AdminCreateUser'), true);
    assert.equal(requiresSigV4(model, 'NoSuchOperation'), true);
  });

  it('knows input shapes and is memoized', () => {
    assert.equal(inputShapeName(model, 'AdminCreateUser'), 'AdminCreateUserRequest');
    assert.equal(inputShapeName(model, 'NoSuchOperation'), undefined);
    assert.equal(loadServiceModel(), model);
    assert.equal(model.targetPrefix, 'AWSCognitoIdentityProviderService');
  });
});

describe('required members', () => {
  it('reports each missing member as null, in model order', () => {
    assert.equal(
      invalid('AdminGetUser', {}),
      '2 validation errors detected: ' +
        "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });

  it('treats an explicit null like a missing member', () => {
    assert.equal(
      invalid('AdminGetUser', { UserPoolId: POOL, Username: null }),
      one("Value null at 'username' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('mixes missing and invalid members (brief example)', () => {
    assert.equal(
      invalid('ConfirmSignUp', { Username: 'u'.repeat(129), ConfirmationCode: '123456' }),
      '2 validation errors detected: ' +
        "Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
        "Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });
});

describe('constraints', () => {
  it('pattern', () => {
    assert.equal(
      invalid('AdminGetUser', { UserPoolId: 'abc', Username: 'bob' }),
      one(
        "Value 'abc' at 'userPoolId' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+',
      ),
    );
  });

  it('pattern must match the whole value', () => {
    // [\w-]+_[0-9a-zA-Z]+ would find a match inside 'us-east-1_abc!' without full-match semantics.
    assert.match(invalid('AdminGetUser', { UserPoolId: 'us-east-1_abc!', Username: 'bob' }), /at 'userPoolId'/);
  });

  it('length (max and min, several errors for one member)', () => {
    assert.equal(
      invalid('CreateUserPool', { PoolName: 'p'.repeat(129) }),
      one("Value '" + 'p'.repeat(129) + "' at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128"),
    );
    assert.equal(
      invalid('CreateUserPool', { PoolName: '' }),
      '2 validation errors detected: ' +
        "Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
    );
  });

  it('counts string length in code points', () => {
    const emoji = '\u{1F600}'; // two UTF-16 units, one code point, \p{So}
    validateInput(model, 'CreateGroup', { UserPoolId: POOL, GroupName: emoji.repeat(128) });
    assert.match(
      invalid('CreateGroup', { UserPoolId: POOL, GroupName: emoji.repeat(129) }),
      /at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128$/,
    );
    // 3 code points (6 UTF-16 units) is below a minimum of 5.
    assert.equal(
      invalid('CreateUserPool', { PoolName: 'p', SmsConfiguration: { SnsRegion: emoji.repeat(3) } }),
      one(
        `Value '${emoji.repeat(3)}' at 'smsConfiguration.snsRegion' failed to satisfy constraint: ` +
          'Member must have length greater than or equal to 5',
      ),
    );
    validateInput(model, 'CreateUserPool', { PoolName: 'p', SmsConfiguration: { SnsRegion: emoji.repeat(5) } });
  });

  it('enum', () => {
    assert.equal(
      invalid('InitiateAuth', { AuthFlow: 'FOO', ClientId: 'abc' }),
      one(
        "Value 'FOO' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: " +
          '[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ' +
          'ADMIN_USER_PASSWORD_AUTH, USER_AUTH]',
      ),
    );
  });

  it('numeric range', () => {
    assert.equal(
      invalid('ListUsers', { UserPoolId: POOL, Limit: 61 }),
      one("Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"),
    );
    assert.equal(
      invalid('ListUsers', { UserPoolId: POOL, Limit: -1 }),
      one("Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0"),
    );
    validateInput(model, 'ListUsers', { UserPoolId: POOL, Limit: 0 });
    validateInput(model, 'ListUsers', { UserPoolId: POOL, Limit: 60 });
  });

  it('list length uses the length wording and prints the list', () => {
    assert.equal(
      invalid('CreateUserPool', { PoolName: 'p', Schema: [] }),
      one("Value '[]' at 'schema' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
  });

  it('lists of scalars are validated as a whole', () => {
    assert.equal(
      invalid('ListUsers', { UserPoolId: POOL, AttributesToGet: ['email', ''] }),
      one(
        "Value '[email, ]' at 'attributesToGet' failed to satisfy constraint: Member must satisfy constraint: " +
          '[Member must have length less than or equal to 32, Member must have length greater than or equal to 1, ' +
          'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+]',
      ),
    );
    assert.equal(
      invalid('CreateUserPool', { PoolName: 'p', AutoVerifiedAttributes: ['email', 'fax'] }),
      one(
        "Value '[email, fax]' at 'autoVerifiedAttributes' failed to satisfy constraint: Member must satisfy " +
          'constraint: [Member must satisfy enum value set: [phone_number, email]]',
      ),
    );
  });

  it('map keys and values', () => {
    assert.equal(
      invalid('TagResource', { ResourceArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/x', Tags: { '': 'v' } }),
      one(
        "Value '{=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: " +
          '[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]',
      ),
    );
    assert.equal(
      invalid('TagResource', { ResourceArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/x', Tags: { k: 'v'.repeat(257) } }),
      one(
        `Value '{k=${'v'.repeat(257)}}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: ` +
          '[Member must have length less than or equal to 256, Member must have length greater than or equal to 0]',
      ),
    );
  });

  it('blob length counts decoded bytes', () => {
    const big = Buffer.alloc(131073).toString('base64');
    assert.equal(
      invalid('SetUICustomization', { UserPoolId: POOL, ImageFile: big }),
      one(
        "Value 'java.nio.HeapByteBuffer[pos=0 lim=131073 cap=131073]' at 'imageFile' failed to satisfy constraint: " +
          'Member must have length less than or equal to 131072',
      ),
    );
    validateInput(model, 'SetUICustomization', { UserPoolId: POOL, ImageFile: Buffer.alloc(131072).toString('base64') });
  });
});

describe('nested paths', () => {
  it('list members of structures: name.N.member.field (1-based)', () => {
    assert.equal(
      invalid('AdminCreateUser', {
        UserPoolId: POOL,
        Username: 'bob',
        UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }, { Value: 'x' }, null, { Name: 'n'.repeat(33) }],
      }),
      '3 validation errors detected: ' +
        "Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'userAttributes.3.member' failed to satisfy constraint: Member must not be null; " +
        `Value '${'n'.repeat(33)}' at 'userAttributes.4.member.name' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 32',
    );
  });

  it('deep structures and lists', () => {
    assert.equal(
      invalid('CreateUserPool', {
        PoolName: 'p',
        Policies: { PasswordPolicy: { MinimumLength: 5 } },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }, { Priority: 3 }] },
        Schema: [{ Name: 'x'.repeat(21), AttributeDataType: 'Str' }],
      }),
      '5 validation errors detected: ' +
        "Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6; " +
        "Value '" + 'x'.repeat(21) + "' at 'schema.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20; " +
        "Value 'Str' at 'schema.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, DateTime, Boolean]; " +
        "Value '3' at 'accountRecoverySetting.recoveryMechanisms.2.member.priority' failed to satisfy constraint: Member must have value less than or equal to 2; " +
        "Value null at 'accountRecoverySetting.recoveryMechanisms.2.member.name' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('sensitive values', () => {
  it('are not printed', () => {
    assert.equal(
      invalid('SignUp', { ClientId: 'abc', Username: 'bob', Password: 'has space' }),
      one("Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+"),
    );
    assert.equal(
      invalid('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'bad-client' }),
      one("Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+"),
    );
  });

  it('missing sensitive members still print null', () => {
    assert.equal(
      invalid('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH' }),
      one("Value null at 'clientId' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('values inside a printed list of structures are redacted', () => {
    const attrs = Array.from({ length: 3 }, () => ({ Name: 'email', Value: 'secret@example.com' }));
    const msg = validationErrors(model, 'AdminCreateUser', { UserPoolId: POOL, Username: 'u', UserAttributes: attrs });
    assert.deepEqual(msg, []);
    assert.ok(!invalid('AdminCreateUser', { UserPoolId: POOL, Username: 'u', UserAttributes: [{ Name: '', Value: 'secret' }] }).includes('secret'));
  });
});

describe('type mismatches → SerializationException', () => {
  it('strings', () => {
    assert.equal(serialization('AdminGetUser', { UserPoolId: 123, Username: 'bob' }), 'NUMBER_VALUE cannot be converted to String');
    assert.equal(serialization('AdminGetUser', { UserPoolId: 1.5, Username: 'bob' }), 'DECIMAL_VALUE cannot be converted to String');
    assert.equal(serialization('AdminGetUser', { UserPoolId: true, Username: 'bob' }), 'TRUE_VALUE cannot be converted to String');
    assert.equal(serialization('AdminGetUser', { UserPoolId: [], Username: 'bob' }), 'Unrecognized collection type class java.lang.String');
    assert.equal(serialization('AdminGetUser', { UserPoolId: {}, Username: 'bob' }), 'Start of structure or map found where not expected');
  });

  it('numbers and booleans', () => {
    assert.equal(serialization('ListUsers', { UserPoolId: POOL, Limit: '6' }), 'STRING_VALUE cannot be converted to Integer');
    assert.equal(serialization('ListUsers', { UserPoolId: POOL, Limit: false }), 'FALSE_VALUE cannot be converted to Integer');
    assert.equal(
      serialization('CreateUserPool', { PoolName: 'p', DeviceConfiguration: { ChallengeRequiredOnNewDevice: 'true' } }),
      'Unexpected token received from parser',
    );
    assert.equal(
      serialization('CreateUserPool', { PoolName: 'p', DeviceConfiguration: { ChallengeRequiredOnNewDevice: 1 } }),
      'NUMBER_VALUE cannot be converted to Boolean',
    );
  });

  it('lists, maps and structures', () => {
    assert.equal(serialization('ListUsers', { UserPoolId: POOL, AttributesToGet: 'email' }), 'Unexpected field type');
    assert.equal(serialization('ListUsers', { UserPoolId: POOL, AttributesToGet: { a: 'email' } }), 'Start of structure or map found where not expected');
    assert.equal(serialization('ListUsers', { UserPoolId: POOL, AttributesToGet: [1] }), 'NUMBER_VALUE cannot be converted to String');
    assert.equal(serialization('AdminCreateUser', { UserPoolId: POOL, Username: 'u', ClientMetadata: 'x' }), 'Unexpected field type');
    assert.equal(
      serialization('AdminCreateUser', { UserPoolId: POOL, Username: 'u', ClientMetadata: [] }),
      'Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>',
    );
    assert.equal(serialization('AdminCreateUser', { UserPoolId: POOL, Username: 'u', ClientMetadata: { a: 1 } }), 'NUMBER_VALUE cannot be converted to String');
    assert.equal(serialization('AdminCreateUser', { UserPoolId: POOL, Username: 'u', UserAttributes: ['email'] }), 'Unexpected field type');
    assert.equal(serialization('CreateUserPool', { PoolName: 'p', Policies: 'x' }), 'Unexpected field type');
    assert.match(serialization('CreateUserPool', { PoolName: 'p', Policies: [] }), /^Unrecognized collection type class .*\.UserPoolPolicyType$/);
  });

  it('blobs must be base64', () => {
    assert.equal(serialization('SetUICustomization', { UserPoolId: POOL, ImageFile: 'abc' }), 'Base64 encoded length is expected a multiple of 4 bytes but found: 3');
    assert.equal(serialization('SetUICustomization', { UserPoolId: POOL, ImageFile: 'ab!=' }), 'Invalid Base64 character detected');
    assert.equal(serialization('SetUICustomization', { UserPoolId: POOL, ImageFile: 12 }), 'only base-64-encoded strings are convertible to bytes');
  });

  it('input must be a JSON object', () => {
    assert.equal(serialization('ListUsers', 'x'), 'Unexpected field type');
    assert.equal(serialization('ListUsers', null), 'Unexpected field type');
    assert.match(serialization('ListUsers', []), /^Unrecognized collection type class .*\.ListUsersRequest$/);
  });

  it('wins over constraint violations found earlier in the traversal', () => {
    assert.equal(serialization('ListUsers', { UserPoolId: 'bad', Limit: 'x' }), 'STRING_VALUE cannot be converted to Integer');
  });
});

describe('multiple errors', () => {
  it('counts with singular/plural wording and joins with "; "', () => {
    assert.equal(formatViolations(['a']), '1 validation error detected: a');
    assert.equal(formatViolations(['a', 'b', 'c']), '3 validation errors detected: a; b; c');
    const msg = invalid('AdminCreateUser', {
      UserPoolId: 'bad',
      Username: '',
      MessageAction: 'NOPE',
      DesiredDeliveryMediums: ['PIGEON'],
    });
    assert.match(msg, /^5 validation errors detected: /);
    assert.equal(msg.split('; ').length, 5);
  });
});

describe('valid inputs', () => {
  it('AdminCreateUser', () => {
    validateInput(model, 'AdminCreateUser', {
      UserPoolId: POOL,
      Username: 'alice@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:tier', Value: 'gold' },
      ],
      ValidationData: [{ Name: 'k', Value: 'v' }],
      TemporaryPassword: 'Temp#Passw0rd',
      ForceAliasCreation: false,
      MessageAction: 'SUPPRESS',
      DesiredDeliveryMediums: ['EMAIL', 'SMS'],
      ClientMetadata: { source: 'test' },
    });
  });

  it('CreateUserPool with full Policies and Schema', () => {
    validateInput(model, 'CreateUserPool', {
      PoolName: 'My pool_1',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          PasswordHistorySize: 5,
          TemporaryPasswordValidityDays: 7,
        },
        SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] },
      },
      DeletionProtection: 'ACTIVE',
      LambdaConfig: {
        PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:pre-signup',
        PreTokenGenerationConfig: {
          LambdaVersion: 'V2_0',
          LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:pre-token',
        },
      },
      AutoVerifiedAttributes: ['email'],
      UsernameAttributes: ['email'],
      SmsVerificationMessage: 'Your code is {####}',
      EmailVerificationMessage: 'Your verification code is {####}.',
      EmailVerificationSubject: 'Verify your email',
      VerificationMessageTemplate: {
        SmsMessage: 'Code: {####}',
        EmailMessage: 'Code: {####}',
        EmailSubject: 'Your code',
        EmailMessageByLink: 'Click {##Verify Email##}',
        EmailSubjectByLink: 'Verify',
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
      },
      SmsAuthenticationMessage: 'Auth code {####}',
      MfaConfiguration: 'OPTIONAL',
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com',
        From: 'Example <no-reply@example.com>',
        ReplyToEmailAddress: 'support@example.com',
        ConfigurationSet: 'my-config_set',
      },
      SmsConfiguration: {
        SnsCallerArn: 'arn:aws:iam::123456789012:role/sns-caller',
        ExternalId: 'ext-1',
        SnsRegion: 'us-east-1',
      },
      UserPoolTags: { team: 'identity', env: 'test' },
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: true,
        UnusedAccountValidityDays: 7,
        InviteMessageTemplate: {
          SMSMessage: 'Hi {username},\nyour password is {####}',
          EmailMessage: 'Hello {username}, your temporary password is {####}',
          EmailSubject: 'Welcome!',
        },
      },
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Mutable: true, Required: true },
        {
          Name: 'tier',
          AttributeDataType: 'String',
          DeveloperOnlyAttribute: false,
          Mutable: true,
          Required: false,
          StringAttributeConstraints: { MinLength: '1', MaxLength: '32' },
        },
        { Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
      ],
      UserPoolAddOns: { AdvancedSecurityMode: 'OFF' },
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Priority: 1, Name: 'verified_email' },
          { Priority: 2, Name: 'verified_phone_number' },
        ],
      },
      UserPoolTier: 'ESSENTIALS',
    });
  });

  it('ListUsers', () => {
    validateInput(model, 'ListUsers', {
      UserPoolId: POOL,
      AttributesToGet: ['email', 'custom:tier'],
      Limit: 10,
      PaginationToken: 'abc123==',
      Filter: 'email ^= "alice"',
    });
  });

  it('ignores unknown members', () => {
    validateInput(model, 'ListUsers', { UserPoolId: POOL, Bogus: { anything: [1, 2, 3] }, userPoolId: 5 });
  });

  it('compiled per-operation validator behaves the same', () => {
    const v = operationValidator(model, 'ListUsers');
    v({ UserPoolId: POOL });
    assert.throws(() => v({}), (e: unknown) => e instanceof CognitoError && e.type === 'InvalidParameterException');
    const unknown = caught(() => operationValidator(model, 'NoSuchOperation'));
    assert.equal(unknown.type, 'UnknownOperationException');
    assert.equal(caught(() => validateInput(model, 'NoSuchOperation', {})).type, 'UnknownOperationException');
  });
});

describe('whole model', () => {
  it('every operation validates {} without throwing anything but CognitoError', () => {
    precompile(model);
    for (const op of operationNames(model)) {
      try {
        validateInput(model, op, {});
      } catch (err) {
        assert.ok(err instanceof CognitoError, `${op}: ${String(err)}`);
        assert.equal(err.type, 'InvalidParameterException', `${op}: ${err.message}`);
        assert.match(err.message, /^\d+ validation errors? detected: Value null at '[a-zA-Z]+' failed to satisfy constraint: Member must not be null/);
      }
    }
  });

  it('every operation rejects wrongly typed members with SerializationException', () => {
    for (const op of operationNames(model)) {
      const shape = model.shapes.get(inputShapeName(model, op) ?? '');
      if (shape === undefined || shape.type !== 'structure') continue;
      for (const member of shape.members) {
        const target = model.shapes.get(member.shape);
        if (target === undefined || (target.type === 'structure' && target.document)) continue;
        // An array is wrong for everything but a list; an object is wrong for a list.
        const wrong = target.type === 'list' ? { x: 1 } : [1];
        const err = caught(() => validateInput(model, op, { [member.name]: wrong }));
        assert.equal(err.type, 'SerializationException', `${op}.${member.name}: ${err.message}`);
      }
    }
  });

  it('every pattern in the model compiles or is recorded as skipped', () => {
    const skipped = skippedPatterns(model);
    let total = 0;
    for (const [name, shape] of model.shapes) {
      if (shape.type !== 'string' || shape.pattern === undefined) continue;
      total++;
      const compiled = compileJavaPattern(shape.pattern);
      if ('reason' in compiled) assert.ok(skipped.some((s) => s.shape === name), `${name} neither compiled nor recorded`);
    }
    console.log(`patterns: ${total} in the model, ${skipped.length} skipped`);
    for (const s of skipped) console.log(`  skipped ${s.shape} ${s.pattern}: ${s.reason}`);
    assert.ok(total >= 50);
  });
});

describe('Java regex translation', () => {
  const matches = (pattern: string, value: string): boolean => {
    const c = compileJavaPattern(pattern);
    assert.ok('regex' in c, `${pattern} did not compile`);
    return c.regex.test(value);
  };

  it('uses Java whitespace semantics for \\s and \\S', () => {
    assert.equal(matches('[\\S]+', 'abc'), true);
    assert.equal(matches('[\\S]+', 'a b'), false);
    assert.equal(matches('[\\S]+', 'a\u00a0b'), true); // NBSP is not whitespace for Java's \S
    assert.equal(matches('[\\w\\s+=,.@-]+', 'My pool'), true);
    assert.equal(matches('[\\w\\s+=,.@-]+', 'My\u2003pool'), false); // em space is not Java \s
    assert.equal(matches('[^\\S]+', ' \t'), true);
  });

  it('handles dot, DOTALL, anchors and full matching', () => {
    assert.equal(matches('.*\\{####\\}.*', 'code {####}'), true);
    assert.equal(matches('.*\\{####\\}.*', 'code\n{####}'), false);
    assert.equal(matches('(?s).*', 'multi\nline'), true);
    assert.equal(matches('^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$', 'my-domain'), true);
    assert.equal(matches('^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$', 'my-domain-'), false);
    assert.equal(matches('^[0-9A-Za-z\\.\\-_]*(?<!\\.)$', 'bucket.'), false);
    assert.equal(matches('[0-9]+', '12a'), false);
    assert.equal(matches('a|b', 'ab'), false);
  });

  it('supports Unicode categories', () => {
    assert.equal(matches('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+', 'Zoë_ñ-日本\u{1F600}'), true);
    assert.equal(matches('[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+', 'two words'), false);
    assert.equal(matches('\\p{IsL}+', 'abc'), true);
  });

  it('records constructs it cannot translate faithfully', () => {
    for (const p of ['a++', '(?>a)', '\\p{Alpha}', '[a[b]]', '[a&&b]', 'x{', '\\bword', '(?i:a)', '\\']) {
      const t = translateJavaRegex(p);
      assert.equal(t.ok, false, p);
      assert.ok('reason' in compileJavaPattern(p), p);
    }
  });
});
