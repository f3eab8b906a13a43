import { CognitoError } from '../domain/errors.js';
import type { DeviceRow } from '../store/repositories/devices.js';
import type { UserRow } from '../store/schema.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { deviceNotFound, deviceSettingsOf, deviceVerifier, deviceView, type DeviceView } from './devices-records.js';
import { DeviceSignIn } from './devices-sign-in.js';
import { decodeToken, encodeToken } from './pagination.js';
import type { Pool, PoolService } from './pools.js';
import type { TokenService } from './tokens.js';
import { requireUser } from './user-lookup.js';

export type { DeviceView };

export type RememberedStatus = 'remembered' | 'not_remembered';

export interface DevicePage {
  devices: DeviceView[];
  paginationToken?: string;
}

/** Devices a listing returns when the caller gives no Limit (or 0): the largest page Cognito allows. */
const DEFAULT_LIMIT = 60;

interface Owner {
  pool: Pool;
  user: UserRow;
}

/**
 * The device operations: ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice
 * (authorized by the user's access token) and their Admin twins (signed, naming pool and user); and, through
 * `signIn`, the sign-in pipeline's device hooks.
 */
export class DeviceService {
  readonly signIn: DeviceSignIn;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly tokens: TokenService,
  ) {
    this.signIn = new DeviceSignIn(deps);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /** The access token's user, refused in the states Cognito refuses self-service in. */
  private async self(accessToken: string): Promise<Owner> {
    const { pool, user } = await this.tokens.verifyAccessToken(accessToken);
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    return { pool, user };
  }

  private async admin(ctx: CallerContext, poolId: string, username: string): Promise<Owner> {
    const pool = await this.pools.get(ctx, poolId);
    return { pool, user: await requireUser(this.deps, pool, username) };
  }

  /** A confirmed device of the user ('new' keys were handed out but never confirmed: not a device yet). */
  private async confirmedDevice(o: Owner, deviceKey: string): Promise<DeviceRow> {
    const d = await this.deps.store.devices.find(o.user.id, deviceKey);
    if (!d || d.status === 'new') throw deviceNotFound();
    return d;
  }

  /**
   * ConfirmDevice: stores the device's SRP verifier. Remembered at once unless the pool asks the user first
   * (DeviceOnlyRememberedOnUserPrompt), which UserConfirmationNecessary tells the client. A device confirmed
   * already cannot be confirmed again (DeviceKeyExistsException): its verifier is not replaceable.
   */
  async confirm(accessToken: string, deviceKey: string, config: { salt?: string; verifier?: string } | undefined, name: string | undefined): Promise<{ userConfirmationNecessary: boolean }> {
    const o = await this.self(accessToken);
    const settings = deviceSettingsOf(o.pool);
    const device = await this.deps.store.devices.find(o.user.id, deviceKey);
    if (!settings || !device) throw deviceNotFound();
    if (device.status !== 'new') throw new CognitoError('DeviceKeyExistsException', 'Device key already exists.');
    const creds = deviceVerifier(this.deps, o.pool.id, deviceKey, config);
    const status: RememberedStatus = settings.rememberOnUserPrompt ? 'not_remembered' : 'remembered';
    const done = await this.deps.store.devices.confirm(o.user.id, deviceKey, { ...creds, name: name ?? null, status, at: this.now() });
    if (!done) throw new CognitoError('DeviceKeyExistsException', 'Device key already exists.');
    return { userConfirmationNecessary: settings.rememberOnUserPrompt };
  }

  async get(accessToken: string, deviceKey: string): Promise<DeviceView> {
    return this.view(await this.self(accessToken), deviceKey);
  }

  async adminGet(ctx: CallerContext, poolId: string, username: string, deviceKey: string): Promise<DeviceView> {
    return this.view(await this.admin(ctx, poolId, username), deviceKey);
  }

  private async view(o: Owner, deviceKey: string): Promise<DeviceView> {
    return deviceView(this.deps, o.pool, o.user, await this.confirmedDevice(o, deviceKey));
  }

  async list(accessToken: string, limit: number | undefined, token: string | undefined): Promise<DevicePage> {
    return this.page(await this.self(accessToken), limit, token);
  }

  async adminList(ctx: CallerContext, poolId: string, username: string, limit: number | undefined, token: string | undefined): Promise<DevicePage> {
    return this.page(await this.admin(ctx, poolId, username), limit, token);
  }

  /**
   * Only remembered devices are listed, as Cognito lists them (amazon-cognito-identity-js PR #199 "listDevices
   * only returns remembered devices"; aws-amplify/amplify-js PR #12171 "Only remembered devices are listed").
   * Keyset pages by device key; the token carries the last key.
   */
  private async page(o: Owner, limit: number | undefined, token: string | undefined): Promise<DevicePage> {
    const size = limit === undefined || limit === 0 ? DEFAULT_LIMIT : limit;
    const after = token === undefined ? undefined : decodeToken(token, 'devices');
    const rows = await this.deps.store.devices.list(o.user.id, 'remembered', after, size + 1);
    const shown = rows.slice(0, size);
    const last = shown[shown.length - 1];
    const devices = shown.map((d) => deviceView(this.deps, o.pool, o.user, d));
    return rows.length > size && last ? { devices, paginationToken: encodeToken('devices', last.device_key) } : { devices };
  }

  async updateStatus(accessToken: string, deviceKey: string, status: RememberedStatus | undefined): Promise<void> {
    await this.setStatus(await this.self(accessToken), deviceKey, status);
  }

  async adminUpdateStatus(ctx: CallerContext, poolId: string, username: string, deviceKey: string, status: RememberedStatus | undefined): Promise<void> {
    await this.setStatus(await this.admin(ctx, poolId, username), deviceKey, status);
  }

  /** Without a status the device is only checked (the model makes DeviceRememberedStatus optional). */
  private async setStatus(o: Owner, deviceKey: string, status: RememberedStatus | undefined): Promise<void> {
    if (status === undefined) {
      await this.confirmedDevice(o, deviceKey);
      return;
    }
    if (!(await this.deps.store.devices.setStatus(o.user.id, deviceKey, status, this.now()))) throw deviceNotFound();
  }

  /**
   * ForgetDevice: the device is gone, and with it the sessions bound to it (their refresh tokens carry its key,
   * TokenService.refresh checks the device still exists). An unconfirmed key can be forgotten too.
   */
  async forget(accessToken: string, deviceKey: string): Promise<void> {
    await this.remove(await this.self(accessToken), deviceKey);
  }

  async adminForget(ctx: CallerContext, poolId: string, username: string, deviceKey: string): Promise<void> {
    await this.remove(await this.admin(ctx, poolId, username), deviceKey);
  }

  private async remove(o: Owner, deviceKey: string): Promise<void> {
    if (!(await this.deps.store.devices.forget(o.user.id, deviceKey))) throw deviceNotFound();
  }
}
