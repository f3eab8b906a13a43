/**
 * A typed view of the botocore service model for cognito-idp (`src/api/model/service-2.json`).
 *
 * The JSON is parsed as `unknown` and checked field by field: only what the server needs (operations, their
 * input/output shapes and auth, and every shape's type, members and constraints) is kept. The build copies
 * `src/api/model/*.json` next to the compiled module (`dist/api/model/`), so the file is always located
 * relative to this module's URL.
 */
import { readFileSync } from 'node:fs';

export interface MemberModel {
  /** The wire name (as in the JSON body), e.g. `UserPoolId`. */
  readonly name: string;
  /** Target shape name. */
  readonly shape: string;
}

interface ShapeBase {
  readonly name: string;
  /** `"sensitive": true` in the model: values are redacted from error messages. */
  readonly sensitive: boolean;
}

export interface StringShape extends ShapeBase {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  /** The Java regular expression exactly as written in the model. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export interface NumberShape extends ShapeBase {
  readonly type: 'integer' | 'long' | 'float' | 'double';
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShape extends ShapeBase {
  readonly type: 'boolean';
}

export interface BlobShape extends ShapeBase {
  readonly type: 'blob';
  readonly min?: number;
  readonly max?: number;
}

export interface TimestampShape extends ShapeBase {
  readonly type: 'timestamp';
}

export interface ListShape extends ShapeBase {
  readonly type: 'list';
  readonly member: string;
  readonly min?: number;
  readonly max?: number;
}

export interface MapShape extends ShapeBase {
  readonly type: 'map';
  readonly key: string;
  readonly value: string;
  readonly min?: number;
  readonly max?: number;
}

export interface StructureShape extends ShapeBase {
  readonly type: 'structure';
  /** Members in model order. */
  readonly members: readonly MemberModel[];
  readonly required: ReadonlySet<string>;
  /** `"document": true`: an untyped JSON document (any value is accepted). */
  readonly document: boolean;
  readonly exception: boolean;
}

export type ShapeModel =
  | StringShape
  | NumberShape
  | BooleanShape
  | BlobShape
  | TimestampShape
  | ListShape
  | MapShape
  | StructureShape;

export interface OperationModel {
  readonly name: string;
  readonly input?: string;
  readonly output?: string;
  readonly errors: readonly string[];
  /** False for the operations marked `"authtype": "none"` / `"auth": ["smithy.api#noAuth"]`. */
  readonly signed: boolean;
}

export interface ServiceModel {
  readonly apiVersion: string;
  /** `AWSCognitoIdentityProviderService`: the X-Amz-Target prefix. */
  readonly targetPrefix: string;
  readonly jsonVersion: string;
  readonly operations: ReadonlyMap<string, OperationModel>;
  readonly shapes: ReadonlyMap<string, ShapeModel>;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing helpers (the JSON is outside data: no casts).

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, what: string): never {
  throw new Error(`service model: ${where}: ${what}`);
}

function obj(value: unknown, where: string): JsonObject {
  if (!isObject(value)) fail(where, 'expected an object');
  return value;
}

function str(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, 'expected a string');
  return value;
}

function optStr(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : str(value, where);
}

function optNum(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, 'expected a number');
  return value;
}

function strList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) fail(where, 'expected a list');
  const out: string[] = [];
  for (const item of value) out.push(str(item, where));
  return out;
}

function shapeRef(value: unknown, where: string): string {
  return str(obj(value, where)['shape'], `${where}.shape`);
}

/** `{ min?, max? }` without writing `undefined` into optional properties. */
function bounds(raw: JsonObject, where: string): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  const min = optNum(raw['min'], `${where}.min`);
  const max = optNum(raw['max'], `${where}.max`);
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}

function parseShape(name: string, rawValue: unknown): ShapeModel {
  const where = `shapes.${name}`;
  const raw = obj(rawValue, where);
  const type = str(raw['type'], `${where}.type`);
  const sensitive = raw['sensitive'] === true;
  switch (type) {
    case 'string': {
      const shape: { -readonly [K in keyof StringShape]: StringShape[K] } = {
        name,
        type,
        sensitive,
        ...bounds(raw, where),
      };
      const pattern = optStr(raw['pattern'], `${where}.pattern`);
      if (pattern !== undefined) shape.pattern = pattern;
      if (raw['enum'] !== undefined) shape.enum = strList(raw['enum'], `${where}.enum`);
      return shape;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return { name, type, sensitive, ...bounds(raw, where) };
    case 'boolean':
    case 'timestamp':
      return { name, type, sensitive };
    case 'blob':
      return { name, type, sensitive, ...bounds(raw, where) };
    case 'list':
      return { name, type, sensitive, member: shapeRef(raw['member'], `${where}.member`), ...bounds(raw, where) };
    case 'map':
      return {
        name,
        type,
        sensitive,
        key: shapeRef(raw['key'], `${where}.key`),
        value: shapeRef(raw['value'], `${where}.value`),
        ...bounds(raw, where),
      };
    case 'structure': {
      const membersRaw = raw['members'] === undefined ? {} : obj(raw['members'], `${where}.members`);
      const members: MemberModel[] = [];
      for (const [memberName, memberRaw] of Object.entries(membersRaw)) {
        members.push({ name: memberName, shape: shapeRef(memberRaw, `${where}.members.${memberName}`) });
      }
      const required = raw['required'] === undefined ? [] : strList(raw['required'], `${where}.required`);
      return {
        name,
        type,
        sensitive,
        members,
        required: new Set(required),
        document: raw['document'] === true,
        exception: raw['exception'] === true,
      };
    }
    default:
      return fail(where, `unsupported shape type '${type}'`);
  }
}

function isUnsigned(raw: JsonObject): boolean {
  if (raw['authtype'] === 'none') return true;
  const auth = raw['auth'];
  return Array.isArray(auth) && auth.includes('smithy.api#noAuth');
}

function parseOperation(name: string, rawValue: unknown): OperationModel {
  const where = `operations.${name}`;
  const raw = obj(rawValue, where);
  const op: { -readonly [K in keyof OperationModel]: OperationModel[K] } = {
    name: str(raw['name'] ?? name, `${where}.name`),
    errors: [],
    signed: !isUnsigned(raw),
  };
  if (raw['input'] !== undefined) op.input = shapeRef(raw['input'], `${where}.input`);
  if (raw['output'] !== undefined) op.output = shapeRef(raw['output'], `${where}.output`);
  if (raw['errors'] !== undefined) {
    const errs = raw['errors'];
    if (!Array.isArray(errs)) fail(`${where}.errors`, 'expected a list');
    op.errors = errs.map((e, i) => shapeRef(e, `${where}.errors[${i}]`));
  }
  return op;
}

/** Parses the text of a botocore `service-2.json`. Throws on anything malformed. */
export function parseServiceModel(text: string): ServiceModel {
  const parsed: unknown = JSON.parse(text);
  const root = obj(parsed, '(root)');
  const metadata = obj(root['metadata'], 'metadata');
  const shapes = new Map<string, ShapeModel>();
  for (const [name, raw] of Object.entries(obj(root['shapes'], 'shapes'))) shapes.set(name, parseShape(name, raw));
  const operations = new Map<string, OperationModel>();
  for (const [name, raw] of Object.entries(obj(root['operations'], 'operations'))) {
    operations.set(name, parseOperation(name, raw));
  }
  // Every reference must resolve: a dangling one is a broken model file, better caught at startup.
  const check = (ref: string | undefined, where: string): void => {
    if (ref !== undefined && !shapes.has(ref)) fail(where, `unknown shape '${ref}'`);
  };
  for (const shape of shapes.values()) {
    if (shape.type === 'list') check(shape.member, `shapes.${shape.name}.member`);
    else if (shape.type === 'map') {
      check(shape.key, `shapes.${shape.name}.key`);
      check(shape.value, `shapes.${shape.name}.value`);
    } else if (shape.type === 'structure') {
      for (const m of shape.members) check(m.shape, `shapes.${shape.name}.members.${m.name}`);
    }
  }
  for (const op of operations.values()) {
    check(op.input, `operations.${op.name}.input`);
    check(op.output, `operations.${op.name}.output`);
  }
  return {
    apiVersion: str(metadata['apiVersion'], 'metadata.apiVersion'),
    targetPrefix: str(metadata['targetPrefix'], 'metadata.targetPrefix'),
    jsonVersion: str(metadata['jsonVersion'] ?? '1.1', 'metadata.jsonVersion'),
    operations,
    shapes,
  };
}

let cached: ServiceModel | undefined;

/** Loads (once) and returns the bundled cognito-idp service model. */
export function loadServiceModel(): ServiceModel {
  cached ??= parseServiceModel(readFileSync(new URL('./model/service-2.json', import.meta.url), 'utf8'));
  return cached;
}

/** All operation names, in model order. */
export function operationNames(model: ServiceModel): string[] {
  return [...model.operations.keys()];
}

/** Whether the operation must be SigV4-signed (false for the public, token-authenticated ones). */
export function requiresSigV4(model: ServiceModel, op: string): boolean {
  // Unknown operations fail closed (signed); the router rejects them anyway.
  return model.operations.get(op)?.signed ?? true;
}

/** The operation's input structure name, or undefined for an unknown operation. */
export function inputShapeName(model: ServiceModel, op: string): string | undefined {
  return model.operations.get(op)?.input;
}

export function getShape(model: ServiceModel, name: string): ShapeModel {
  const shape = model.shapes.get(name);
  if (shape === undefined) throw new Error(`service model: unknown shape '${name}'`);
  return shape;
}
