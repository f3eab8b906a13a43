import { CognitoError, internalError } from '../domain/errors.js';
import { Input } from '../domain/input.js';
import type { Logger } from '../integrations/logger.js';
import type { Clock } from '../integrations/runtime.js';
import type { CallerContext } from '../services/context.js';
import { regionOfPoolId } from '../services/pools.js';
import type { Services } from '../services/services.js';
import { loadServiceModel, operationNames, requiresSigV4, type ServiceModel } from './model.js';
import type { OperationHandler, Output } from './operation.js';
import { operations } from './operations/index.js';
import { verifySigV4, type SignedRequest } from './sigv4.js';
import { validateInput } from './validate.js';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export interface WireRequest extends SignedRequest {
  requestId: string;
}

export interface WireResponse {
  status: number;
  body: string;
  errorType?: string;
}

/** Regions for unsigned operations: from the pool id in the request, else from the app client's pool. */
export type RegionResolver = (input: Input) => Promise<string | undefined>;

/**
 * The cognito-idp wire protocol in one place: X-Amz-Target → operation, SigV4 where the model requires it,
 * model-driven validation, the handler, and the `{__type, message}` envelope.
 */
export class Dispatcher {
  private readonly model: ServiceModel;
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly services: Services,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly defaultRegion: string,
    private readonly handlers: ReadonlyMap<string, OperationHandler> = operations,
  ) {
    this.model = loadServiceModel();
    this.known = new Set(operationNames(this.model));
  }

  /** Model operations that have no handler yet (they answer UnsupportedOperationException). */
  unimplemented(): string[] {
    return [...this.known].filter((op) => !this.handlers.has(op)).sort();
  }

  async dispatch(req: WireRequest): Promise<WireResponse> {
    try {
      const out = await this.run(req);
      return { status: 200, body: JSON.stringify(out) };
    } catch (err) {
      const e = err instanceof CognitoError ? err : this.fault(err, req);
      return {
        status: e.status,
        errorType: e.type,
        body: JSON.stringify({ __type: e.type, message: e.message, ...e.extra }),
      };
    }
  }

  private fault(err: unknown, req: WireRequest): CognitoError {
    this.logger.error('unhandled error', {
      requestId: req.requestId,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return internalError();
  }

  private async run(req: WireRequest): Promise<Output> {
    const target = headerValue(req.headers['x-amz-target']);
    const op = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    if (op === undefined || !this.known.has(op)) {
      throw new CognitoError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
    }
    let region: string | undefined;
    let accessKeyId: string | undefined;
    if (requiresSigV4(this.model, op)) {
      const id = await verifySigV4(req, (k) => this.services.keys.secretOf(k), this.clock.now());
      region = id.region;
      accessKeyId = id.accessKeyId;
    }
    const raw = parseBody(req.body);
    if (op.endsWith('RespondToAuthChallenge')) dropNullChallengeResponses(raw);
    validateInput(this.model, op, raw);
    const input = new Input(raw);
    const handler = this.handlers.get(op);
    if (!handler) throw new CognitoError('UnsupportedOperationException', `${op} is not supported by this server yet.`);
    region ??= (await this.regionOf(input)) ?? this.defaultRegion;
    const ctx: CallerContext = { region, requestId: req.requestId, ...(accessKeyId ? { accessKeyId } : {}) };
    return handler(input, ctx, this.services);
  }

  private async regionOf(input: Input): Promise<string | undefined> {
    const poolId = input.optStr('UserPoolId');
    if (poolId) return regionOfPoolId(poolId);
    const clientId = input.optStr('ClientId');
    if (clientId) return this.services.clients.regionOfClient(clientId);
    return undefined;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * amazon-cognito-identity-js answers "Device does not exist." by sending the same PASSWORD_VERIFIER again
 * with `"DEVICE_KEY": null` in ChallengeResponses (CognitoUser.authenticateUserInternal), and Cognito takes
 * that as no device key; elsewhere a null map value fails validation as Coral's services answer it.
 */
function dropNullChallengeResponses(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const responses: unknown = Reflect.get(raw, 'ChallengeResponses');
  if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) return;
  for (const [k, v] of Object.entries(responses)) if (v === null) Reflect.deleteProperty(responses, k);
}

function parseBody(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new CognitoError('SerializationException', 'Unable to parse the request body as JSON.');
  }
}
