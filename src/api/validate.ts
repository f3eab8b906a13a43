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
import type { ServiceModel } from './model.js';
import { compilerFor, type SkippedPattern } from './validation/compile.js';
import { run } from './validation/check.js';
import { formatViolations, unknownOperation } from './validation/messages.js';

export type { SkippedPattern } from './validation/compile.js';
export { formatViolations } from './validation/messages.js';

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
