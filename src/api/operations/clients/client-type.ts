import { epochSeconds, type Output } from '../../operation.js';
import type { AppClient, ClientSecretDescriptor } from '../../../services/clients.js';

/** The UserPoolClientType wire shape (Create/Describe/UpdateUserPoolClient). */
export function userPoolClientType(client: AppClient, secret: string | undefined): Output {
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(secret === undefined ? {} : { ClientSecret: secret }),
    LastModifiedDate: epochSeconds(client.updatedAt),
    CreationDate: epochSeconds(client.createdAt),
    ...client.doc,
  };
}

/** ClientSecretDescriptorType: the value appears only when Cognito generated it, in the Add answer. */
export function clientSecretDescriptor(d: ClientSecretDescriptor): Output {
  return {
    ClientSecretId: d.id,
    ...(d.value === undefined ? {} : { ClientSecretValue: d.value }),
    ClientSecretCreateDate: epochSeconds(d.createdAt),
  };
}
