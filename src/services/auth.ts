import {
  ADMIN_INITIATE_AUTH_FLOWS,
  flowAllowed,
  flowNotEnabled,
  flowNotSupported,
  INITIATE_AUTH_FLOWS,
  invalidSession,
  missingParameter,
} from '../domain/auth-flows.js';
import { explicitAuthFlowsOf } from '../domain/client-config.js';
import { CognitoError, invalidParameter } from '../domain/errors.js';
import type { UserRow } from '../store/schema.js';
import { completeNewPassword, openNewPasswordSession } from './auth-new-password.js';
import { MfaChallenges } from './auth-mfa.js';
import { isMfaChallenge, MfaAnswers } from './auth-mfa-answer.js';
import { NextStep, stepOf, type SignInHooks } from './auth-next-step.js';
import type { StateExtra } from './auth-state.js';
import type { AuthOutcome, RequestContext, SignInTarget } from './auth-outcome.js';
import { PasswordSignIn } from './auth-password.js';
import { openSrpProof, startSrp } from './auth-srp.js';
import { resolveAppClient } from './app-client.js';
import type { ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { PoolService } from './pools.js';
import { rotationOf, type IssuedTokens, type TokenService } from './tokens.js';
import { findUser } from './user-lookup.js';

export type { AuthOutcome };

export interface InitiateAuthRequest {
  authFlow: string;
  clientId: string;
  /** AdminInitiateAuth only. */
  poolId?: string;
  params: Record<string, string>;
  /** The hosted sign-in page (src/api/hosted/): see SignInTarget.hosted. */
  hosted?: boolean;
  context?: RequestContext;
}

export interface RespondRequest {
  challengeName: string;
  clientId: string;
  /** AdminRespondToAuthChallenge only. */
  poolId?: string;
  session: string | undefined;
  responses: Record<string, string>;
  /** The hosted sign-in page (src/api/hosted/): see SignInTarget.hosted. */
  hosted?: boolean;
  context?: RequestContext;
}

/**
 * Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge and
 * GetTokensFromRefreshToken. Each request is checked in Cognito's order: the app client and flow, the
 * parameters, SECRET_HASH, the user (hidden as the client's PreventUserExistenceErrors says), the lockout,
 * the password or proof; what follows a right first factor is NextStep's (auth-next-step.ts). Other
 * areas plug in through `SignInHooks` (services.ts passes them in).
 */
export class AuthService {
  private readonly password: PasswordSignIn;
  /** The sign-in pipeline after a first factor (auth-next-step.ts). */
  readonly next: NextStep;
  /** MFA challenges (auth-mfa.ts) and their answers (auth-mfa-answer.ts). */
  readonly mfa: MfaChallenges;
  private readonly mfaAnswers: MfaAnswers;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
    private readonly tokens: TokenService,
    private readonly hooks: SignInHooks = {},
  ) {
    this.mfa = new MfaChallenges(deps);
    this.next = new NextStep(deps, tokens, hooks, this.mfa);
    this.mfaAnswers = new MfaAnswers(deps, this.mfa, this.next);
    this.password = new PasswordSignIn(deps, this.next, hooks);
  }

  private async target(ctx: CallerContext, req: { clientId: string; poolId?: string; hosted?: boolean; context?: RequestContext }): Promise<SignInTarget> {
    const extra = { ...(req.hosted ? { hosted: true } : {}), ...(req.context ? { context: req.context } : {}) };
    // Unsigned operations name only the client, whose pool they act on.
    if (req.poolId === undefined) return { ...(await resolveAppClient(this.pools, this.clients, ctx, req.clientId)), admin: false, ...extra };
    const pool = await this.pools.get(ctx, req.poolId);
    return { pool, client: await this.clients.getClientForPool(ctx, req.poolId, req.clientId), admin: true, ...extra };
  }

  async initiate(ctx: CallerContext, req: InitiateAuthRequest): Promise<AuthOutcome> {
    const t = await this.target(ctx, req);
    const flow = (t.admin ? ADMIN_INITIATE_AUTH_FLOWS : INITIATE_AUTH_FLOWS).get(req.authFlow);
    if (flow === undefined) throw flowNotSupported();
    if (!t.hosted && !flowAllowed(explicitAuthFlowsOf(t.client.doc), flow)) throw flowNotEnabled(flow);
    // "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled"
    // (DG, amazon-cognito-user-pools-using-the-refresh-token): those use GetTokensFromRefreshToken.
    if (flow === 'REFRESH_TOKEN_AUTH' && rotationOf(t.client.doc).enabled) throw flowNotEnabled(flow);
    const p = req.params;
    switch (flow) {
      case 'USER_PASSWORD_AUTH':
      case 'ADMIN_USER_PASSWORD_AUTH': {
        const name = required(p, 'USERNAME');
        const password = required(p, 'PASSWORD');
        const user = (await this.userWithSecretHash(t, name, p.SECRET_HASH)) ?? (await this.hooks.unknownUser?.(t, name, password));
        if (!user) await this.hooks.beforeUnknownFirstFactor?.(t, name);
        return this.password.signIn(t, user, password, p.DEVICE_KEY);
      }
      case 'USER_SRP_AUTH': {
        const name = required(p, 'USERNAME');
        const user = await this.userWithSecretHash(t, name, p.SECRET_HASH);
        this.password.checkBeforeChallenge(t, user);
        if (user) await this.hooks.beforeFirstFactor?.(t, user);
        else await this.hooks.beforeUnknownFirstFactor?.(t, name);
        return { challenge: { name: 'PASSWORD_VERIFIER', parameters: startSrp(this.deps, t, user, name, p.SRP_A) } };
      }
      case 'REFRESH_TOKEN_AUTH':
        return { tokens: await this.refresh(t, required(p, 'REFRESH_TOKEN'), p.SECRET_HASH, p.DEVICE_KEY) };
      case 'CUSTOM_AUTH':
        if (this.hooks.customAuth) return this.hooks.customAuth(t, p, this.next);
        throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
      case 'USER_AUTH':
        if (this.hooks.userAuth) return this.hooks.userAuth(t, p, this.next);
        throw new CognitoError('UnsupportedOperationException', 'USER_AUTH is not supported by this server yet.');
    }
  }

  async respond(ctx: CallerContext, req: RespondRequest): Promise<AuthOutcome> {
    const t = await this.target(ctx, req);
    const r = req.responses;
    switch (req.challengeName) {
      case 'PASSWORD_VERIFIER': {
        const name = required(r, 'USERNAME');
        const proof = openSrpProof(this.deps, t, r);
        const user = await this.userWithSecretHash(t, name, r.SECRET_HASH);
        return this.password.completeSrp(t, proof, user, r.DEVICE_KEY);
      }
      case 'NEW_PASSWORD_REQUIRED': {
        const name = required(r, 'USERNAME');
        const state = openNewPasswordSession(this.deps, t, req.session);
        const user = await this.userWithSecretHash(t, name, r.SECRET_HASH);
        if (!user || user.id !== state.sub) throw invalidSession();
        this.password.checkEnabled(user);
        await this.checkAnsweredDevice(t, user, state.extra, r.DEVICE_KEY);
        const confirmed = await completeNewPassword(this.deps, t, state, user, r);
        const step = stepOf(t, confirmed, state.authTime, state.extra, r.DEVICE_KEY);
        return this.next.continueFrom('RISK', { ...step, tokenSource: 'TokenGeneration_NewPasswordChallenge' });
      }
      default: {
        const mfa = isMfaChallenge(req.challengeName) ? await this.answerMfa(t, req) : undefined;
        return mfa ?? this.otherChallenge(t, req);
      }
    }
  }

  private answerMfa(t: SignInTarget, req: RespondRequest): Promise<AuthOutcome | undefined> {
    const r = req.responses;
    return this.mfaAnswers.answer({
      target: t,
      challengeName: req.challengeName,
      session: req.session,
      responses: r,
      user: () => this.userWithSecretHash(t, r.USERNAME ?? '', r.SECRET_HASH),
      checkEnabled: (user) => this.password.checkEnabled(user),
      checkDevice: (user, sealed) => this.checkAnsweredDevice(t, user, sealed, r.DEVICE_KEY),
    });
  }

  /**
   * A DEVICE_KEY first named in a challenge answer (not the one the first factor checked and the Session
   * carries) must be a device of the user too, checked before the answer is acted on: a new password is not
   * stored, nor an MFA code used up, for a sign-in that then fails on its device.
   */
  private async checkAnsweredDevice(t: SignInTarget, user: UserRow, sealed: StateExtra | undefined, deviceKey: string | undefined): Promise<void> {
    if (deviceKey === undefined || deviceKey === sealed?.d) return;
    await this.hooks.checkDevice?.(t, user, deviceKey);
  }

  /** Challenges other areas issue (devices, passkeys, ...): the first responder that knows it answers. */
  private async otherChallenge(t: SignInTarget, req: RespondRequest): Promise<AuthOutcome> {
    const answer = { target: t, challengeName: req.challengeName, session: req.session, responses: req.responses, next: this.next };
    for (const responder of this.hooks.responders ?? []) {
      const outcome = await responder(answer);
      if (outcome) return outcome;
    }
    throw invalidSession();
  }

  /** GetTokensFromRefreshToken: the client authenticates with its secret itself (not a SECRET_HASH). */
  async tokensFromRefreshToken(ctx: CallerContext, clientId: string, refreshToken: string, clientSecret: string | undefined, deviceKey: string | undefined): Promise<IssuedTokens> {
    const t = await this.target(ctx, { clientId });
    await this.password.checkClientSecret(t, clientSecret);
    return this.tokens.refresh(t.pool, t.client, refreshToken, deviceKey === undefined ? {} : { deviceKey });
  }

  /**
   * REFRESH_TOKEN_AUTH. On a client with a secret, SECRET_HASH is computed over the username of the token's
   * user (the stored username, or the sub, which is the same thing in pools that sign in by email or phone).
   */
  private async refresh(t: SignInTarget, refreshToken: string, secretHash: string | undefined, deviceKey: string | undefined): Promise<IssuedTokens> {
    if (await this.password.hasSecret(t)) {
      const user = await this.tokens.refreshTokenUser(t.pool, t.client, refreshToken);
      if (!user) throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
      await this.password.checkSecretHashFor(t, [user.username, user.id], secretHash);
    }
    return this.tokens.refresh(t.pool, t.client, refreshToken, deviceKey === undefined ? {} : { deviceKey });
  }

  /**
   * The user a USERNAME names (username, alias or sub), once the SECRET_HASH is right for it: computed over
   * the name as sent, or over the stored username it resolves to (both are what clients use).
   */
  private async userWithSecretHash(t: SignInTarget, name: string, secretHash: string | undefined): Promise<UserRow | undefined> {
    const user = await findUser(this.deps, t.pool, name);
    const names = user && user.username !== name ? [name, user.username] : [name];
    if (t.hosted) return user;
    await this.password.checkSecretHashFor(t, names, secretHash);
    return user;
  }
}

function required(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw missingParameter(name);
  return v;
}
