import type { StoreDialect } from '../dialect.js';
import type { WebAuthnCredentialRow } from '../schema.js';

/** Where a listing page starts: after this credential in (created_at, credential_id) order. */
export interface CredentialCursor {
  createdAt: number;
  credentialId: string;
}

/**
 * Users' passkeys (webauthn_credentials). A credential id is unique within a pool (primary key), so one
 * authenticator credential never belongs to two users there. Each method is one statement; the sign
 * counter moves by a conditional update, so of two concurrent sign-ins with the same counter one loses.
 */
export class WebAuthnRepository {
  constructor(private readonly d: StoreDialect) {}

  private get db() {
    return this.d.db;
  }

  /** Inserts a credential; false when the pool already has one with this id. */
  async add(row: WebAuthnCredentialRow): Promise<boolean> {
    try {
      await this.db.insertInto('webauthn_credentials').values(row).execute();
      return true;
    } catch (err) {
      if (this.d.isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async find(poolId: string, credentialId: string): Promise<WebAuthnCredentialRow | undefined> {
    return this.db.selectFrom('webauthn_credentials').selectAll().where('pool_id', '=', poolId).where('credential_id', '=', credentialId).executeTakeFirst();
  }

  async countForUser(userId: string): Promise<number> {
    const r = await this.db.selectFrom('webauthn_credentials').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** A user's credentials oldest first, `limit` of them after `after` (keyset pagination). */
  async listForUser(userId: string, limit: number, after?: CredentialCursor): Promise<WebAuthnCredentialRow[]> {
    let q = this.db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId);
    if (after) {
      q = q.where((eb) =>
        eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('credential_id', '>', after.credentialId)])]),
      );
    }
    return q.orderBy('created_at').orderBy('credential_id').limit(limit).execute();
  }

  /** Deletes one of the user's credentials; false when the user has none with this id. */
  async delete(userId: string, credentialId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webauthn_credentials').where('user_id', '=', userId).where('credential_id', '=', credentialId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Moves the sign counter from `from` to `to` and records the use; false if someone moved it first. */
  async recordUse(poolId: string, credentialId: string, from: number, to: number, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('webauthn_credentials')
      .set({ sign_count: to, last_used_at: at })
      .where('pool_id', '=', poolId)
      .where('credential_id', '=', credentialId)
      .where('sign_count', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
