import { Input, type Json } from '../domain/input.js';
import { requireAddOn, RISK_MEMBERS, riskDocFromInput, riskSettingsOf, securityModeOf, type RiskSettings, type SecurityMode } from '../domain/risk-config.js';
import { POOL_WIDE } from '../store/repositories/risk.js';
import type { ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { Pool, PoolService } from './pools.js';

/** RiskConfigurationType as DescribeRiskConfiguration and SetRiskConfiguration answer it (LastModifiedDate in ms). */
export interface RiskConfigurationView {
  UserPoolId: string;
  ClientId?: string;
  doc: { [member: string]: Json };
  lastModified?: number;
}

/** What a sign-in, sign-up or password change in this pool and app client is subject to. */
export interface EffectiveRisk {
  mode: SecurityMode;
  settings: RiskSettings;
}

/**
 * DescribeRiskConfiguration and SetRiskConfiguration: one configuration for the pool (kept under client id
 * "ALL", as Cognito names it) and optional overrides per app client, which replace the pool's whole
 * configuration for that client. Both operations need threat protection on (UserPoolAddOns).
 */
export class RiskConfigService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
  ) {}

  async describe(ctx: CallerContext, poolId: string, clientId: string | undefined): Promise<RiskConfigurationView> {
    const pool = await this.pools.get(ctx, poolId);
    requireAddOn(pool.doc);
    if (clientId !== undefined) {
      await this.clients.getClientForPool(ctx, poolId, clientId);
      const own = await this.deps.store.risk.find(poolId, clientId);
      if (own) return view(poolId, clientId, own);
    }
    const poolWide = await this.deps.store.risk.find(poolId, POOL_WIDE);
    if (poolWide) return view(poolId, POOL_WIDE, poolWide);
    return { UserPoolId: poolId, ...(clientId === undefined ? {} : { ClientId: clientId }), doc: {} };
  }

  /**
   * Sets (or, with no configuration member at all, removes) the pool's or a client's configuration. "To set
   * the risk configuration for the user pool to defaults, send this request with only the UserPoolId
   * parameter. To reset the threat protection settings of an app client to be inherited from the user pool,
   * send UserPoolId and ClientId parameters only." (API_SetRiskConfiguration)
   */
  async set(ctx: CallerContext, input: Input): Promise<RiskConfigurationView> {
    const poolId = input.str('UserPoolId');
    const clientId = input.optStr('ClientId');
    const pool = await this.pools.get(ctx, poolId);
    requireAddOn(pool.doc);
    if (clientId !== undefined) await this.clients.getClientForPool(ctx, poolId, clientId);
    const doc = riskDocFromInput(input);
    const key = clientId ?? POOL_WIDE;
    if (RISK_MEMBERS.every((m) => doc[m] === undefined)) {
      await this.deps.store.risk.remove(poolId, key);
      return { UserPoolId: poolId, ClientId: key, doc: {} };
    }
    const now = this.deps.clock.now().getTime();
    await this.deps.store.risk.put(poolId, key, JSON.stringify(doc), now);
    return { UserPoolId: poolId, ClientId: key, doc, lastModified: now };
  }

}

/**
 * The mode and settings that apply to a request through `clientId` (the client's own configuration, else the
 * pool's). A pool without threat protection costs no query.
 */
export async function effectiveRisk(deps: ServiceDeps, pool: Pool, clientId: string | undefined): Promise<EffectiveRisk> {
  const mode = securityModeOf(pool.doc);
  if (mode === 'OFF') return { mode, settings: riskSettingsOf(undefined) };
  const own = clientId === undefined ? undefined : await deps.store.risk.find(pool.id, clientId);
  const row = own ?? (await deps.store.risk.find(pool.id, POOL_WIDE));
  return { mode, settings: riskSettingsOf(row ? Input.parseDoc(row.doc) : undefined) };
}

function view(poolId: string, clientId: string, row: { doc: string; updatedAt: number }): RiskConfigurationView {
  const parsed = Input.parseDoc(row.doc);
  const doc: { [member: string]: Json } = {};
  for (const m of RISK_MEMBERS) {
    const v = parsed.json(m);
    if (v !== undefined && v !== null) doc[m] = v;
  }
  return { UserPoolId: poolId, ClientId: clientId, doc, lastModified: row.updatedAt };
}
