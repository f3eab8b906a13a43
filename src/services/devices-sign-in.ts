import type { DeviceRow } from '../store/repositories/devices.js';
import type { UserRow } from '../store/schema.js';
import { answerDevicePassword, answerDeviceSrp, deviceSrpChallenge, type DeviceLookup } from './auth-device.js';
import type { ChallengeAnswer, SignInHooks, SignInStep } from './auth-next-step.js';
import type { AuthOutcome, NewDeviceMetadata, SignInTarget } from './auth-outcome.js';
import type { ServiceDeps } from './context.js';
import { deviceNotFound, deviceSettingsOf, newDeviceRow } from './devices-records.js';

/**
 * Unconfirmed device keys kept per user. Their sessions' refresh tokens name them, so a pruned key ends the
 * oldest such session; a hundred sign-ins without ConfirmDevice later, that is a bound, not a loss.
 */
const UNCONFIRMED_KEPT = 100;

/**
 * The sign-in pipeline's device hooks (auth-next-step.ts), in a pool that tracks devices:
 * - a DEVICE_KEY sent with a first factor must name a device of the user (checked before the password);
 * - from a remembered device, when the pool lets devices stand in for MFA (ChallengeRequiredOnNewDevice),
 *   the sign-in continues with DEVICE_SRP_AUTH instead of the MFA challenge it would get (the pipeline asks
 *   only when there is one: auth-next-step.ts);
 * - a sign-in without DEVICE_KEY gets a new device key (NewDeviceMetadata), which its access token carries.
 * In a pool without device tracking DEVICE_KEY is ignored, as Cognito ignores it.
 */
export class DeviceSignIn implements DeviceLookup {
  constructor(private readonly deps: ServiceDeps) {}

  /** The hooks to give AuthService. */
  hooks(): Required<Pick<SignInHooks, 'checkDevice' | 'rememberedDevice' | 'newDevice'>> & { responder: (a: ChallengeAnswer) => Promise<AuthOutcome | undefined> } {
    return {
      checkDevice: (target, user, deviceKey) => this.checkDevice(target, user, deviceKey),
      rememberedDevice: (step) => this.rememberedDevice(step),
      newDevice: (step) => this.newDevice(step),
      responder: (answer) => this.respond(answer),
    };
  }

  async remembered(user: UserRow, deviceKey: string): Promise<DeviceRow | undefined> {
    const d = await this.deps.store.devices.find(user.id, deviceKey);
    return d && d.status === 'remembered' && d.srp_verifier_enc !== null ? d : undefined;
  }

  async checkDevice(target: SignInTarget, user: UserRow, deviceKey: string): Promise<void> {
    if (!deviceSettingsOf(target.pool)) return;
    if (!(await this.deps.store.devices.find(user.id, deviceKey))) throw deviceNotFound();
  }

  async rememberedDevice(step: SignInStep): Promise<AuthOutcome | undefined> {
    const settings = deviceSettingsOf(step.target.pool);
    const key = step.deviceKey;
    if (!settings?.deviceAuthSkipsMfa || key === undefined) return undefined;
    if (!(await this.remembered(step.user, key))) return undefined;
    return deviceSrpChallenge(this.deps, { ...step, deviceKey: key });
  }

  /**
   * Right before tokens: a known device is marked as just used; an unknown one gets its key. Not on the hosted
   * sign-in page, whose sessions end in OAuth tokens (device tracking is for the API flows).
   */
  async newDevice(step: SignInStep): Promise<NewDeviceMetadata | undefined> {
    const { pool, hosted, context } = step.target;
    if (!deviceSettingsOf(pool) || hosted === true) return undefined;
    const now = this.deps.clock.now().getTime();
    const devices = this.deps.store.devices;
    if (step.deviceKey !== undefined) {
      // The key was checked at the first factor; a challenge answer may name another one, which must be real too.
      if (!(await devices.touch(step.user.id, step.deviceKey, now, context?.ipAddress))) throw deviceNotFound();
      return undefined;
    }
    const row = { ...newDeviceRow(this.deps, pool, step.user, now), last_ip: context?.ipAddress ?? null };
    await devices.insert(row);
    await devices.pruneUnconfirmed(step.user.id, UNCONFIRMED_KEPT);
    return { DeviceKey: row.device_key, DeviceGroupKey: row.group_key };
  }

  /** RespondToAuthChallenge for DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; undefined for other challenges. */
  async respond(a: ChallengeAnswer): Promise<AuthOutcome | undefined> {
    if (a.challengeName === 'DEVICE_SRP_AUTH') return answerDeviceSrp(this.deps, this, a.target, a.session, a.responses);
    if (a.challengeName !== 'DEVICE_PASSWORD_VERIFIER') return undefined;
    // The tokens stage marks the device as used (newDevice, with the step's device key).
    return a.next.continueFrom('TOKENS', await answerDevicePassword(this.deps, this, a.target, a.session, a.responses));
  }
}
