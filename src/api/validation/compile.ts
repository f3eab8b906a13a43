/**
 * Compiled shapes for model-driven input validation (see ../validate.ts): the node types and the compiler that
 * builds them from the service model once per shape (patterns included), cached per model.
 */
import { compileJavaPattern } from '../java-regex.js';
import { getShape, type ServiceModel, type ShapeModel } from '../model.js';

// =================================================================================================================
// Compiled shapes
// =================================================================================================================

export interface NodeBase {
  readonly name: string;
  readonly sensitive: boolean;
}

export interface StringNode extends NodeBase {
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

export interface NumberNode extends NodeBase {
  readonly kind: 'number';
  readonly javaType: 'Integer' | 'Long' | 'Float' | 'Double';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
  readonly summary: string;
}

export interface BlobNode extends NodeBase {
  readonly kind: 'blob';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
  readonly summary: string;
}

export interface BooleanNode extends NodeBase {
  readonly kind: 'boolean';
  readonly summary: string;
}

export interface TimestampNode extends NodeBase {
  readonly kind: 'timestamp';
  readonly summary: string;
}

export interface DocumentNode extends NodeBase {
  readonly kind: 'document';
}

export interface ListNode extends NodeBase {
  readonly kind: 'list';
  item: Node;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
}

export interface MapNode extends NodeBase {
  readonly kind: 'map';
  key: StringNode;
  value: Node;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly maxMsg: string;
  readonly minMsg: string;
}

export interface MemberNode {
  /** JSON member name, e.g. `UserPoolId`. */
  readonly wire: string;
  /** Path segment, e.g. `userPoolId`. */
  readonly segment: string;
  readonly required: boolean;
  node: Node;
}

export interface StructNode extends NodeBase {
  readonly kind: 'structure';
  readonly members: MemberNode[];
}

export type ScalarNode = StringNode | NumberNode | BlobNode | BooleanNode | TimestampNode;
export type Node = ScalarNode | DocumentNode | ListNode | MapNode | StructNode;

export function isScalar(node: Node): node is ScalarNode {
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

/**
 * Shapes whose published pattern the service does not apply at the edge. DomainType's pattern allows no
 * dots, yet CreateUserPoolDomain takes custom domains such as auth.example.com; Cognito checks a prefix
 * domain itself, with its own message (services/oauth-domains.ts).
 */
const SERVICE_CHECKED_PATTERNS: ReadonlySet<string> = new Set(['DomainType']);

export class Compiler {
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
        if (shape.pattern !== undefined && !SERVICE_CHECKED_PATTERNS.has(name)) {
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

export function compilerFor(model: ServiceModel): Compiler {
  let c = compilers.get(model);
  if (c === undefined) {
    c = new Compiler(model);
    compilers.set(model, c);
  }
  return c;
}
