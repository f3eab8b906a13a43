import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { prepare } from '../prepared.js';
import type { Database } from '../schema.js';

export type UserMfaRow = Database['user_mfa'];

/** Which factors a user turned on and which one is preferred (the settings half of a `user_mfa` row). */
export interface MfaSettings {
  sms: boolean;
  totp: boolean;
  email: boolean;
  preferred: string | null;
}

/**
 * Users' MFA settings and TOTP secrets. Every method is one statement; the TOTP secret moves from pending to verified by compare-and-set, and a TOTP time step is
 * used up by a conditional update, so of two concurrent uses of one code exactly one wins.
 */
export class UserMfaRepository {
  private readonly db: Kysely<Database>;
  /** Read by every sign-in and every AdminGetUser / GetUser, precompiled (prepared.ts). */
  private readonly byUser;

  constructor(dialect: StoreDialect) {
    const db = dialect.db;
    this.db = db;
    this.byUser = prepare(db, (userId: string) => db.selectFrom('user_mfa').selectAll().where('user_id', '=', userId));
  }

  async find(userId: string): Promise<UserMfaRow | undefined> {
    return (await this.byUser(userId))[0];
  }

  /**
   * Writes the settings, leaving the TOTP secret as it is, only while they are still `before` (undefined: no
   * row yet): a compare-and-set, so two concurrent preference updates cannot overwrite each other (the loser
   * gets false, reads again and reapplies its change). One statement either way.
   */
  async replaceSettings(userId: string, before: MfaSettings | undefined, s: MfaSettings, now: number): Promise<boolean> {
    const values = { sms_enabled: s.sms ? 1 : 0, totp_enabled: s.totp ? 1 : 0, email_enabled: s.email ? 1 : 0, preferred: s.preferred, updated_at: now };
    if (before === undefined) {
      const r = await this.db
        .insertInto('user_mfa')
        .values({ user_id: userId, ...values, totp_secret_enc: null, totp_pending_enc: null, totp_last_step: null })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    }
    const r = await this.db
      .updateTable('user_mfa')
      .set(values)
      .where('user_id', '=', userId)
      .where('sms_enabled', '=', before.sms ? 1 : 0)
      .where('totp_enabled', '=', before.totp ? 1 : 0)
      .where('email_enabled', '=', before.email ? 1 : 0)
      .where((eb) => (before.preferred === null ? eb('preferred', 'is', null) : eb('preferred', '=', before.preferred)))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** AssociateSoftwareToken: a new secret awaiting verification (replaces an earlier pending one). */
  async setPendingSecret(userId: string, secretEnc: string, now: number): Promise<void> {
    await this.db
      .insertInto('user_mfa')
      .values({ user_id: userId, sms_enabled: 0, totp_enabled: 0, email_enabled: 0, preferred: null, totp_secret_enc: null, totp_pending_enc: secretEnc, totp_last_step: null, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ totp_pending_enc: secretEnc, updated_at: now }))
      .execute();
  }

  /**
   * VerifySoftwareToken: the pending secret becomes the user's TOTP secret, TOTP MFA is turned on, and `step`
   * is recorded as used; only while the pending secret is still `secretEnc` (false otherwise).
   */
  async verifyPendingSecret(userId: string, secretEnc: string, step: number, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('user_mfa')
      .set({ totp_secret_enc: secretEnc, totp_pending_enc: null, totp_enabled: 1, totp_last_step: step, updated_at: now })
      .where('user_id', '=', userId)
      .where('totp_pending_enc', '=', secretEnc)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Uses up TOTP time step `step` of secret `secretEnc`: false when it (or a later one) was used already. */
  async useTotpStep(userId: string, secretEnc: string, step: number): Promise<boolean> {
    const r = await this.db
      .updateTable('user_mfa')
      .set({ totp_last_step: step })
      .where('user_id', '=', userId)
      .where('totp_secret_enc', '=', secretEnc)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
