import type { OperationHandler } from '../../operation.js';
import { clientSecretDescriptor, userPoolClientType } from './client-type.js';

/** App client operations (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html). */
export const clientOperations: Record<string, OperationHandler> = {
  async CreateUserPoolClient(input, ctx, s) {
    const { client, secret } = await s.clients.create(ctx, input);
    return { UserPoolClient: userPoolClientType(client, secret) };
  },
  async DescribeUserPoolClient(input, ctx, s) {
    const client = await s.clients.getClientForPool(ctx, input.str('UserPoolId'), input.str('ClientId'));
    return { UserPoolClient: userPoolClientType(client, await s.clients.primarySecret(client.id)) };
  },
  async UpdateUserPoolClient(input, ctx, s) {
    const client = await s.clients.update(ctx, input);
    return { UserPoolClient: userPoolClientType(client, await s.clients.primarySecret(client.id)) };
  },
  async DeleteUserPoolClient(input, ctx, s) {
    await s.clients.delete(ctx, input.str('UserPoolId'), input.str('ClientId'));
    return {};
  },
  async ListUserPoolClients(input, ctx, s) {
    const { clients, nextToken } = await s.clients.list(ctx, input.str('UserPoolId'), input.optNum('MaxResults') ?? 60, input.optStr('NextToken'));
    return {
      UserPoolClients: clients.map((c) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },
  async AddUserPoolClientSecret(input, ctx, s) {
    const d = await s.clients.addSecret(ctx, input.str('UserPoolId'), input.str('ClientId'), input.optStr('ClientSecret'));
    return { ClientSecretDescriptor: clientSecretDescriptor(d) };
  },
  async ListUserPoolClientSecrets(input, ctx, s) {
    // At most two secrets exist, so there is never a next page (API reference, ListUserPoolClientSecrets).
    const secrets = await s.clients.listSecrets(ctx, input.str('UserPoolId'), input.str('ClientId'));
    return { ClientSecrets: secrets.map(clientSecretDescriptor) };
  },
  async DeleteUserPoolClientSecret(input, ctx, s) {
    await s.clients.deleteSecret(ctx, input.str('UserPoolId'), input.str('ClientId'), input.str('ClientSecretId'));
    return {};
  },
};
