import { CognitoError, invalidParameter } from './errors.js';
import type { SchemaAttribute } from './schema-attributes.js';

/**
 * A user's attributes by name, in the order they were first set. `sub` is not kept here: it is the user's
 * id, and the service adds it when it answers.
 */
export type AttributeMap = Record<string, string>;

/** One `AttributeType` of a request: `Value` may be missing or blank (meaning "delete" on update). */
export interface AttributeWrite {
  name: string;
  value: string | undefined;
}

/** The verified flag that goes with a contact attribute. */
export const VERIFIED_FLAG = { email: 'email_verified', phone_number: 'phone_number_verified' } as const;

/**
 * Cognito's schema-conformance wording: every problem is `name: problem` and ends with a newline
 * (observed: "Attributes did not conform to the schema: custom:x: Attribute does not exist in the schema.\n").
 */
function schemaError(problems: ReadonlyArray<readonly [string, string]>): CognitoError {
  return invalidParameter(`Attributes did not conform to the schema: ${problems.map(([n, p]) => `${n}: ${p}\n`).join('')}`);
}

/** `user.<name>: Attribute cannot be updated.` — Cognito's answer to a write of an immutable attribute. */
export const immutableError = (name: string): CognitoError => invalidParameter(`user.${name}: Attribute cannot be updated.\n`);
export const requiredDeleteError = (name: string): CognitoError => invalidParameter(`user.${name}: Required attribute cannot be deleted.`);

// Lenient on purpose, as Cognito is: one @, something either side, no whitespace.
const EMAIL = /^[^\s@]+@[^\s@]+$/;
// E.164: `+`, a country code that does not start with 0, at most 15 digits in all.
const PHONE = /^\+[1-9][0-9]{1,14}$/;

export const isEmail = (s: string): boolean => EMAIL.test(s);
export const isPhoneNumber = (s: string): boolean => PHONE.test(s);

/** Whether a boolean attribute (a verified flag) is true; its text may be in any case. */
export const isTrue = (v: string | undefined): boolean => v?.toLowerCase() === 'true';

export function parseAttributes(json: string): AttributeMap {
  const parsed: unknown = JSON.parse(json);
  const out: AttributeMap = {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return out;
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Looks every name up in the schema, answering Cognito's errors for `sub` and for names it does not know:
 * a custom name the pool never defined has no type; other unknown names are all reported together, one
 * line each (observed: "...: custom:firstName: Attribute does not exist in the schema.\ncustom:lastName: ...").
 */
function schemaAttributes(schema: readonly SchemaAttribute[], names: readonly string[]): SchemaAttribute[] {
  const missing: Array<[string, string]> = [];
  const found: SchemaAttribute[] = [];
  for (const name of names) {
    if (name === 'sub') throw immutableError('sub');
    const def = schema.find((a) => a.Name === name);
    if (def) found.push(def);
    else if (name.startsWith('custom:') || name.startsWith('dev:custom:')) {
      throw invalidParameter(`Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`);
    } else missing.push([name, 'Attribute does not exist in the schema.']);
  }
  if (missing.length > 0) throw schemaError(missing);
  return found;
}

/** The stored form of a value, or the schema error Cognito gives for it. */
function checkedValue(def: SchemaAttribute, value: string): string {
  const name = def.Name;
  if (name === 'email' && !isEmail(value)) throw invalidParameter('Invalid email address format.');
  if (name === 'phone_number' && !isPhoneNumber(value)) throw invalidParameter('Invalid phone number format.');
  switch (def.AttributeDataType) {
    case 'Boolean': {
      // Any case is accepted and the text is kept as sent ('True' stays 'True', as Cognito keeps it).
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw schemaError([[name, 'Attribute value must be true or false.']]);
      return value;
    }
    case 'Number':
      checkNumber(def, value);
      return value;
    case 'String':
      checkLength(def, value);
      return value;
    case 'DateTime':
      return value;
  }
}

function checkNumber(def: SchemaAttribute, value: string): void {
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(value)) throw schemaError([[def.Name, 'Number expected.']]);
  const n = Number(value);
  const min = def.NumberAttributeConstraints?.MinValue;
  const max = def.NumberAttributeConstraints?.MaxValue;
  if (min !== undefined && n < Number(min)) throw schemaError([[def.Name, `Number must be no less than ${min}`]]);
  if (max !== undefined && n > Number(max)) throw schemaError([[def.Name, `Number must be no greater than ${max}`]]);
}

function checkLength(def: SchemaAttribute, value: string): void {
  const length = [...value].length;
  const min = def.StringAttributeConstraints?.MinLength;
  const max = def.StringAttributeConstraints?.MaxLength;
  if (max !== undefined && length > Number(max)) throw schemaError([[def.Name, `String must be no longer than ${max} characters`]]);
  if (min !== undefined && length < Number(min)) throw schemaError([[def.Name, `String must be no shorter than ${min} characters`]]);
}

/**
 * Applies the attributes of an AdminCreateUser ('create') or AdminUpdateUserAttributes ('update') request
 * to `current`, validating each against the pool schema. On update, immutable attributes are refused
 * (they can only be set when the user is created), a blank value deletes the attribute, and a changed
 * email or phone number becomes unverified unless its verified flag is set in the same request
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html).
 */
export function applyAttributeWrites(
  schema: readonly SchemaAttribute[],
  current: Readonly<AttributeMap>,
  writes: readonly AttributeWrite[],
  mode: 'create' | 'update',
): AttributeMap {
  const next: AttributeMap = { ...current };
  const written = new Set<string>();
  const defs = schemaAttributes(schema, writes.map((w) => w.name));
  for (const [i, w] of writes.entries()) {
    const def = defs[i];
    if (def === undefined) continue;
    if (mode === 'update' && !def.Mutable) throw immutableError(w.name);
    written.add(w.name);
    const value = w.value ?? '';
    if (value === '') {
      if (mode === 'update' && def.Required) throw requiredDeleteError(w.name);
      delete next[w.name];
      continue;
    }
    next[w.name] = checkedValue(def, value);
  }
  for (const [contact, flag] of Object.entries(VERIFIED_FLAG)) {
    if (written.has(flag) && next[contact] === undefined) {
      throw invalidParameter(contact === 'email' ? 'Email is required to verify/un-verify an email' : 'Phone Number is required to verify/un-verify a phone number');
    }
    if (!written.has(contact) || written.has(flag)) continue;
    if (next[contact] === undefined) delete next[flag];
    else if (mode === 'update' && next[contact] !== current[contact]) next[flag] = 'false';
  }
  return next;
}

/**
 * AdminDeleteUserAttributes: every name must exist, be mutable and not be required. Deleting a contact
 * attribute also deletes its verified flag.
 */
export function applyAttributeDeletes(schema: readonly SchemaAttribute[], current: Readonly<AttributeMap>, names: readonly string[]): AttributeMap {
  const next: AttributeMap = { ...current };
  for (const def of schemaAttributes(schema, names)) {
    const name = def.Name;
    if (!def.Mutable) throw immutableError(name);
    if (def.Required) throw requiredDeleteError(name);
    delete next[name];
    if (name === 'email' || name === 'phone_number') delete next[VERIFIED_FLAG[name]];
  }
  return next;
}

/** Required schema attributes (other than `sub`) that have no value. */
export function missingRequired(schema: readonly SchemaAttribute[], attrs: Readonly<AttributeMap>): string[] {
  return schema.filter((a) => a.Required && a.Name !== 'sub' && !attrs[a.Name]).map((a) => a.Name);
}

/** The error for missing required attributes (the NEW_PASSWORD_REQUIRED challenge and sign-up use it). */
export function requiredAttributesError(names: readonly string[]): CognitoError {
  return schemaError(names.map((n) => [n, 'The attribute is required'] as const));
}

/** ListUsers AttributesToGet: every name must be an attribute of the pool. */
export function checkReadableNames(schema: readonly SchemaAttribute[], names: readonly string[]): void {
  for (const n of names) {
    if (n !== 'sub' && !schema.some((a) => a.Name === n)) throw invalidParameter('One or more requested attributes do not exist.');
  }
}
