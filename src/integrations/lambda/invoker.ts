/**
 * Running a trigger function. The reference decides how: `arn:aws:lambda:...` goes to the Lambda Invoke API
 * (aws-invoke.ts), `http(s)://...` is a signed webhook (webhook.ts), `file:...` or a path is an ES module run in
 * a worker thread (module-worker.ts). The outcome is reported, never thrown: the trigger service turns it into
 * Cognito's error for the trigger that ran.
 */
export type InvokeOutcome =
  /** The function answered; `payload` is its JSON answer, parsed but not yet checked. */
  | { kind: 'ok'; payload: unknown }
  /** The function itself failed (threw, called back with an error, exited): Cognito's UserLambdaValidationException. */
  | { kind: 'function-error'; message: string }
  /** The function could not be run or did not answer in time: Cognito's UnexpectedLambdaException. */
  | { kind: 'invoke-failed'; reason: string; retryable: boolean }
  /** The answer is not JSON: Cognito's InvalidLambdaResponseException. */
  | { kind: 'bad-output' };

export interface InvokeOptions {
  timeoutMs: number;
}

/** One way of running a function. */
export interface FunctionRunner {
  invoke(ref: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome>;
}

/** Runs functions and retries what Cognito retries. */
export type FunctionInvoker = FunctionRunner;

/** Cognito's message for a function that did not answer within its time (the invocation failed, not the function). */
export const TIMEOUT_REASON = 'Socket timeout while invoking Lambda function';

/**
 * Attempts per invocation. Cognito retries a call that failed in a retryable way (no answer within 5 s,
 * throttling, a Lambda service error) and gives up after three attempts; a function that ran and failed is
 * not retried (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html).
 */
export const ATTEMPTS = 3;

export type RefKind = 'lambda' | 'webhook' | 'module';

/** Which runner a reference goes to, or undefined for a reference none can run. */
export function refKind(ref: string): RefKind | undefined {
  if (ref.startsWith('arn:aws:lambda:') || ref.startsWith('arn:aws-cn:lambda:') || ref.startsWith('arn:aws-us-gov:lambda:')) return 'lambda';
  if (/^https?:\/\//.test(ref)) return 'webhook';
  if (ref.startsWith('file:') || ref.startsWith('/') || ref.startsWith('./') || ref.startsWith('../')) return 'module';
  return undefined;
}

/** Chooses the runner by the reference and retries retryable failures up to ATTEMPTS times. */
export class RoutingInvoker implements FunctionInvoker {
  constructor(private readonly runners: Readonly<Record<RefKind, FunctionRunner>>) {}

  async invoke(ref: string, event: object, opts: InvokeOptions): Promise<InvokeOutcome> {
    const kind = refKind(ref);
    if (!kind) return { kind: 'invoke-failed', reason: 'InvalidParameterValueException', retryable: false };
    let outcome: InvokeOutcome = { kind: 'invoke-failed', reason: TIMEOUT_REASON, retryable: true };
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      outcome = await this.runners[kind].invoke(ref, event, opts);
      if (outcome.kind !== 'invoke-failed' || !outcome.retryable) return outcome;
    }
    return outcome;
  }
}

/** Parses a function's answer; anything that is not JSON is `bad-output`. */
export function parsePayload(text: string): InvokeOutcome {
  try {
    const payload: unknown = JSON.parse(text);
    return { kind: 'ok', payload };
  } catch {
    return { kind: 'bad-output' };
  }
}

/** Lambda's error payload `{errorMessage, errorType}`: the message a function failed with. */
export function errorMessageOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('errorMessage' in payload)) return undefined;
  const m = payload.errorMessage;
  return typeof m === 'string' ? m : undefined;
}
