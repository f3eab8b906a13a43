import { createHmac, timingSafeEqual } from 'node:crypto';
import { CognitoError, notAuthorized } from '../domain/errors.js';
import { clientSecrets, type AppClient } from './clients.js';
import type { ServiceDeps } from './context.js';

/**
 * SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id))
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash).
 */
export function computeSecretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SecretHashOptions {
  /**
   * Where the hash came from. Cognito words a missing hash differently in the authentication operations
   * (`AuthParameters.SECRET_HASH`: "Client … is configured with secret but SECRET_HASH was not received")
   * than in the self-service ones (`SecretHash`: "Unable to verify secret hash for client …").
   */
  source?: 'SecretHash' | 'SECRET_HASH';
}

/**
 * Checks the SECRET_HASH of a request against every active secret of the client (a client may have two
 * during rotation), in constant time. A client without a secret needs no hash, and refuses one with an
 * InvalidParameterException (wording as reported by Cognito users, e.g. pmill/aws-cognito PR #23).
 */
export async function checkSecretHash(
  deps: ServiceDeps,
  client: AppClient,
  username: string,
  secretHash: string | undefined,
  opts: SecretHashOptions = {},
): Promise<void> {
  const secrets = await clientSecrets(deps, client.id);
  if (secrets.length === 0) {
    if (secretHash !== undefined && secretHash !== '') {
      throw new CognitoError('InvalidParameterException', `App client ${client.id} is not configured for secret but secret hash was received`);
    }
    return;
  }
  if (secretHash === undefined || secretHash === '') {
    if (opts.source === 'SECRET_HASH') throw notAuthorized(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
    throw notAuthorized(`Unable to verify secret hash for client ${client.id}`);
  }
  let ok = false;
  for (const s of secrets) ok = sameText(computeSecretHash(s, username, client.id), secretHash) || ok;
  if (!ok) throw notAuthorized(`Unable to verify secret hash for client ${client.id}`);
}
