import type { Input } from '../../../domain/input.js';
import type { RequestContext } from '../../../services/auth-outcome.js';

/**
 * The end user's context for threat protection: UserContextData.IpAddress on the unsigned operations,
 * ContextData.IpAddress and the User-Agent among ContextData.HttpHeaders on the Admin ones (DG "Adding user
 * device and session data to API requests", user-pool-settings-adaptive-authentication.html).
 */
export function requestContext(input: Input): RequestContext | undefined {
  const user = input.optObj('UserContextData');
  const server = input.optObj('ContextData');
  const ipAddress = user?.optStr('IpAddress') ?? server?.optStr('IpAddress');
  const agent = server?.objList('HttpHeaders').find((h) => h.optStr('headerName')?.toLowerCase() === 'user-agent');
  const deviceName = agent?.optStr('headerValue');
  if (ipAddress === undefined && deviceName === undefined) return undefined;
  return { ...(ipAddress === undefined ? {} : { ipAddress }), ...(deviceName === undefined ? {} : { deviceName }) };
}

/**
 * `{context}` for a sign-in request when the caller sent any (ClientMetadata rides along for the triggers,
 * marked as a challenge answer's when `answer`: the two operations pass it to different triggers).
 */
export function withContext(input: Input, answer = false): { context?: RequestContext } {
  const context = requestContext(input);
  const clientMetadata = input.optStrMap('ClientMetadata');
  if (clientMetadata !== undefined) return { context: { ...context, clientMetadata, ...(answer ? { answer } : {}) } };
  return context ? { context } : {};
}
