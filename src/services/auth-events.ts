import { CognitoError, notAuthorized, resourceNotFound } from '../domain/errors.js';
import { requireAddOn, securityModeOf } from '../domain/risk-config.js';
import type { AuthEventRow } from '../store/schema.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { Pool, PoolService } from './pools.js';
import { requireUser } from './user-lookup.js';

const FEEDBACK_PURPOSE = 'auth-event-feedback';
const DEFAULT_PAGE = 60;

/** One entry of ChallengeResponses (ChallengeResponseType). */
export interface ChallengeResult {
  ChallengeName: 'Password' | 'Mfa';
  ChallengeResponse: 'Success' | 'Failure';
}

/** A page of AdminListUserAuthEvents. */
export interface AuthEventPage {
  events: AuthEventRow[];
  nextToken?: string;
}

/**
 * The FeedbackToken of a notification email: the pool, user and event sealed with the server key, so that
 * UpdateAuthEventFeedback (unsigned) can only give feedback on the event the email was about.
 */
export function feedbackToken(deps: ServiceDeps, poolId: string, userId: string, eventId: string): string {
  return deps.secrets.seal(JSON.stringify({ p: poolId, u: userId, e: eventId }), FEEDBACK_PURPOSE);
}

function tokenMatches(deps: ServiceDeps, token: string, poolId: string, userId: string, eventId: string): boolean {
  try {
    const parsed: unknown = JSON.parse(deps.secrets.open(token, FEEDBACK_PURPOSE));
    if (typeof parsed !== 'object' || parsed === null) return false;
    return 'p' in parsed && parsed.p === poolId && 'u' in parsed && parsed.u === userId && 'e' in parsed && parsed.e === eventId;
  } catch {
    return false;
  }
}

/** The account events besides sign-in that threat protection records (EventType). */
export type AccountEventType = 'SignUp' | 'ForgotPassword' | 'PasswordChange';

/**
 * Records a SignUp, ForgotPassword or PasswordChange event in a pool with threat protection on (no query in
 * a pool without it): Pass, or Fail when the password was refused as compromised.
 */
export async function recordAccountEvent(deps: ServiceDeps, pool: Pool, userId: string, type: AccountEventType, outcome: { compromised: boolean; refused?: boolean }): Promise<void> {
  if (securityModeOf(pool.doc) === 'OFF') return;
  await deps.store.authEvents.insert({
    id: deps.random.uuid(),
    pool_id: pool.id,
    user_id: userId,
    event_type: type,
    created_at: deps.clock.now().getTime(),
    response: outcome.refused ? 'Fail' : 'Pass',
    risk_decision: outcome.refused ? 'Block' : 'NoRisk',
    risk_level: null,
    compromised: outcome.compromised ? 1 : 0,
    challenges: '[]',
    ip_address: null,
    device_name: null,
    feedback_value: null,
    feedback_provider: null,
    feedback_at: null,
  });
}

/**
 * AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback: a user's sign-in history
 * as threat protection recorded it (newest first) and the feedback given on each event. All three need threat
 * protection on for the pool (UserPoolAddOnNotEnabledException otherwise).
 */
export class AuthEventService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  private async target(ctx: CallerContext, poolId: string, username: string) {
    const pool = await this.pools.get(ctx, poolId);
    requireAddOn(pool.doc);
    return { pool, user: await requireUser(this.deps, pool, username) };
  }

  async list(ctx: CallerContext, poolId: string, username: string, maxResults: number | undefined, nextToken: string | undefined): Promise<AuthEventPage> {
    const { user } = await this.target(ctx, poolId, username);
    const limit = maxResults === undefined || maxResults === 0 ? DEFAULT_PAGE : maxResults;
    const after = nextToken === undefined ? undefined : cursorOf(decodeToken(nextToken, 'auth-events', 'any'));
    const rows = await this.deps.store.authEvents.list(user.id, limit + 1, after);
    const events = rows.slice(0, limit);
    const last = events[events.length - 1];
    if (rows.length <= limit || !last) return { events };
    return { events, nextToken: encodeToken('auth-events', [Number(last.created_at), last.id]) };
  }

  async adminFeedback(ctx: CallerContext, poolId: string, username: string, eventId: string, value: string): Promise<void> {
    const { user } = await this.target(ctx, poolId, username);
    await this.store(user.id, eventId, value, 'Admin');
  }

  /** UpdateAuthEventFeedback: the FeedbackToken of the notification email stands for the user's consent. */
  async userFeedback(ctx: CallerContext, poolId: string, username: string, eventId: string, token: string, value: string): Promise<void> {
    const { user } = await this.target(ctx, poolId, username);
    if (!tokenMatches(this.deps, token, poolId, user.id, eventId)) throw notAuthorized('Invalid feedback token.');
    await this.store(user.id, eventId, value, 'User');
  }

  private async store(userId: string, eventId: string, value: string, provider: string): Promise<void> {
    const ok = await this.deps.store.authEvents.setFeedback(userId, eventId, value, provider, this.deps.clock.now().getTime());
    if (!ok) throw resourceNotFound('Auth event not found.');
  }
}

function cursorOf(pos: unknown): { createdAt: number; id: string } {
  if (Array.isArray(pos) && typeof pos[0] === 'number' && typeof pos[1] === 'string') return { createdAt: pos[0], id: pos[1] };
  throw new CognitoError('InvalidParameterException', 'Invalid pagination token.');
}
