/**
 * Messages of model-driven input validation (see ../validate.ts): the SerializationExceptions Coral gives for
 * values of the wrong JSON type, Java-`toString()`-like value rendering and the violation list formatting.
 */
import { CognitoError } from '../errors.js';
import type { Node } from './compile.js';

// =================================================================================================================
// Deserialization errors
// =================================================================================================================

/** Package Coral would name the model classes with, used in "Unrecognized collection type class ..." messages. */
const MODEL_PACKAGE = 'com.amazonaws.cognito.identity.idp.model';
const START_OF_STRUCTURE = 'Start of structure or map found where not expected';

function serialization(message: string): CognitoError {
  return new CognitoError('SerializationException', message);
}

function token(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

function javaClass(node: Node): string {
  switch (node.kind) {
    case 'string':
      return 'java.lang.String';
    case 'number':
      return `java.lang.${node.javaType}`;
    case 'boolean':
      return 'java.lang.Boolean';
    case 'blob':
      return 'java.nio.ByteBuffer';
    case 'timestamp':
      return 'java.util.Date';
    case 'list':
      return 'java.util.List';
    case 'map':
      return 'java.util.Map';
    case 'document':
      return 'com.amazon.coral.value.Document';
    case 'structure':
      return `${MODEL_PACKAGE}.${node.name}`;
  }
}

/** The SerializationException for a (non-null) JSON value that does not fit `node`. */
export function typeMismatch(node: Node, value: unknown): CognitoError {
  if (Array.isArray(value)) {
    if (node.kind === 'map') {
      return serialization(`Unrecognized collection type java.util.Map<java.lang.String, ${javaClass(node.value)}>`);
    }
    return serialization(`Unrecognized collection type class ${javaClass(node)}`);
  }
  if (value === null) return serialization('Unexpected field type');
  if (typeof value === 'object') return serialization(START_OF_STRUCTURE);
  switch (node.kind) {
    case 'list':
    case 'map':
    case 'structure':
      return serialization('Unexpected field type');
    case 'boolean':
      return serialization(
        typeof value === 'string' ? 'Unexpected token received from parser' : `${token(value)} cannot be converted to Boolean`,
      );
    case 'blob':
      return serialization('only base-64-encoded strings are convertible to bytes');
    case 'string':
      return serialization(`${token(value)} cannot be converted to String`);
    case 'number':
      return serialization(`${token(value)} cannot be converted to ${node.javaType}`);
    case 'timestamp':
      return serialization(`${token(value)} cannot be converted to Date`);
    case 'document':
      return serialization('Unexpected field type'); // unreachable: documents accept anything
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size of a base64 blob; throws the SerializationException Coral gives for malformed base64. */
export function blobLength(value: string): number {
  const n = value.length;
  if (n % 4 !== 0) throw serialization(`Base64 encoded length is expected a multiple of 4 bytes but found: ${n}`);
  if (!BASE64.test(value)) throw serialization('Invalid Base64 character detected');
  let pad = 0;
  if (n > 0 && value.charCodeAt(n - 1) === 61) pad++;
  if (n > 1 && value.charCodeAt(n - 2) === 61) pad++;
  return (n / 4) * 3 - pad;
}

const REDACTED = '*** Sensitive Data Redacted ***';

/** Java-`toString()`-like rendering of a value, as Coral prints it inside `Value '...'`. */
export function render(value: unknown, node: Node): string {
  if (value === null || value === undefined) return 'null';
  if (node.kind === 'blob' && typeof value === 'string') {
    const n = blobLength(value);
    return `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const item = node.kind === 'list' ? node.item : node;
    return `[${value.map((v) => (item.sensitive ? REDACTED : render(v, item))).join(', ')}]`;
  }
  if (!isJsonObject(value)) return String(value);
  if (node.kind === 'map') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(`${k}=${node.value.sensitive ? REDACTED : render(v, node.value)}`);
    return `{${parts.join(', ')}}`;
  }
  if (node.kind === 'structure') {
    const parts: string[] = [];
    for (const m of node.members) {
      const v = value[m.wire];
      if (v === undefined || v === null) continue;
      parts.push(`${m.wire}=${m.node.sensitive ? REDACTED : render(v, m.node)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(value);
}

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function withNotNull(summary: string, hasNull: boolean): string {
  if (!hasNull) return summary;
  return summary === '' ? 'Member must not be null' : `${summary}, Member must not be null`;
}

/** The InvalidParameterException message for a list of violations. */
export function formatViolations(errors: readonly string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

export function unknownOperation(op: string): CognitoError {
  return new CognitoError('UnknownOperationException', `Unknown operation ${op}`);
}
