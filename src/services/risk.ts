import { createHash } from 'node:crypto';
import { CognitoError, notAuthorized } from '../domain/errors.js';
import { ipIn, type RiskLevel, type TakeoverAction } from '../domain/risk-config.js';
import { failuresSinceLastSuccess, FAILURE_WINDOW_MS, riskLevelOf } from '../domain/risk-level.js';
import type { UserRow } from '../store/schema.js';
import type { ChallengeResult } from './auth-events.js';
import type { RiskDecision, SignInHooks, SignInStep } from './auth-next-step.js';
import type { RequestContext, SignInTarget } from './auth-outcome.js';
import type { ServiceDeps } from './context.js';
import { effectiveRisk, type EffectiveRisk } from './risk-config.js';
import { checkCompromised } from './risk-compromised.js';
import { sendRiskNotification } from './risk-notify.js';

/** Where a sign-in comes from, as far as the request tells (UserContextData / ContextData). */
export type SignInContext = RequestContext;

/** The request context of a sign-in target (the auth handlers fill it). */
export function contextOf(target: SignInTarget): SignInContext {
  return target.context ?? {};
}

/** An event decided in this request, finished when the tokens are issued in the same request. */
interface OpenEvent {
  id: string;
}

/** How long an InProgress sign-in (waiting for MFA) may be finished by a later request. */
const IN_PROGRESS_MS = 15 * 60_000;
/** How long the "breached password" mark of a sign-in waits for its risk decision. */
const COMPROMISED_MARK_MS = 60_000;

/** The stored ChallengeResponses of an event (a JSON list this service wrote). */
function challengesOf(json: string): ChallengeResult[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((c): c is ChallengeResult => {
    if (typeof c !== 'object' || c === null || !('ChallengeName' in c) || !('ChallengeResponse' in c)) return false;
    return (c.ChallengeName === 'Password' || c.ChallengeName === 'Mfa') && (c.ChallengeResponse === 'Success' || c.ChallengeResponse === 'Failure');
  });
}

const valueKey = (value: string): string => createHash('sha256').update(value).digest('base64url');

/**
 * Threat protection in the sign-in pipeline (hooks of auth-next-step.ts): every sign-in of a pool with
 * threat protection on gets a risk level from its signals (domain/risk-level.ts), an action for that level
 * from the effective risk configuration (ENFORCED mode only; AUDIT only records), an optional notification,
 * and an auth event. Blocked IP ranges are refused, skipped ones are never assessed.
 */
export class RiskService {
  private readonly open = new WeakMap<SignInStep, OpenEvent>();
  /** Users whose right password of this moment is a breached one, until `decide` records it (by user id). */
  private readonly compromised = new Map<string, number>();

  constructor(private readonly deps: ServiceDeps) {}

  signInHooks(): Required<Pick<SignInHooks, 'risk' | 'beforeTokens' | 'firstFactorFailed' | 'passwordAccepted' | 'secondFactorFailed'>> {
    return {
      secondFactorFailed: (target, user) => this.secondFactorFailed(target, user),
      passwordAccepted: (target, user, password) => this.passwordAccepted(target, user, password),
      risk: (step) => this.decide(step),
      beforeTokens: (step) => this.succeeded(step),
      firstFactorFailed: (target, user) => this.failed(target, user),
    };
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /**
   * USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH with the right password: the compromised-credentials check
   * for SIGN_IN (SRP never shows the password, so it is not checked there, as in Cognito). Blocking sets the
   * user to RESET_REQUIRED, "A user with a RESET_REQUIRED status must change their password before they can
   * sign in again" (DG cognito-user-pool-settings-compromised-credentials), and refuses this sign-in the way
   * the next ones are refused.
   */
  async passwordAccepted(target: SignInTarget, user: UserRow, password: string): Promise<void> {
    const found = await checkCompromised(this.deps, target.pool, target.client.id, 'SIGN_IN', password);
    if (!found.detected) return;
    if (found.block) {
      await this.record(target, user, 'Fail', 'Block', undefined, contextOf(target), [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }], true);
      await this.deps.store.users.updateFields(user.id, { status: 'RESET_REQUIRED', updated_at: this.now() });
      throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    }
    const now = this.now();
    // Marks are read by `decide` in the same request; drop any left by sign-ins that ended before it.
    for (const [id, at] of this.compromised) if (now - at >= COMPROMISED_MARK_MS) this.compromised.delete(id);
    this.compromised.set(user.id, now);
  }

  /** The risk decision after a successful first factor; throws NotAuthorizedException when it blocks. */
  async decide(step: SignInStep): Promise<RiskDecision> {
    const risk = await effectiveRisk(this.deps, step.target.pool, step.target.client.id);
    if (risk.mode === 'OFF') return { action: 'ALLOW' };
    const ctx = contextOf(step.target);
    const enforced = risk.mode === 'ENFORCED';
    if (ipIn(risk.settings.skipped, ctx.ipAddress)) {
      this.open.set(step, { id: await this.record(step.target, step.user, 'InProgress', 'NoRisk', undefined, ctx, []) });
      return { action: 'ALLOW' };
    }
    if (enforced && ipIn(risk.settings.blocked, ctx.ipAddress)) {
      await this.record(step.target, step.user, 'Fail', 'Block', undefined, ctx, [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]);
      throw notAuthorized('Request not allowed due to security reasons.');
    }
    const level = await this.levelOf(step.user, ctx, step.deviceKey);
    const action: TakeoverAction = level === undefined || !enforced ? 'NO_ACTION' : risk.settings.takeover[level].action;
    const blocked = action === 'BLOCK';
    const decision = level === undefined ? 'NoRisk' : blocked ? 'Block' : 'AccountTakeover';
    const challenges: ChallengeResult[] = [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }];
    const id = await this.record(step.target, step.user, blocked ? 'Fail' : 'InProgress', decision, level, ctx, challenges, this.takeCompromised(step.user.id));
    if (level !== undefined && enforced && risk.settings.takeover[level].notify) await this.notify(risk, step, id, action, ctx);
    if (blocked) throw notAuthorized('Unable to login because of security reasons.');
    this.open.set(step, { id });
    return { action: action === 'MFA_IF_CONFIGURED' || action === 'MFA_REQUIRED' ? action : 'ALLOW' };
  }

  /** Whether the password of this user's sign-in (in the last minute) was found breached; clears the mark. */
  private takeCompromised(userId: string): boolean {
    const at = this.compromised.get(userId);
    this.compromised.delete(userId);
    return at !== undefined && this.now() - at < COMPROMISED_MARK_MS;
  }

  private async levelOf(user: UserRow, ctx: SignInContext, deviceKey: string | undefined): Promise<RiskLevel | undefined> {
    const now = this.now();
    const recent = await this.deps.store.authEvents.recentSignIns(user.id, now - FAILURE_WINDOW_MS, 20);
    const history = await this.deps.store.risk.hasHistory(user.id);
    const device = deviceKey ?? ctx.deviceName;
    const newIp = history && ctx.ipAddress !== undefined && !(await this.deps.store.risk.seen(user.id, 'ip', valueKey(ctx.ipAddress)));
    const newDevice = history && device !== undefined && !(await this.deps.store.risk.seen(user.id, 'device', valueKey(device)));
    return riskLevelOf({ newIp, newDevice, recentFailures: failuresSinceLastSuccess(recent) });
  }

  private async notify(risk: EffectiveRisk, step: SignInStep, eventId: string, action: TakeoverAction, ctx: SignInContext): Promise<void> {
    await sendRiskNotification(this.deps, risk.settings, { pool: step.target.pool, user: step.user, eventId, action, at: this.now(), ...ctx });
  }

  /**
   * Right before tokens: the sign-in passed. An event decided in this same request is finished with the
   * password alone; one left InProgress by an earlier request passed its MFA challenge in between. The IP
   * and device become known for the user's next assessments.
   */
  async succeeded(step: SignInStep): Promise<void> {
    const { pool } = step.target;
    if ((await effectiveRisk(this.deps, pool, step.target.client.id)).mode === 'OFF') return;
    const password: ChallengeResult = { ChallengeName: 'Password', ChallengeResponse: 'Success' };
    const ctx = contextOf(step.target);
    const open = this.open.get(step);
    if (open) {
      await this.deps.store.authEvents.finish(open.id, 'Pass', JSON.stringify([password]));
    } else {
      // The event that waited for this sign-in's MFA was recorded right after its first factor (authTime);
      // an older InProgress event belongs to a sign-in that was abandoned.
      const pending = await this.deps.store.authEvents.latestInProgress(step.user.id, step.authTime * 1000 - 1000);
      const mfa: ChallengeResult = { ChallengeName: 'Mfa', ChallengeResponse: 'Success' };
      if (pending) await this.deps.store.authEvents.finish(pending.id, 'Pass', JSON.stringify([...challengesOf(pending.challenges), mfa]));
      else await this.record(step.target, step.user, 'Pass', 'NoRisk', undefined, ctx, [password]);
    }
    await this.remember(step.user, ctx, step.deviceKey);
  }

  private async remember(user: UserRow, ctx: SignInContext, deviceKey: string | undefined): Promise<void> {
    const now = this.now();
    if (ctx.ipAddress !== undefined) await this.deps.store.risk.remember(user.id, 'ip', valueKey(ctx.ipAddress), now);
    const device = deviceKey ?? ctx.deviceName;
    // A user with neither still gets a row, so that the next sign-in is compared with a history.
    await this.deps.store.risk.remember(user.id, 'device', valueKey(device ?? ''), now);
  }

  /**
   * A wrong MFA code: the sign-in waiting for it gets an Mfa Failure among its challenge responses (it stays
   * InProgress: the user may try again within the Session).
   */
  async secondFactorFailed(target: SignInTarget, user: UserRow): Promise<void> {
    if ((await effectiveRisk(this.deps, target.pool, target.client.id)).mode === 'OFF') return;
    const pending = await this.deps.store.authEvents.latestInProgress(user.id, this.now() - IN_PROGRESS_MS);
    if (!pending) return;
    const failed: ChallengeResult = { ChallengeName: 'Mfa', ChallengeResponse: 'Failure' };
    await this.deps.store.authEvents.finish(pending.id, 'InProgress', JSON.stringify([...challengesOf(pending.challenges), failed]));
  }

  /** A wrong password or SRP proof: a failed SignIn event (and a risk signal for the next attempt). */
  async failed(target: SignInTarget, user: UserRow): Promise<void> {
    if ((await effectiveRisk(this.deps, target.pool, target.client.id)).mode === 'OFF') return;
    await this.record(target, user, 'Fail', 'NoRisk', undefined, contextOf(target), [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]);
  }

  private async record(
    target: SignInTarget,
    user: UserRow,
    response: 'Pass' | 'Fail' | 'InProgress',
    decision: 'NoRisk' | 'AccountTakeover' | 'Block',
    level: RiskLevel | undefined,
    ctx: SignInContext,
    challenges: ChallengeResult[],
    compromised = false,
  ): Promise<string> {
    const id = this.deps.random.uuid();
    await this.deps.store.authEvents.insert({
      id,
      pool_id: target.pool.id,
      user_id: user.id,
      event_type: 'SignIn',
      created_at: this.now(),
      response,
      risk_decision: decision,
      risk_level: level ?? null,
      compromised: compromised ? 1 : 0,
      challenges: JSON.stringify(challenges),
      ip_address: ctx.ipAddress ?? null,
      device_name: ctx.deviceName ?? null,
      feedback_value: null,
      feedback_provider: null,
      feedback_at: null,
    });
    return id;
  }
}
