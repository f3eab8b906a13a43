import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export type DeviceRow = Database['devices'];

/**
 * A device's life: 'new' when a sign-in handed out its key (NewDeviceMetadata), then 'remembered' or
 * 'not_remembered' once ConfirmDevice stored its SRP verifier; ForgetDevice deletes the row.
 */
export type DeviceStatus = 'new' | 'remembered' | 'not_remembered';

export interface DeviceConfirmation {
  srpSalt: string;
  srpVerifierEnc: string;
  name: string | null;
  status: 'remembered' | 'not_remembered';
  at: number;
}

/**
 * Users' devices (device tracking). Every method is one statement, scoped to the owning user where a caller
 * names a device, so a key of another user behaves as an unknown key. Races are settled by conditions on
 * the status (of two concurrent ConfirmDevice calls exactly one succeeds).
 */
export class DeviceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: DeviceRow): Promise<void> {
    await this.db.insertInto('devices').values(row).execute();
  }

  /**
   * Keeps the `keep` newest unconfirmed keys of a user and deletes the rest: a client that never confirms its
   * devices (most server-side SDK users) gets a new key at every sign-in, which must not pile up.
   */
  async pruneUnconfirmed(userId: string, keep: number): Promise<void> {
    const newest = this.db.selectFrom('devices').select('device_key').where('user_id', '=', userId).where('status', '=', 'new').orderBy('created_at', 'desc').limit(keep);
    await this.db.deleteFrom('devices').where('user_id', '=', userId).where('status', '=', 'new').where('device_key', 'not in', newest).execute();
  }

  /** The user's device with this key, in any status. */
  async find(userId: string, deviceKey: string): Promise<DeviceRow | undefined> {
    return this.db.selectFrom('devices').selectAll().where('device_key', '=', deviceKey).where('user_id', '=', userId).executeTakeFirst();
  }

  /** Stores the verifier of a 'new' device and its first status; false when it is not 'new' (any more). */
  async confirm(userId: string, deviceKey: string, c: DeviceConfirmation): Promise<boolean> {
    const r = await this.db
      .updateTable('devices')
      .set({ srp_salt: c.srpSalt, srp_verifier_enc: c.srpVerifierEnc, name: c.name, status: c.status, updated_at: c.at })
      .where('device_key', '=', deviceKey)
      .where('user_id', '=', userId)
      .where('status', '=', 'new')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Sets the remembered status of a confirmed device; false when the user has no confirmed device with this key. */
  async setStatus(userId: string, deviceKey: string, status: 'remembered' | 'not_remembered', at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('devices')
      .set({ status, updated_at: at })
      .where('device_key', '=', deviceKey)
      .where('user_id', '=', userId)
      .where('status', '!=', 'new')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** After a sign-in from the device (and from this IP address, when the app passed it); false when there is none. */
  async touch(userId: string, deviceKey: string, at: number, ip: string | undefined): Promise<boolean> {
    const r = await this.db
      .updateTable('devices')
      .set({ last_authenticated_at: at, ...(ip === undefined ? {} : { last_ip: ip }) })
      .where('device_key', '=', deviceKey)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes one device of the user; false when there was none. */
  async forget(userId: string, deviceKey: string): Promise<boolean> {
    const r = await this.db.deleteFrom('devices').where('device_key', '=', deviceKey).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** One page of the user's devices in `status`, by key, after `afterKey`; `limit + 1` rows tell whether more follow. */
  async list(userId: string, status: DeviceStatus, afterKey: string | undefined, limit: number): Promise<DeviceRow[]> {
    let q = this.db.selectFrom('devices').selectAll().where('user_id', '=', userId).where('status', '=', status);
    if (afterKey !== undefined) q = q.where('device_key', '>', afterKey);
    return q.orderBy('device_key').limit(limit).execute();
  }
}
