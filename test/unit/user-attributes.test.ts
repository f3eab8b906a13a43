import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STANDARD_ATTRIBUTES, type SchemaAttribute } from '../../src/domain/schema-attributes.js';
import {
  applyAttributeDeletes,
  applyAttributeWrites,
  checkReadableNames,
  missingRequired,
  parseAttributes,
  requiredAttributesError,
} from '../../src/domain/user-attributes.js';

const schema: SchemaAttribute[] = [
  ...STANDARD_ATTRIBUTES.map((a) => (a.Name === 'email' ? { ...a, Required: true } : { ...a })),
  { Name: 'custom:team', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { MinLength: '2', MaxLength: '5' } },
  { Name: 'custom:badge', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: false, Required: false, StringAttributeConstraints: {} },
  { Name: 'custom:age', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
];

const w = (name: string, value?: string) => ({ name, value });
const invalid = (message: string) => ({ name: 'InvalidParameterException', message });

describe('user attributes', () => {
  it('sets valid attributes, keeping boolean text as sent', () => {
    const out = applyAttributeWrites(schema, {}, [w('email', 'a@example.com'), w('email_verified', 'True'), w('custom:age', '42')], 'create');
    assert.deepEqual(out, { email: 'a@example.com', email_verified: 'True', 'custom:age': '42' });
  });

  it('refuses unknown attributes with Cognito wording', () => {
    assert.throws(() => applyAttributeWrites(schema, {}, [w('favourite', 'x')], 'create'), invalid('Attributes did not conform to the schema: favourite: Attribute does not exist in the schema.\n'));
    assert.throws(() => applyAttributeWrites(schema, {}, [w('custom:nope', 'x')], 'create'), invalid('Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined'));
  });

  it('reports every unknown standard name at once', () => {
    assert.throws(
      () => applyAttributeWrites(schema, {}, [w('favourite', 'x'), w('name', 'N'), w('colour', 'y')], 'create'),
      invalid('Attributes did not conform to the schema: favourite: Attribute does not exist in the schema.\ncolour: Attribute does not exist in the schema.\n'),
    );
    assert.throws(() => applyAttributeDeletes(schema, {}, ['nope']), invalid('Attributes did not conform to the schema: nope: Attribute does not exist in the schema.\n'));
  });

  it('never lets sub be written', () => {
    assert.throws(() => applyAttributeWrites(schema, {}, [w('sub', 'x')], 'create'), invalid('user.sub: Attribute cannot be updated.\n'));
    assert.throws(() => applyAttributeDeletes(schema, {}, ['sub']), invalid('user.sub: Attribute cannot be updated.\n'));
  });

  it('checks formats and schema constraints', () => {
    assert.throws(() => applyAttributeWrites(schema, {}, [w('email', 'nope')], 'create'), invalid('Invalid email address format.'));
    assert.throws(() => applyAttributeWrites(schema, {}, [w('phone_number', '0123')], 'create'), invalid('Invalid phone number format.'));
    assert.throws(() => applyAttributeWrites(schema, {}, [w('phone_number', '+44 20')], 'create'), invalid('Invalid phone number format.'));
    assert.deepEqual(applyAttributeWrites(schema, {}, [w('phone_number', '+442071234567')], 'create'), { phone_number: '+442071234567' });
    assert.throws(() => applyAttributeWrites(schema, { email: 'a@b.c' }, [w('email_verified', 'yes')], 'create'), { name: 'InvalidParameterException' });
    assert.throws(() => applyAttributeWrites(schema, {}, [w('custom:team', 'abcdef')], 'create'), invalid('Attributes did not conform to the schema: custom:team: String must be no longer than 5 characters\n'));
    assert.throws(() => applyAttributeWrites(schema, {}, [w('custom:team', 'a')], 'create'), { name: 'InvalidParameterException' });
    assert.throws(() => applyAttributeWrites(schema, {}, [w('custom:age', 'old')], 'create'), { name: 'InvalidParameterException' });
    assert.throws(() => applyAttributeWrites(schema, {}, [w('custom:age', '151')], 'create'), { name: 'InvalidParameterException' });
    assert.throws(() => applyAttributeWrites(schema, {}, [w('birthdate', '1990')], 'create'), { name: 'InvalidParameterException' });
  });

  it('needs the contact attribute to set its verified flag', () => {
    assert.throws(() => applyAttributeWrites(schema, {}, [w('email_verified', 'true')], 'create'), invalid('Email is required to verify/un-verify an email'));
    assert.throws(() => applyAttributeWrites(schema, {}, [w('phone_number_verified', 'true')], 'create'), invalid('Phone Number is required to verify/un-verify a phone number'));
  });

  it('sets immutable attributes at creation only', () => {
    assert.deepEqual(applyAttributeWrites(schema, {}, [w('custom:badge', 'gold')], 'create'), { 'custom:badge': 'gold' });
    assert.throws(() => applyAttributeWrites(schema, {}, [w('custom:badge', 'gold')], 'update'), invalid('user.custom:badge: Attribute cannot be updated.\n'));
  });

  it('unverifies a changed email unless verified in the same request', () => {
    const current = { email: 'a@example.com', email_verified: 'true' };
    assert.deepEqual(applyAttributeWrites(schema, current, [w('email', 'b@example.com')], 'update'), { email: 'b@example.com', email_verified: 'false' });
    assert.deepEqual(applyAttributeWrites(schema, current, [w('email', 'b@example.com'), w('email_verified', 'true')], 'update'), { email: 'b@example.com', email_verified: 'true' });
    assert.deepEqual(applyAttributeWrites(schema, current, [w('email', 'a@example.com')], 'update'), current);
  });

  it('deletes on a blank value, except required attributes', () => {
    assert.deepEqual(applyAttributeWrites(schema, { name: 'A', email: 'a@b' }, [w('name', '')], 'update'), { email: 'a@b' });
    assert.throws(() => applyAttributeWrites(schema, { email: 'a@b' }, [w('email')], 'update'), invalid('user.email: Required attribute cannot be deleted.'));
  });

  it('deletes attributes, with the verified flag of a deleted contact', () => {
    const current = { phone_number: '+15555550100', phone_number_verified: 'true', name: 'A' };
    assert.deepEqual(applyAttributeDeletes(schema, current, ['phone_number']), { name: 'A' });
    assert.throws(() => applyAttributeDeletes(schema, current, ['email']), invalid('user.email: Required attribute cannot be deleted.'));
    assert.throws(() => applyAttributeDeletes(schema, current, ['custom:badge']), invalid('user.custom:badge: Attribute cannot be updated.\n'));
  });

  it('lists missing required attributes', () => {
    assert.deepEqual(missingRequired(schema, {}), ['email']);
    assert.deepEqual(missingRequired(schema, { email: 'a@b' }), []);
    assert.equal(requiredAttributesError(['email', 'name']).message, 'Attributes did not conform to the schema: email: The attribute is required\nname: The attribute is required\n');
  });

  it('checks names to read', () => {
    checkReadableNames(schema, ['sub', 'email', 'custom:team']);
    assert.throws(() => checkReadableNames(schema, ['custom:nope']), invalid('One or more requested attributes do not exist.'));
  });

  it('parses stored attributes, keeping only strings', () => {
    assert.deepEqual(parseAttributes('{"a":"1","b":2}'), { a: '1' });
    assert.deepEqual(parseAttributes('[]'), {});
  });
});
