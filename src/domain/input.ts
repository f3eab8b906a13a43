import { invalidParameter } from './errors.js';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Typed reads over a JSON object that the model validator has already checked (request input) or that the
 * store wrote (documents). Each accessor narrows at run time, so nothing is cast; a wrong type is reported
 * as the InvalidParameterException it would be on the wire.
 */
export class Input {
  readonly raw: Record<string, unknown>;

  constructor(value: unknown) {
    this.raw = isRecord(value) ? value : {};
  }

  static parseDoc(json: string): Input {
    return new Input(JSON.parse(json));
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  str(name: string): string {
    const v = this.optStr(name);
    if (v === undefined) throw invalidParameter(`1 validation error detected: Value null at '${lower(name)}' failed to satisfy constraint: Member must not be null`);
    return v;
  }

  optStr(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw invalidParameter(`${name} must be a string.`);
    return v;
  }

  optNum(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') throw invalidParameter(`${name} must be a number.`);
    return v;
  }

  optBool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw invalidParameter(`${name} must be a boolean.`);
    return v;
  }

  optStrList(name: string): string[] | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw invalidParameter(`${name} must be a list of strings.`);
    return v;
  }

  optObj(name: string): Input | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) throw invalidParameter(`${name} must be a structure.`);
    return new Input(v);
  }

  objList(name: string): Input[] {
    const v = this.raw[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw invalidParameter(`${name} must be a list.`);
    return v.map((x) => new Input(x));
  }

  optStrMap(name: string): Record<string, string> | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) throw invalidParameter(`${name} must be a map.`);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') throw invalidParameter(`${name} values must be strings.`);
      out[k] = x;
    }
    return out;
  }

  /** The member as JSON, for storing configuration structures verbatim. */
  json(name: string): Json | undefined {
    const v = this.raw[name];
    return v === undefined ? undefined : toJson(v);
  }
}

export function toJson(v: unknown): Json {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (isRecord(v)) {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return null;
}

const lower = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
