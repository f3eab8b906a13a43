/**
 * The traversal of model-driven input validation (see ../validate.ts): type checks, constraint checks and the
 * collection of violations in traversal order.
 */
import { isScalar, type ListNode, type MapNode, type Node, type ScalarNode, type StructNode } from './compile.js';
import { blobLength, isJsonObject, render, typeMismatch, withNotNull } from './messages.js';

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

const EMPTY_INPUT: StructNode = { kind: 'structure', name: 'Unit', sensitive: false, members: [] };

export function run(node: StructNode | null, input: unknown): string[] | undefined {
  if (node === null) {
    // An operation without input: still has to be a JSON object.
    if (!isJsonObject(input)) throw typeMismatch(EMPTY_INPUT, input);
    return undefined;
  }
  const walk = new Walk();
  walk.structure(node, input, node.sensitive);
  return walk.errors;
}
