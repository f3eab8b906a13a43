import { CreateUserPoolCommand, type CognitoIdentityProviderClient, type CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';

/** Creates a user pool named `poolName` (settings in `input` win) and returns its id ('' if none came back). */
export async function createPool(
  c: CognitoIdentityProviderClient,
  poolName: string,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const r = await c.send(new CreateUserPoolCommand({ PoolName: poolName, ...input }));
  return r.UserPool?.Id ?? '';
}
