import { epochSeconds, type OperationHandler, type Output } from '../../operation.js';
import type { UiCustomization } from '../../../services/oauth-ui.js';
import type { ManagedLoginBranding } from '../../../services/oauth-branding.js';
import type { PoolDomain } from '../../../services/oauth-domains.js';
import type { ResourceServer } from '../../../services/oauth-resource-servers.js';
import type { Services } from '../../../services/services.js';

/** UICustomizationType. */
function uiCustomizationType(c: UiCustomization, services: Services): Output {
  const logo = services.uiCustomization.logoUrl(c, true);
  return {
    UserPoolId: c.poolId,
    ClientId: c.clientId,
    ...(logo === undefined ? {} : { ImageUrl: logo }),
    ...(c.css === undefined ? {} : { CSS: c.css }),
    ...(c.cssVersion === undefined ? {} : { CSSVersion: c.cssVersion }),
    ...(c.updatedAt === undefined ? {} : { LastModifiedDate: epochSeconds(c.updatedAt) }),
    ...(c.createdAt === undefined ? {} : { CreationDate: epochSeconds(c.createdAt) }),
  };
}

/** ManagedLoginBrandingType; `merged` (ReturnMergedResources) fills in the default settings. */
function brandingType(b: ManagedLoginBranding, services: Services, merged = false): Output {
  return {
    ManagedLoginBrandingId: b.id,
    UserPoolId: b.poolId,
    UseCognitoProvidedValues: b.useCognitoProvidedValues,
    Settings: merged ? services.branding.merged(b) : b.settings,
    Assets: b.assets,
    CreationDate: epochSeconds(b.createdAt),
    LastModifiedDate: epochSeconds(b.updatedAt),
  };
}

/** ResourceServerType. */
function resourceServerType(s: ResourceServer): Output {
  return { UserPoolId: s.poolId, Identifier: s.identifier, Name: s.name, Scopes: s.scopes };
}

/**
 * Where a custom domain's DNS alias should point. Cognito answers a CloudFront distribution; Tessera serves
 * the domain itself, so the alias target is the host of its public URL.
 */
function aliasTarget(services: Services): string {
  return new URL(services.deps.config.publicUrl).hostname;
}

/** CreateUserPoolDomain / UpdateUserPoolDomain answer. */
function domainAnswer(d: PoolDomain, services: Services): Output {
  return {
    ...(d.kind === 'custom' ? { CloudFrontDomain: aliasTarget(services) } : {}),
    ...(typeof d.doc.ManagedLoginVersion === 'number' ? { ManagedLoginVersion: d.doc.ManagedLoginVersion } : {}),
    ...(d.doc.Routing === undefined ? {} : { Routing: d.doc.Routing }),
  };
}

/** DomainDescriptionType. */
function domainDescription(d: PoolDomain, services: Services): Output {
  return {
    UserPoolId: d.poolId,
    AWSAccountId: services.deps.accountId,
    Domain: d.domain,
    CloudFrontDistribution: aliasTarget(services),
    Version: '1',
    Status: 'ACTIVE',
    ...d.doc,
  };
}

/**
 * User pool domains and resource servers
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html,
 * .../API_CreateResourceServer.html).
 */
export const oauthOperations: Record<string, OperationHandler> = {
  async CreateUserPoolDomain(input, ctx, s) {
    return domainAnswer(await s.domains.create(ctx, input), s);
  },
  async DescribeUserPoolDomain(input, ctx, s) {
    // An unknown domain is not an error: the description is empty (how clients test whether a name is free).
    const d = await s.domains.describe(ctx, input.str('Domain'));
    return { DomainDescription: d ? domainDescription(d, s) : {} };
  },
  async UpdateUserPoolDomain(input, ctx, s) {
    return domainAnswer(await s.domains.update(ctx, input), s);
  },
  async DeleteUserPoolDomain(input, ctx, s) {
    await s.domains.delete(ctx, input.str('UserPoolId'), input.str('Domain'));
    return {};
  },
  async CreateResourceServer(input, ctx, s) {
    return { ResourceServer: resourceServerType(await s.resourceServers.create(ctx, input)) };
  },
  async DescribeResourceServer(input, ctx, s) {
    return { ResourceServer: resourceServerType(await s.resourceServers.describe(ctx, input.str('UserPoolId'), input.str('Identifier'))) };
  },
  async UpdateResourceServer(input, ctx, s) {
    return { ResourceServer: resourceServerType(await s.resourceServers.update(ctx, input)) };
  },
  async DeleteResourceServer(input, ctx, s) {
    await s.resourceServers.delete(ctx, input.str('UserPoolId'), input.str('Identifier'));
    return {};
  },
  async SetUICustomization(input, ctx, s) {
    return { UICustomization: uiCustomizationType(await s.uiCustomization.set(ctx, input), s) };
  },
  async GetUICustomization(input, ctx, s) {
    return { UICustomization: uiCustomizationType(await s.uiCustomization.get(ctx, input.str('UserPoolId'), input.optStr('ClientId')), s) };
  },
  async CreateManagedLoginBranding(input, ctx, s) {
    return { ManagedLoginBranding: brandingType(await s.branding.create(ctx, input), s) };
  },
  async DescribeManagedLoginBranding(input, ctx, s) {
    const b = await s.branding.describe(ctx, input.str('UserPoolId'), input.str('ManagedLoginBrandingId'));
    return { ManagedLoginBranding: brandingType(b, s, input.optBool('ReturnMergedResources') === true) };
  },
  async DescribeManagedLoginBrandingByClient(input, ctx, s) {
    const b = await s.branding.describeByClient(ctx, input.str('UserPoolId'), input.str('ClientId'));
    return { ManagedLoginBranding: brandingType(b, s, input.optBool('ReturnMergedResources') === true) };
  },
  async UpdateManagedLoginBranding(input, ctx, s) {
    return { ManagedLoginBranding: brandingType(await s.branding.update(ctx, input), s) };
  },
  async DeleteManagedLoginBranding(input, ctx, s) {
    await s.branding.delete(ctx, input.str('UserPoolId'), input.str('ManagedLoginBrandingId'));
    return {};
  },
  async ListResourceServers(input, ctx, s) {
    const { servers, nextToken } = await s.resourceServers.list(ctx, input.str('UserPoolId'), input.optNum('MaxResults') ?? 50, input.optStr('NextToken'));
    return { ResourceServers: servers.map(resourceServerType), ...(nextToken ? { NextToken: nextToken } : {}) };
  },
};
