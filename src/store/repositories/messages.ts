import type { Kysely } from 'kysely';
import type { Database, MessageRow } from '../schema.js';

export type NewMessage = Omit<MessageRow, 'seq'>;


/** The message outbox: every email and SMS the server sends is recorded here first. */
export class MessageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(m: NewMessage): Promise<void> {
    await this.db.insertInto('messages').values(m).execute();
  }

  async setStatus(id: string, status: string): Promise<void> {
    await this.db.updateTable('messages').set({ status }).where('id', '=', id).execute();
  }

  /** Newest last; `afterSeq` pages forward. Optional filters by pool and destination. */
  async list(f: { poolId?: string; destination?: string; afterSeq?: number; limit: number }): Promise<MessageRow[]> {
    let q = this.db.selectFrom('messages').selectAll();
    if (f.poolId !== undefined) q = q.where('pool_id', '=', f.poolId);
    if (f.destination !== undefined) q = q.where('destination', '=', f.destination);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    return q.orderBy('seq').limit(f.limit).execute();
  }
}
