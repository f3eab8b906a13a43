import type { Input } from '../domain/input.js';
import type { CallerContext } from '../services/context.js';
import type { Services } from '../services/services.js';

/** Output members of an operation; timestamps already converted to epoch seconds. */
export type Output = Record<string, unknown>;

/**
 * One cognito-idp operation: maps the validated wire input to a service call and the result back to the
 * wire shape. No business rules here.
 */
export type OperationHandler = (input: Input, ctx: CallerContext, services: Services) => Promise<Output>;

/** Epoch seconds, as the awsJson protocol serialises timestamps. */
export const epochSeconds = (ms: number): number => ms / 1000;
