import type { Input } from '../../domain/input.js';
import type { TriggerInputs } from '../../services/triggers-sign-up.js';

/** ClientMetadata and ValidationData of a request: passed to the Lambda triggers, never stored. */
export function triggerInputs(input: Input): TriggerInputs {
  const validation = input.objList('ValidationData');
  const pairs = validation.map((a) => [a.str('Name'), a.optStr('Value') ?? ''] as const);
  return {
    clientMetadata: input.optStrMap('ClientMetadata'),
    validationData: input.json('ValidationData') === undefined ? null : Object.fromEntries(pairs),
  };
}
