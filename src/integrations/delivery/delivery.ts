import type { Logger } from '../logger.js';
import type { Clock, Random } from '../runtime.js';
import type { MessageRepository } from '../../store/repositories/messages.js';

export interface OutgoingMessage {
  poolId: string | null;
  channel: 'EMAIL' | 'SMS';
  destination: string;
  subject?: string;
  body: string;
  /** Why it is sent: INVITATION, VERIFICATION, FORGOT_PASSWORD, MFA, ... */
  purpose: string;
  username?: string;
}

/** Something that can carry a message to its recipient (SMTP, an SMS webhook). */
export interface Transport {
  readonly channel: 'EMAIL' | 'SMS';
  send(m: OutgoingMessage): Promise<void>;
}

/** The one way the server sends email and SMS. */
export interface MessageDelivery {
  deliver(m: OutgoingMessage): Promise<void>;
}

/**
 * Records every message in the store's outbox (readable with `tessera outbox` and the HTTP outbox endpoint),
 * then hands it to the configured transport for its channel, if any. A transport failure is logged and
 * marked on the outbox row; it never fails the API call that caused it (as with Cognito, where delivery
 * is asynchronous). No daily cap.
 */
export class OutboxDelivery implements MessageDelivery {
  constructor(
    private readonly outbox: MessageRepository,
    private readonly transports: readonly Transport[],
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly logger: Logger,
  ) {}

  async deliver(m: OutgoingMessage): Promise<void> {
    const id = this.random.uuid();
    const transport = this.transports.find((t) => t.channel === m.channel);
    await this.outbox.insert({
      id,
      pool_id: m.poolId,
      created_at: this.clock.now().getTime(),
      channel: m.channel,
      destination: m.destination,
      subject: m.subject ?? null,
      body: m.body,
      purpose: m.purpose,
      username: m.username ?? null,
      status: transport ? 'SENDING' : 'STORED',
    });
    if (!transport) return;
    transport.send(m).then(
      () => this.outbox.setStatus(id, 'SENT'),
      (err: unknown) => {
        this.logger.warn('message delivery failed', { id, channel: m.channel, error: err instanceof Error ? err.message : String(err) });
        return this.outbox.setStatus(id, 'FAILED');
      },
    ).catch(() => undefined);
  }
}
