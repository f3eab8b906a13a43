/**
 * Inputs generated from the service model for protocol-level tests: a minimal valid input per operation
 * (every required member, each value satisfying its shape's constraints), and helpers to describe members.
 */
import { getShape, loadServiceModel, type ServiceModel, type ShapeModel } from '../../src/api/model.js';
import { compileJavaPattern } from '../../src/api/java-regex.js';
import { validationErrors } from '../../src/api/validate.js';

export const model: ServiceModel = loadServiceModel();

/** Candidate strings tried, in order, against a pattern (and the shape's length bounds). */
const CANDIDATES = [
  'us-east-1_AbCdEf123',
  'us-east-1_0123abcd-ef01',
  'abc123',
  'abcdef',
  '123456',
  'Passw0rd!',
  'abcDEF123=',
  'arn:aws:iam::123456789012:role/tessera-test',
  'import-AbC123',
  'terms-of-use',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  'user@example.com',
  'https://example.com/callback',
  'a',
];

const patternCache = new Map<string, RegExp | null>();

function matches(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    const c = compileJavaPattern(pattern);
    re = 'regex' in c ? c.regex : null;
    patternCache.set(pattern, re);
  }
  return re === null ? true : re.test(value);
}

function fits(shape: { min?: number; max?: number; pattern?: string }, value: string): boolean {
  const n = [...value].length;
  if (shape.min !== undefined && n < shape.min) return false;
  if (shape.max !== undefined && n > shape.max) return false;
  return shape.pattern === undefined || matches(shape.pattern, value);
}

function validString(shape: Extract<ShapeModel, { type: 'string' }>): string {
  const first = shape.enum?.[0];
  if (first !== undefined) return first;
  for (const c of CANDIDATES) if (fits(shape, c)) return c;
  const min = Math.max(shape.min ?? 1, 1);
  for (const ch of ['a', '1', 'A']) {
    const c = ch.repeat(min);
    if (fits(shape, c)) return c;
  }
  throw new Error(`cannot generate a valid value for string shape ${shape.name} (${shape.pattern ?? 'no pattern'})`);
}

/** A valid value for a shape: only required structure members, minimal collections. */
export function validValue(shapeName: string, depth = 0): unknown {
  if (depth > 12) throw new Error(`shape ${shapeName} nests too deep for the generator`);
  const shape = getShape(model, shapeName);
  switch (shape.type) {
    case 'string':
      return validString(shape);
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return Math.min(Math.max(shape.min ?? 1, 1), shape.max ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return true;
    case 'timestamp':
      return 0;
    case 'blob':
      return Buffer.alloc(Math.max(shape.min ?? 1, 1), 7).toString('base64');
    case 'list':
      return Array.from({ length: shape.min ?? 0 }, () => validValue(shape.member, depth + 1));
    case 'map': {
      const out: Record<string, unknown> = {};
      const key = validValue(shape.key, depth + 1);
      if ((shape.min ?? 0) > 0 && typeof key === 'string') out[key] = validValue(shape.value, depth + 1);
      return out;
    }
    case 'structure': {
      if (shape.document) return {};
      const out: Record<string, unknown> = {};
      for (const m of shape.members) if (shape.required.has(m.name)) out[m.name] = validValue(m.shape, depth + 1);
      return out;
    }
  }
}

/** A minimal valid input for `op`; throws if the generated input does not validate (a generator gap). */
export function validInput(op: string): Record<string, unknown> {
  const inputShape = model.operations.get(op)?.input;
  if (inputShape === undefined) return {};
  const v = validValue(inputShape);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`input of ${op} is not a structure`);
  const errors = validationErrors(model, op, v);
  if (errors.length > 0) throw new Error(`generated input for ${op} is invalid: ${errors.join('; ')}`);
  return { ...v };
}

/** Members of an operation's input structure with their shapes. */
export function inputMembers(op: string): Array<{ name: string; shape: ShapeModel; required: boolean }> {
  const inputShape = model.operations.get(op)?.input;
  if (inputShape === undefined) return [];
  const s = getShape(model, inputShape);
  if (s.type !== 'structure') return [];
  return s.members.map((m) => ({ name: m.name, shape: getShape(model, m.shape), required: s.required.has(m.name) }));
}

/** The path segment Coral prints for a member: the name with its first letter lower-cased. */
export function segment(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function isSigned(op: string): boolean {
  return model.operations.get(op)?.signed ?? true;
}
