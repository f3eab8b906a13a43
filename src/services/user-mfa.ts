import { internalError, invalidParameter } from '../domain/errors.js';
import { CognitoError } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import { challengeSession, openSession, openState } from './auth-state.js';
import type { SignInTarget } from './auth-outcome.js';
import { resolveAppClient } from './app-client.js';
import type { ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { Pool, PoolService } from './pools.js';
import type { TokenService } from './tokens.js';
import { poolFactors } from './auth-mfa.js';
import { requireUser } from './user-lookup.js';
import { applyPreference, checkDeliverable, settingsOf, type MfaPreferenceRequest } from './user-mfa-settings.js';
import { newTotpSecret, totpSetupMismatch, totpStepOf } from './user-mfa-totp.js';

/** Compare-and-set rounds before a preference update gives up (each loss means another update landed). */
const CAS_ATTEMPTS = 8;

/** Who a software-token operation acts for: a signed-in user (AccessToken) or one in MFA_SETUP (Session). */
export type TokenCaller = { accessToken: string } | { session: string };

/** MFAOptionType (SetUserSettings, AdminSetUserSettings): legacy, SMS to phone_number only. */
export interface MfaOption {
  deliveryMedium?: string;
  attributeName?: string;
}

/**
 * A user's MFA: Set(Admin)UserMFAPreference, the legacy Set(Admin)UserSettings, and the software token
 * (AssociateSoftwareToken, VerifySoftwareToken) for a signed-in user or during MFA_SETUP. The Session path:
 * the MFA_SETUP challenge's Session → AssociateSoftwareToken → a new Session → VerifySoftwareToken → a new
 * Session that answers MFA_SETUP (each kind sealed separately, so they cannot be swapped).
 */
export class UserMfaService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
    private readonly tokens: TokenService,
  ) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  async setPreferenceByToken(accessToken: string, req: MfaPreferenceRequest): Promise<void> {
    const { pool, user } = await this.tokens.verifyAccessToken(accessToken);
    await this.setPreference(pool, user, req);
  }

  async setPreferenceAdmin(ctx: CallerContext, poolId: string, username: string, req: MfaPreferenceRequest): Promise<void> {
    await this.setPreference(...(await this.adminUser(ctx, poolId, username)), req);
  }

  /** Legacy: an SMS MFAOption turns SMS MFA on, an empty list turns it off. */
  async setSettingsByToken(accessToken: string, options: readonly MfaOption[]): Promise<void> {
    const { pool, user } = await this.tokens.verifyAccessToken(accessToken);
    await this.setPreference(pool, user, legacyRequest(options));
  }

  async setSettingsAdmin(ctx: CallerContext, poolId: string, username: string, options: readonly MfaOption[]): Promise<void> {
    await this.setPreference(...(await this.adminUser(ctx, poolId, username)), legacyRequest(options));
  }

  private async adminUser(ctx: CallerContext, poolId: string, username: string): Promise<[Pool, UserRow]> {
    const pool: Pool = await this.pools.get(ctx, poolId);
    return [pool, await requireUser(this.deps, pool, username)];
  }

  /**
   * Applies the request to the settings as they are now, compare-and-set: when another request changed them
   * in between, it is applied again to what that one wrote, so concurrent updates add up instead of one
   * silently undoing the other.
   */
  private async setPreference(pool: Pool, user: UserRow, req: MfaPreferenceRequest): Promise<void> {
    const offered = poolFactors(pool.doc);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const row = await this.deps.store.userMfa.find(user.id);
      const before = settingsOf(row);
      const after = applyPreference(before, req);
      checkDeliverable(user, row, offered, before, after);
      if (await this.deps.store.userMfa.replaceSettings(user.id, row ? before : undefined, after, this.now())) return;
    }
    throw internalError();
  }

  /** AssociateSoftwareToken: a new secret, pending until verified; with a Session, the next Session too. */
  async associate(ctx: CallerContext, caller: TokenCaller): Promise<{ secretCode: string; session?: string }> {
    const secret = newTotpSecret(this.deps);
    if ('accessToken' in caller) {
      const { user } = await this.tokens.verifyAccessToken(caller.accessToken);
      await this.deps.store.userMfa.setPendingSecret(user.id, secret.sealed, this.now());
      return { secretCode: secret.code };
    }
    const { target, user, authTime, extra } = await this.setupSession(ctx, caller.session, 'MFA_SETUP', 'MFA_SETUP:ASSOCIATED');
    await this.deps.store.userMfa.setPendingSecret(user.id, secret.sealed, this.now());
    return { secretCode: secret.code, session: challengeSession(this.deps, target, 'MFA_SETUP:ASSOCIATED', user, authTime, extra).session };
  }

  /**
   * VerifySoftwareToken: the code must be right for the pending secret (one step of drift); the secret then
   * becomes the user's and software-token MFA is on. A wrong code: EnableSoftwareTokenMFAException.
   */
  async verify(ctx: CallerContext, caller: TokenCaller, code: string): Promise<{ session?: string }> {
    if ('accessToken' in caller) {
      const { user } = await this.tokens.verifyAccessToken(caller.accessToken);
      await this.verifyPending(user, code);
      return {};
    }
    const { target, user, authTime, extra, id, expiresAt } = await this.setupSession(ctx, caller.session, 'MFA_SETUP:ASSOCIATED');
    await this.verifyPending(user, code);
    await this.deps.store.signIn.useOnce(id, expiresAt, this.now());
    return { session: challengeSession(this.deps, target, 'MFA_SETUP:VERIFIED', user, authTime, extra).session };
  }

  private async verifyPending(user: UserRow, code: string): Promise<void> {
    const pending = (await this.deps.store.userMfa.find(user.id))?.totp_pending_enc;
    // Cognito's wording for this exception (amazon-cognito-identity-js#630).
    if (!pending) throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.');
    const step = totpStepOf(this.deps, pending, code, this.now());
    if (step === undefined) throw totpSetupMismatch();
    if (!(await this.deps.store.userMfa.verifyPendingSecret(user.id, pending, step, this.now()))) throw totpSetupMismatch();
  }

  /**
   * The user and app client of an MFA_SETUP Session (unsigned operations name no client: the Session does).
   * `kinds` are the Session kinds accepted, tried in order.
   */
  private async setupSession(ctx: CallerContext, session: string, ...kinds: string[]) {
    const kind = kinds.find((k) => openState(this.deps, k, session) !== undefined);
    const sealed = kind === undefined ? undefined : openState(this.deps, kind, session);
    if (!kind || !sealed) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
    const { pool, client } = await resolveAppClient(this.pools, this.clients, ctx, sealed.clientId);
    const target: SignInTarget = { pool, client, admin: false };
    const state = openSession(this.deps, target, kind, session);
    if (await this.deps.store.signIn.wasUsed(state.id)) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session can only be used once.');
    const user = await this.deps.store.users.findBySub(pool.id, state.sub);
    if (!user) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
    return { target, user, authTime: state.authTime, extra: state.extra ?? {}, id: state.id, expiresAt: state.expiresAt };
  }
}

function legacyRequest(options: readonly MfaOption[]): MfaPreferenceRequest {
  for (const o of options) {
    if (o.deliveryMedium !== undefined && o.deliveryMedium !== 'SMS') throw invalidParameter('Only SMS is supported as MFA delivery medium.');
    if (o.attributeName !== undefined && o.attributeName !== 'phone_number') throw invalidParameter('Only phone_number is supported as MFA attribute.');
  }
  return { SMS_MFA: { enabled: options.length > 0 } };
}
