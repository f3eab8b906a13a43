import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface AccessKeyRecord {
  accessKeyId: string;
  secretEnc: string;
  createdAt: number;
  description: string | null;
}

/** Access keys for SigV4 and small server-wide settings (account id). */
export class KeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertAccessKey(k: AccessKeyRecord): Promise<void> {
    await this.db
      .insertInto('access_keys')
      .values({ access_key_id: k.accessKeyId, secret_enc: k.secretEnc, created_at: k.createdAt, description: k.description })
      .execute();
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const r = await this.db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return r && { accessKeyId: r.access_key_id, secretEnc: r.secret_enc, createdAt: r.created_at, description: r.description };
  }

  async listAccessKeys(): Promise<AccessKeyRecord[]> {
    const rows = await this.db.selectFrom('access_keys').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ accessKeyId: r.access_key_id, secretEnc: r.secret_enc, createdAt: r.created_at, description: r.description }));
  }

  /** Returns whether a key was deleted. */
  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('access_keys').where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async getMeta(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('server_meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  /** Sets `key` only if unset; returns the value that won (atomic under concurrent first starts). */
  async initMeta(key: string, value: string): Promise<string> {
    await this.db.insertInto('server_meta').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const got = await this.getMeta(key);
    if (got === undefined) throw new Error(`server_meta ${key} vanished`);
    return got;
  }
}
