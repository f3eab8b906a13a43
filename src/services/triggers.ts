import { CognitoError } from '../domain/errors.js';
import type { Json } from '../domain/input.js';
import { subDoc } from '../domain/pool-config.js';
import { parseAttributes, type AttributeMap } from '../domain/user-attributes.js';
import type { InvokeOutcome } from '../integrations/lambda/invoker.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';

/**
 * Lambda triggers: which function a pool's LambdaConfig names, the event envelope Cognito sends, and the
 * function's outcome turned into Cognito's errors
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html).
 */
export type TriggerKey =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreTokenGeneration'
  | 'UserMigration'
  | 'CustomSMSSender'
  | 'CustomEmailSender'
  /** For the federation issue: InboundFederation_ExternalProvider (attributes from the IdP before they are mapped). */
  | 'InboundFederation';

/** A string map in an event (userAttributes, clientMetadata, validationData...). */
export type StringMap = Record<string, string>;
export type EventRequest = { [member: string]: Json | undefined };
/** The `response` member of the function's answer, as the function returned it (checked by the caller's readers). */
export type TriggerResponse = Readonly<Record<string, unknown>>;

export interface TriggerFunction {
  arn: string;
  /** The event's `version`: "1", or "2"/"3" for pre token generation V2_0/V3_0. */
  version: string;
}

/** What a trigger event says about the call that caused it. */
export interface TriggerCall {
  triggerSource: string;
  /** Absent only where no user is involved (client credentials tokens). */
  userName?: string;
  /** The app client; admin operations have none ("CLIENT_ID_NOT_APPLICABLE", as Cognito sends). */
  clientId: string | undefined;
  request: EventRequest;
  /** The response members Cognito pre-fills (e.g. PreSignUp's three false flags). */
  response?: { [member: string]: Json };
}

/** Lambda's own default (the Node.js runtime sends none): what Cognito puts when the SDK is unknown. */
const UNKNOWN_SDK = 'aws-sdk-unknown-unknown';
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

const versionOf = (lambdaVersion: Json | undefined): string => (lambdaVersion === 'V2_0' ? '2' : lambdaVersion === 'V3_0' ? '3' : '1');

/**
 * The function for a trigger. Pre token generation prefers PreTokenGenerationConfig (whose LambdaVersion sets
 * the event version) over the older PreTokenGeneration; the custom senders are {LambdaArn, LambdaVersion}.
 */
export function triggerFunction(pool: Pool, key: TriggerKey): TriggerFunction | undefined {
  const config = subDoc(pool.doc, 'LambdaConfig');
  if (key === 'PreTokenGeneration') {
    const v = subDoc(config, 'PreTokenGenerationConfig');
    if (typeof v.LambdaArn === 'string') return { arn: v.LambdaArn, version: versionOf(v.LambdaVersion) };
  }
  if (key === 'CustomEmailSender' || key === 'CustomSMSSender' || key === 'InboundFederation') {
    const v = subDoc(config, key);
    return typeof v.LambdaArn === 'string' ? { arn: v.LambdaArn, version: '1' } : undefined;
  }
  const arn = config[key];
  return typeof arn === 'string' ? { arn, version: '1' } : undefined;
}

export const hasTrigger = (pool: Pool, key: TriggerKey): boolean => triggerFunction(pool, key) !== undefined;

/**
 * Where an ARN is run: TESSERA_LAMBDA_FUNCTIONS may send it (by full ARN or by function name) to a webhook
 * or a module; otherwise it goes to the Lambda API.
 */
export function functionTarget(deps: Pick<ServiceDeps, 'config'>, arn: string): string {
  const routes = deps.config.lambdaFunctions;
  const name = arn.split(':')[6];
  return routes[arn] ?? (name !== undefined ? routes[name] : undefined) ?? arn;
}

/** The attributes Cognito shows a function for a stored user: `sub`, the attributes, `cognito:user_status`. */
export function eventAttributes(user: Pick<UserRow, 'id' | 'status'> & Partial<Pick<UserRow, 'attributes'>>, attrs: AttributeMap = parseAttributes(user.attributes ?? '{}')): StringMap {
  return { sub: user.id, ...attrs, 'cognito:user_status': user.status };
}

/** The full event Cognito sends (the common envelope, then request and response). */
export function triggerEvent(pool: Pool, fn: TriggerFunction, call: TriggerCall): { [member: string]: Json } {
  return {
    version: fn.version,
    triggerSource: call.triggerSource,
    region: pool.region,
    userPoolId: pool.id,
    ...(call.userName === undefined ? {} : { userName: call.userName }),
    callerContext: { awsSdkVersion: UNKNOWN_SDK, clientId: call.clientId ?? NO_CLIENT },
    request: dropUndefined(call.request),
    response: call.response ?? {},
  };
}

function dropUndefined(r: EventRequest): { [member: string]: Json } {
  const out: { [member: string]: Json } = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Runs the pool's function for `key`, if there is one, and answers its `response` (undefined when the pool
 * has no such trigger). Failures become Cognito's errors: the function's own failure
 * UserLambdaValidationException "<Trigger> failed with error <message>." (the message as the function threw
 * it, so Cognito's trailing period may follow the function's own), a failed invocation
 * UnexpectedLambdaException "<Trigger> invocation failed due to error <reason>."
 * (https://repost.aws/knowledge-center/cognito-lambda-trigger-errors), an answer that is not an event
 * InvalidLambdaResponseException "Unrecognizable lambda output".
 */
export async function runTrigger(deps: ServiceDeps, pool: Pool, key: TriggerKey, call: TriggerCall): Promise<TriggerResponse | undefined> {
  const fn = triggerFunction(pool, key);
  if (!fn) return undefined;
  const event = triggerEvent(pool, fn, call);
  const outcome = await deps.lambda.invoke(functionTarget(deps, fn.arn), event, { timeoutMs: deps.config.lambdaTimeoutMs });
  return responseOf(deps, pool, key, call.triggerSource, outcome);
}

function responseOf(deps: ServiceDeps, pool: Pool, key: TriggerKey, source: string, outcome: InvokeOutcome): TriggerResponse {
  if (outcome.kind === 'function-error') throw new CognitoError('UserLambdaValidationException', `${key} failed with error ${outcome.message}.`);
  if (outcome.kind === 'invoke-failed') {
    deps.logger.warn('trigger invocation failed', { poolId: pool.id, trigger: source, reason: outcome.reason });
    throw new CognitoError('UnexpectedLambdaException', `${key} invocation failed due to error ${outcome.reason}.`);
  }
  const payload = outcome.kind === 'ok' ? outcome.payload : undefined;
  if (!isRecord(payload)) throw unrecognizable();
  const response = payload.response;
  if (response === undefined || response === null) return {};
  if (!isRecord(response)) throw unrecognizable();
  return response;
}

export const unrecognizable = (): CognitoError => new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output');

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A boolean in a function's response; true only for `true` (Cognito reads JSON booleans). */
export const flag = (r: TriggerResponse, member: string): boolean => r[member] === true;

/** A string in a function's response, or undefined when absent or null; anything else is not a valid answer. */
export function optString(r: TriggerResponse, member: string): string | undefined {
  const v = r[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw unrecognizable();
  return v;
}
