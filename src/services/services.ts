import { AuthService } from './auth.js';
import { ChoiceSignIn } from './auth-choice.js';
import type { SignInHooks } from './auth-next-step.js';
import { ClientService } from './clients.js';
import type { ServiceDeps } from './context.js';
import { DeviceService } from './devices.js';
import { KeyService } from './keys.js';
import { MfaConfigService } from './mfa-config.js';
import { DomainService } from './oauth-domains.js';
import { ResourceServerService } from './oauth-resource-servers.js';
import { OAuthService } from './oauth.js';
import { UiCustomizationService } from './oauth-ui.js';
import { BrandingService } from './oauth-branding.js';
import { GroupService } from './groups.js';
import { PoolService } from './pools.js';
import { AuthEventService } from './auth-events.js';
import { RiskConfigService } from './risk-config.js';
import { RiskService } from './risk.js';
import { SelfService } from './self-service.js';
import { UserMfaService } from './user-mfa.js';
import { SigningCertificateService } from './signing-certificates.js';
import { TagService } from './tags.js';
import { TokenService } from './tokens.js';
import { UserService } from './users.js';
import { WebAuthnService } from './webauthn.js';
import { CustomAuth } from './triggers-custom-auth.js';
import { SignInTriggers } from './triggers-sign-in.js';

/** The use cases, built once over the same dependencies. */
export class Services {
  readonly keys: KeyService;
  readonly pools: PoolService;
  readonly users: UserService;
  readonly clients: ClientService;
  readonly groups: GroupService;
  readonly tags: TagService;
  readonly signingCertificates: SigningCertificateService;
  readonly mfaConfig: MfaConfigService;
  readonly tokens: TokenService;
  readonly self: SelfService;
  readonly userMfa: UserMfaService;
  readonly devices: DeviceService;
  readonly auth: AuthService;
  readonly webauthn: WebAuthnService;
  readonly riskConfig: RiskConfigService;
  readonly risk: RiskService;
  readonly authEvents: AuthEventService;
  readonly domains: DomainService;
  readonly resourceServers: ResourceServerService;
  readonly oauth: OAuthService;
  readonly uiCustomization: UiCustomizationService;
  readonly branding: BrandingService;

  constructor(readonly deps: ServiceDeps) {
    this.keys = new KeyService(deps);
    this.pools = new PoolService(deps);
    this.users = new UserService(deps, this.pools);
    this.clients = new ClientService(deps, this.pools);
    this.groups = new GroupService(deps, this.pools);
    this.tags = new TagService(this.pools);
    this.signingCertificates = new SigningCertificateService(deps, this.pools);
    this.mfaConfig = new MfaConfigService(deps, this.pools);
    this.tokens = new TokenService(deps, this.pools);
    this.self = new SelfService(deps, this.pools, this.clients, this.tokens);
    this.userMfa = new UserMfaService(deps, this.pools, this.clients, this.tokens);
    this.devices = new DeviceService(deps, this.pools, this.tokens);
    const device = this.devices.signIn.hooks();
    this.risk = new RiskService(deps);
    const risk = this.risk.signInHooks();
    // USER_AUTH (choice-based sign-in): its password factor runs with the same hooks as the other flows.
    const choice = new ChoiceSignIn(deps, () => signInHooks);
    const triggers = new SignInTriggers(deps);
    const custom = new CustomAuth(deps, triggers);
    const signInHooks: SignInHooks = {
      userAuth: choice.userAuth,
      checkDevice: device.checkDevice,
      rememberedDevice: device.rememberedDevice,
      newDevice: device.newDevice,
      risk: risk.risk,
      // Both run before the tokens: threat protection's auth event first, then the PostAuthentication trigger.
      beforeTokens: async (step) => {
        await risk.beforeTokens?.(step);
        await triggers.postAuthentication(step);
      },
      customAuth: custom.initiate,
      srpVerified: custom.srpVerified,
      beforeFirstFactor: triggers.preAuthentication,
      beforeUnknownFirstFactor: triggers.preAuthenticationUnknown,
      unknownUser: triggers.migrate,
      firstFactorFailed: risk.firstFactorFailed,
      passwordAccepted: risk.passwordAccepted,
      secondFactorFailed: risk.secondFactorFailed,
      responders: [device.responder, choice.responder, custom.responder],
    };
    this.auth = new AuthService(deps, this.pools, this.clients, this.tokens, signInHooks);
    this.webauthn = new WebAuthnService(deps, this.tokens);
    this.riskConfig = new RiskConfigService(deps, this.pools, this.clients);
    this.authEvents = new AuthEventService(deps, this.pools);
    this.domains = new DomainService(deps, this.pools);
    this.resourceServers = new ResourceServerService(deps, this.pools);
    this.oauth = new OAuthService(deps, this.pools, this.clients, this.tokens);
    this.uiCustomization = new UiCustomizationService(deps, this.pools, this.clients);
    this.branding = new BrandingService(deps, this.pools, this.clients);
  }
}
