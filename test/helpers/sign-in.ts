import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthFlowType,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { computeSecretHash } from '../../src/services/secret-hash.js';
import type { Clock } from '../../src/integrations/runtime.js';
import { passwordVerifierResponses, srpClient } from './cognito-srp-client.js';

/** A clock a test moves forward; the server reads it for lockouts, expiries and token times. */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export const ALL_FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

export async function createPool(c: CognitoIdentityProviderClient, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const r = await c.send(new CreateUserPoolCommand({ PoolName: `p${Math.random().toString(36).slice(2, 8)}`, ...input }));
  const id = r.UserPool?.Id;
  assert.ok(id);
  return id;
}

export async function createClient(
  c: CognitoIdentityProviderClient,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ id: string; secret: string | undefined }> {
  const r = await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ALL_FLOWS, ...input }));
  const id = r.UserPoolClient?.ClientId;
  assert.ok(id);
  return { id, secret: r.UserPoolClient?.ClientSecret };
}

/** A CONFIRMED user with a permanent password (AdminCreateUser, then AdminSetUserPassword Permanent). */
export async function confirmedUser(c: CognitoIdentityProviderClient, poolId: string, username: string, password: string, attributes: Record<string, string> = {}): Promise<void> {
  await c.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await c.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
}

export const secretHash = (secret: string | undefined, username: string, clientId: string): Record<string, string> =>
  secret === undefined ? {} : { SECRET_HASH: computeSecretHash(secret, username, clientId) };

export async function passwordAuth(c: CognitoIdentityProviderClient, clientId: string, username: string, password: string, extra: Record<string, string> = {}, flow: AuthFlowType = 'USER_PASSWORD_AUTH'): Promise<InitiateAuthCommandOutput> {
  return c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow, AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }));
}

/** Both SRP steps through the SDK, the client math by amazon-cognito-identity-js's AuthenticationHelper. */
export async function srpSignIn(
  c: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
  username: string,
  password: string,
  secret?: string,
): Promise<{ first: InitiateAuthCommandOutput; tokens: Record<string, unknown> }> {
  const poolName = poolId.slice(poolId.indexOf('_') + 1);
  const srp = srpClient(poolName);
  const first = await c.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.A, ...secretHash(secret, username, clientId) } }),
  );
  assert.equal(first.ChallengeName, 'PASSWORD_VERIFIER');
  const params = first.ChallengeParameters ?? {};
  const responses = await passwordVerifierResponses(srp, poolName, params, password);
  const second = await c.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: { ...responses, ...secretHash(secret, params.USER_ID_FOR_SRP ?? '', clientId) },
    }),
  );
  return { first, tokens: { ...second.AuthenticationResult } };
}

/** The error a promise rejects with: its name (Cognito's __type) and message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error);
    return { name: err.name, message: err.message };
  }
  assert.fail('expected the request to fail');
}

/** Asserts that a call fails with Cognito's `type` (the SDK error's name) and, when given, exactly `message`. */
export async function rejects(call: Promise<unknown>, type: string, message?: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, type, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}
