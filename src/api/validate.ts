/**
 * Model-driven input validation, reproducing what the Coral front end of cognito-idp does before an operation
 * runs:
 *
 * 1. Deserialization: a JSON value of the wrong type for its member fails the whole request at once with a
 *    `SerializationException` (wording as observed on Coral awsJson services: `NUMBER_VALUE cannot be converted
 *    to String`, `Unexpected field type`, `Start of structure or map found where not expected`, ...).
 * 2. Constraint validation: every violation of `required`, `min`/`max` (length, element count or value),
 *    `pattern` and `enum` is collected in traversal order and reported together in one
 *    `InvalidParameterException`:
 *    `2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be
 *    null; Value 'x' at 'username' failed to satisfy constraint: ...`.
 *
 * Message conventions (as Coral prints them):
 * - paths use member names with the first letter lower-cased, joined by dots; list elements of structures are
 *   `userAttributes.1.member.name` (1-based);
 * - values are Java `toString()`s in single quotes (`'abc'`, `'0'`, `'[a, b]'`, `'{k=v}'`); a missing value is
 *   `Value null at ...`; members whose shape (or an enclosing shape) is `sensitive` print as `Value at ...`;
 * - a list of scalars (or a map's keys/values) is validated as a whole: if any element violates a constraint,
 *   one error is reported at the list's path: `Member must satisfy constraint: [<all element constraints>]`,
 *   `Map keys must satisfy constraint: [...]`, `Map value must satisfy constraint: [...]`;
 * - string lengths count Unicode code points; blob lengths count decoded bytes.
 *
 * Unknown members are ignored. Everything is compiled once per shape (patterns included) and cached per model,
 * so a request validates in a few microseconds.
 */
import { CognitoError } from './errors.js';
import { compileJavaPattern } from './java-regex.js';
import { getShape, type ServiceModel, type ShapeModel } from './model.js';

// =================================================================================================================
// Compiled shapes
// =================================================================================================================

interface NodeBase {
  readonly name: string;
  readonly sensitive: boolean;
}

interface StringNode extends NodeBase {
  readonly kind: 'string';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly regex: RegExp | undefined;
  readonly enumValues: ReadonlySet<string> | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
  readonly patternMsg: string;
  readonly enumMsg: string;
  /** All constraints, for `Member must satisfy constraint: [...]`. */
  readonly summary: string;
}

interface NumberNode extends NodeBase {
  readonly kind: 'number';
  readonly javaType: 'Integer' | 'Long' | 'Float' | 'Double';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
  readonly summary: string;
}

interface BlobNode extends NodeBase {
  readonly kind: 'blob';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
  readonly summary: string;
}

interface BooleanNode extends NodeBase {
  readonly kind: 'boolean';
  readonly summary: string;
}

interface TimestampNode extends NodeBase {
  readonly kind: 'timestamp';
  readonly summary: string;
}

interface DocumentNode extends NodeBase {
  readonly kind: 'document';
}

interface ListNode extends NodeBase {
  readonly kind: 'list';
  item: Node;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
}

interface MapNode extends NodeBase {
  readonly kind: 'map';
  key: StringNode;
  value: Node;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
}

interface MemberNode {
  /** JSON member name, e.g. `UserPoolId`. */
  readonly wire: string;
  /** Path segment, e.g. `userPoolId`. */
  readonly segment: string;
  readonly required: boolean;
  node: Node;
}

interface StructNode extends NodeBase {
  readonly kind: 'structure';
  readonly members: MemberNode[];
}

type ScalarNode = StringNode | NumberNode | BlobNode | BooleanNode | TimestampNode;
type Node = ScalarNode | DocumentNode | ListNode | MapNode | StructNode;

function isScalar(node: Node): node is ScalarNode {
  return (
    node.kind === 'string' ||
    node.kind === 'number' ||
    node.kind === 'blob' ||
    node.kind === 'boolean' ||
    node.kind === 'timestamp'
  );
}

export interface SkippedPattern {
  readonly shape: string;
  readonly pattern: string;
  readonly reason: string;
}

const lengthMax = (n: number | undefined): string => `Member must have length less than or equal to ${n}`;
const lengthMin = (n: number | undefined): string => `Member must have length greater than or equal to ${n}`;
const valueMax = (n: number | undefined): string => `Member must have value less than or equal to ${n}`;
const valueMin = (n: number | undefined): string => `Member must have value greater than or equal to ${n}`;

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Compiles shapes on demand and caches them (and the per-operation entry points) for one model. */
class Compiler {
  private readonly nodes = new Map<string, Node>();
  private readonly ops = new Map<string, StructNode | null>();
  readonly skipped: SkippedPattern[] = [];

  constructor(readonly model: ServiceModel) {}

  /** The input node of an operation; null for an operation without input; undefined for an unknown one. */
  operation(op: string): StructNode | null | undefined {
    const hit = this.ops.get(op);
    if (hit !== undefined) return hit;
    const operation = this.model.operations.get(op);
    if (operation === undefined) return undefined;
    let node: StructNode | null = null;
    if (operation.input !== undefined) {
      const compiled = this.node(operation.input);
      if (compiled.kind !== 'structure') throw new Error(`input of ${op} is not a structure`);
      node = compiled;
    }
    this.ops.set(op, node);
    return node;
  }

  node(name: string): Node {
    const hit = this.nodes.get(name);
    if (hit !== undefined) return hit;
    const shape = getShape(this.model, name);
    return this.compile(shape);
  }

  private compile(shape: ShapeModel): Node {
    const { name, sensitive } = shape;
    switch (shape.type) {
      case 'string': {
        let regex: RegExp | undefined;
        if (shape.pattern !== undefined) {
          const compiled = compileJavaPattern(shape.pattern);
          if ('regex' in compiled) regex = compiled.regex;
          else this.skipped.push({ shape: name, pattern: shape.pattern, reason: compiled.reason });
        }
        const enumText = shape.enum === undefined ? '' : `Member must satisfy enum value set: [${shape.enum.join(', ')}]`;
        const summary: string[] = [];
        if (shape.max !== undefined) summary.push(lengthMax(shape.max));
        if (shape.min !== undefined) summary.push(lengthMin(shape.min));
        if (shape.pattern !== undefined) summary.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
        if (shape.enum !== undefined) summary.push(enumText);
        return this.store({
          kind: 'string',
          name,
          sensitive,
          min: shape.min,
          max: shape.max,
          regex,
          enumValues: shape.enum === undefined ? undefined : new Set(shape.enum),
          maxMsg: lengthMax(shape.max),
          minMsg: lengthMin(shape.min),
          patternMsg: `Member must satisfy regular expression pattern: ${shape.pattern ?? ''}`,
          enumMsg: enumText,
          summary: summary.join(', '),
        });
      }
      case 'integer':
      case 'long':
      case 'float':
      case 'double': {
        const summary: string[] = [];
        if (shape.max !== undefined) summary.push(valueMax(shape.max));
        if (shape.min !== undefined) summary.push(valueMin(shape.min));
        const javaType =
          shape.type === 'integer' ? 'Integer' : shape.type === 'long' ? 'Long' : shape.type === 'float' ? 'Float' : 'Double';
        return this.store({
          kind: 'number',
          name,
          sensitive,
          javaType,
          min: shape.min,
          max: shape.max,
          maxMsg: valueMax(shape.max),
          minMsg: valueMin(shape.min),
          summary: summary.join(', '),
        });
      }
      case 'blob': {
        const summary: string[] = [];
        if (shape.max !== undefined) summary.push(lengthMax(shape.max));
        if (shape.min !== undefined) summary.push(lengthMin(shape.min));
        return this.store({
          kind: 'blob',
          name,
          sensitive,
          min: shape.min,
          max: shape.max,
          maxMsg: lengthMax(shape.max),
          minMsg: lengthMin(shape.min),
          summary: summary.join(', '),
        });
      }
      case 'boolean':
        return this.store({ kind: 'boolean', name, sensitive, summary: '' });
      case 'timestamp':
        return this.store({ kind: 'timestamp', name, sensitive, summary: '' });
      case 'list': {
        const node: ListNode = {
          kind: 'list',
          name,
          sensitive,
          item: PLACEHOLDER,
          min: shape.min,
          max: shape.max,
          maxMsg: lengthMax(shape.max),
          minMsg: lengthMin(shape.min),
        };
        this.store(node);
        node.item = this.node(shape.member);
        return node;
      }
      case 'map': {
        const node: MapNode = {
          kind: 'map',
          name,
          sensitive,
          key: PLACEHOLDER_KEY,
          value: PLACEHOLDER,
          min: shape.min,
          max: shape.max,
          maxMsg: lengthMax(shape.max),
          minMsg: lengthMin(shape.min),
        };
        this.store(node);
        const key = this.node(shape.key);
        if (key.kind !== 'string') throw new Error(`map ${name} has a non-string key`);
        node.key = key;
        node.value = this.node(shape.value);
        return node;
      }
      case 'structure': {
        if (shape.document) return this.store({ kind: 'document', name, sensitive });
        const node: StructNode = { kind: 'structure', name, sensitive, members: [] };
        this.store(node);
        for (const m of shape.members) {
          node.members.push({
            wire: m.name,
            segment: lowerFirst(m.name),
            required: shape.required.has(m.name),
            node: this.node(m.shape),
          });
        }
        return node;
      }
    }
  }

  private store<T extends Node>(node: T): T {
    this.nodes.set(node.name, node);
    return node;
  }
}

/** Stand-ins while a recursive shape is being compiled (replaced before use). */
const PLACEHOLDER: Node = { kind: 'document', name: '(placeholder)', sensitive: false };
const PLACEHOLDER_KEY: StringNode = {
  kind: 'string',
  name: '(placeholder)',
  sensitive: false,
  min: undefined,
  max: undefined,
  regex: undefined,
  enumValues: undefined,
  maxMsg: '',
  minMsg: '',
  patternMsg: '',
  enumMsg: '',
  summary: '',
};

const compilers = new WeakMap<ServiceModel, Compiler>();

function compilerFor(model: ServiceModel): Compiler {
  let c = compilers.get(model);
  if (c === undefined) {
    c = new Compiler(model);
    compilers.set(model, c);
  }
  return c;
}

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
function typeMismatch(node: Node, value: unknown): CognitoError {
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
function blobLength(value: string): number {
  const n = value.length;
  if (n % 4 !== 0) throw serialization(`Base64 encoded length is expected a multiple of 4 bytes but found: ${n}`);
  if (!BASE64.test(value)) throw serialization('Invalid Base64 character detected');
  let pad = 0;
  if (n > 0 && value.charCodeAt(n - 1) === 61) pad++;
  if (n > 1 && value.charCodeAt(n - 2) === 61) pad++;
  return (n / 4) * 3 - pad;
}

// =================================================================================================================
// Validation
// =================================================================================================================

/** Number of code points, computed only when the UTF-16 length leaves the answer open. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Code-point length of `s` if it may violate [min, max]; otherwise -1 (cheap answer: definitely within bounds). */
function lengthIfNeeded(s: string, min: number | undefined, max: number | undefined): number {
  const units = s.length;
  // code points are in [ceil(units / 2), units]
  const maxOk = max === undefined || units <= max;
  const minOk = min === undefined || (units + 1) >> 1 >= min;
  return maxOk && minOk ? -1 : codePoints(s);
}

/** Type-checks a (non-null) scalar; throws SerializationException (blobs: also malformed base64). */
function checkScalarType(node: ScalarNode, value: unknown): void {
  switch (node.kind) {
    case 'string':
      if (typeof value !== 'string') throw typeMismatch(node, value);
      return;
    case 'number':
    case 'timestamp':
      if (typeof value !== 'number') throw typeMismatch(node, value);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeMismatch(node, value);
      return;
    case 'blob':
      if (typeof value !== 'string') throw typeMismatch(node, value);
      blobLength(value);
      return;
  }
}

/**
 * Constraint messages a (type-checked) scalar violates, appended to `out`; returns whether there was one or more. With
 * `out` undefined only answers the question (stops at the first violation).
 */
function scalarViolations(node: ScalarNode, value: unknown, out: string[] | undefined): boolean {
  let bad = false;
  switch (node.kind) {
    case 'string': {
      if (typeof value !== 'string') return false;
      const len = lengthIfNeeded(value, node.min, node.max);
      if (len >= 0) {
        if (node.max !== undefined && len > node.max) {
          if (out === undefined) return true;
          out.push(node.maxMsg);
          bad = true;
        }
        if (node.min !== undefined && len < node.min) {
          if (out === undefined) return true;
          out.push(node.minMsg);
          bad = true;
        }
      }
      if (node.regex !== undefined && !node.regex.test(value)) {
        if (out === undefined) return true;
        out.push(node.patternMsg);
        bad = true;
      }
      if (node.enumValues !== undefined && !node.enumValues.has(value)) {
        if (out === undefined) return true;
        out.push(node.enumMsg);
        bad = true;
      }
      return bad;
    }
    case 'number':
    case 'blob': {
      let n: number;
      if (node.kind === 'number') {
        if (typeof value !== 'number') return false;
        n = value;
      } else {
        if (typeof value !== 'string' || (node.min === undefined && node.max === undefined)) return false;
        n = blobLength(value);
      }
      if (node.max !== undefined && n > node.max) {
        if (out === undefined) return true;
        out.push(node.maxMsg);
        bad = true;
      }
      if (node.min !== undefined && n < node.min) {
        if (out === undefined) return true;
        out.push(node.minMsg);
        bad = true;
      }
      return bad;
    }
    case 'boolean':
    case 'timestamp':
      return false;
  }
}

const REDACTED = '*** Sensitive Data Redacted ***';

/** Java-`toString()`-like rendering of a value, as Coral prints it inside `Value '...'`. */
function render(value: unknown, node: Node): string {
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

type JsonObject = { readonly [key: string]: unknown };

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Traversal state: the current path (segments, joined only when reporting) and the violations so far. */
class Walk {
  readonly path: string[] = [];
  errors: string[] | undefined;

  report(value: unknown, node: Node, sensitive: boolean, message: string): void {
    const where = this.path.join('.');
    let line: string;
    if (value === null || value === undefined) line = `Value null at '${where}' failed to satisfy constraint: ${message}`;
    else if (sensitive) line = `Value at '${where}' failed to satisfy constraint: ${message}`;
    else line = `Value '${render(value, node)}' at '${where}' failed to satisfy constraint: ${message}`;
    (this.errors ??= []).push(line);
  }

  /** Visits a non-null value. */
  visit(node: Node, value: unknown, sensitive: boolean): void {
    switch (node.kind) {
      case 'structure':
        this.structure(node, value, sensitive);
        return;
      case 'list':
        this.list(node, value, sensitive);
        return;
      case 'map':
        this.map(node, value, sensitive);
        return;
      case 'document':
        return;
      default: {
        checkScalarType(node, value);
        // Fast boolean check first; the messages are only gathered for an invalid value.
        if (node.summary === '' || !scalarViolations(node, value, undefined)) return;
        const messages: string[] = [];
        scalarViolations(node, value, messages);
        for (const m of messages) this.report(value, node, sensitive, m);
      }
    }
  }

  structure(node: StructNode, value: unknown, sensitive: boolean): void {
    if (!isJsonObject(value)) throw typeMismatch(node, value);
    const members = node.members;
    const path = this.path;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m === undefined) continue;
      const v = value[m.wire];
      if (v === undefined || v === null) {
        if (m.required) {
          path.push(m.segment);
          this.report(null, m.node, false, 'Member must not be null');
          path.pop();
        }
        continue;
      }
      path.push(m.segment);
      this.visit(m.node, v, sensitive || m.node.sensitive);
      path.pop();
    }
  }

  list(node: ListNode, value: unknown, sensitive: boolean): void {
    if (!Array.isArray(value)) throw typeMismatch(node, value);
    const items: readonly unknown[] = value;
    const n = items.length;
    if (node.max !== undefined && n > node.max) this.report(value, node, sensitive, node.maxMsg);
    if (node.min !== undefined && n < node.min) this.report(value, node, sensitive, node.minMsg);
    const item = node.item;
    const itemSensitive = sensitive || item.sensitive;
    if (isScalar(item)) {
      let bad = false;
      let hasNull = false;
      for (let i = 0; i < n; i++) {
        const v = items[i];
        if (v === null || v === undefined) {
          hasNull = true;
          continue;
        }
        checkScalarType(item, v);
        if (!bad && item.summary !== '' && scalarViolations(item, v, undefined)) bad = true;
      }
      if (bad || hasNull) {
        this.report(value, node, itemSensitive, `Member must satisfy constraint: [${withNotNull(item.summary, hasNull)}]`);
      }
      return;
    }
    if (item.kind === 'document') return;
    const path = this.path;
    for (let i = 0; i < n; i++) {
      const v = items[i];
      path.push(String(i + 1), 'member');
      if (v === null || v === undefined) this.report(null, item, false, 'Member must not be null');
      else this.visit(item, v, itemSensitive);
      path.pop();
      path.pop();
    }
  }

  map(node: MapNode, value: unknown, sensitive: boolean): void {
    if (!isJsonObject(value)) throw typeMismatch(node, value);
    const keys = Object.keys(value);
    const n = keys.length;
    if (node.max !== undefined && n > node.max) this.report(value, node, sensitive, node.maxMsg);
    if (node.min !== undefined && n < node.min) this.report(value, node, sensitive, node.minMsg);
    const keyNode = node.key;
    const valueNode = node.value;
    const valueSensitive = sensitive || valueNode.sensitive;
    if (keyNode.summary !== '') {
      for (let i = 0; i < n; i++) {
        if (scalarViolations(keyNode, keys[i], undefined)) {
          this.report(value, node, sensitive || keyNode.sensitive, `Map keys must satisfy constraint: [${keyNode.summary}]`);
          break;
        }
      }
    }
    if (isScalar(valueNode)) {
      let bad = false;
      let hasNull = false;
      for (let i = 0; i < n; i++) {
        const v = value[keys[i] ?? ''];
        if (v === null || v === undefined) {
          hasNull = true;
          continue;
        }
        checkScalarType(valueNode, v);
        if (!bad && valueNode.summary !== '' && scalarViolations(valueNode, v, undefined)) bad = true;
      }
      if (bad || hasNull) {
        this.report(value, node, valueSensitive, `Map value must satisfy constraint: [${withNotNull(valueNode.summary, hasNull)}]`);
      }
      return;
    }
    if (valueNode.kind === 'document') return;
    const path = this.path;
    for (let i = 0; i < n; i++) {
      const k = keys[i] ?? '';
      const v = value[k];
      path.push(k);
      if (v === null || v === undefined) this.report(null, valueNode, false, 'Member must not be null');
      else this.visit(valueNode, v, valueSensitive);
      path.pop();
    }
  }
}

function withNotNull(summary: string, hasNull: boolean): string {
  if (!hasNull) return summary;
  return summary === '' ? 'Member must not be null' : `${summary}, Member must not be null`;
}

/** The InvalidParameterException message for a list of violations. */
export function formatViolations(errors: readonly string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

function unknownOperation(op: string): CognitoError {
  return new CognitoError('UnknownOperationException', `Unknown operation ${op}`);
}

const EMPTY_INPUT: StructNode = { kind: 'structure', name: 'Unit', sensitive: false, members: [] };

function run(node: StructNode | null, input: unknown): string[] | undefined {
  if (node === null) {
    // An operation without input: still has to be a JSON object.
    if (!isJsonObject(input)) throw typeMismatch(EMPTY_INPUT, input);
    return undefined;
  }
  const walk = new Walk();
  walk.structure(node, input, node.sensitive);
  return walk.errors;
}

/** A compiled validator for one operation: throws like {@link validateInput}. */
export type OperationValidator = (input: unknown) => void;

/**
 * Compiles (once, cached) the validator for one operation. The returned function is what a hot path or a
 * benchmark should call: no lookups beyond the input itself. Throws `UnknownOperationException` for an operation
 * the model does not have.
 */
export function operationValidator(model: ServiceModel, operation: string): OperationValidator {
  const node = compilerFor(model).operation(operation);
  if (node === undefined) throw unknownOperation(operation);
  return (input: unknown): void => {
    const errors = run(node, input);
    if (errors !== undefined) throw new CognitoError('InvalidParameterException', formatViolations(errors));
  };
}

/**
 * The constraint violations of `input` (each `Value ... at '...' failed to satisfy constraint: ...`), in
 * traversal order; empty when valid. Type errors still throw `SerializationException`.
 */
export function validationErrors(model: ServiceModel, operation: string, input: unknown): string[] {
  const node = compilerFor(model).operation(operation);
  if (node === undefined) throw unknownOperation(operation);
  return run(node, input) ?? [];
}

/**
 * Validates an operation's input against the model. Throws `CognitoError`:
 * `SerializationException` when a value has the wrong JSON type (or the input is not an object),
 * `InvalidParameterException` listing every constraint violation, `UnknownOperationException` for an operation
 * the model does not define.
 */
export function validateInput(model: ServiceModel, operation: string, input: unknown): void {
  const node = compilerFor(model).operation(operation);
  if (node === undefined) throw unknownOperation(operation);
  const errors = run(node, input);
  if (errors !== undefined) throw new CognitoError('InvalidParameterException', formatViolations(errors));
}

/** Compiles every operation's input (and thereby every reachable shape) up front, e.g. at server start. */
export function precompile(model: ServiceModel): void {
  const compiler = compilerFor(model);
  for (const op of model.operations.keys()) compiler.operation(op);
}

/**
 * Compiles every string shape of the model that has a pattern and returns the patterns that could not be
 * translated to JavaScript (those are not checked).
 */
export function skippedPatterns(model: ServiceModel): readonly SkippedPattern[] {
  const compiler = compilerFor(model);
  for (const [name, shape] of model.shapes) if (shape.type === 'string' && shape.pattern !== undefined) compiler.node(name);
  return compiler.skipped;
}
