import { createCipheriv } from 'node:crypto';
import { subDoc } from '../domain/pool-config.js';
import type { AttributeMap } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { eventAttributes, hasTrigger, runTrigger } from './triggers.js';
import type { MessageCause } from './triggers-message.js';

/** Format byte of an encrypted code; a receiver refuses any other. */
const CODE_FORMAT = 1;

const senderKey = (channel: 'EMAIL' | 'SMS') => (channel === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender');

/** Whether a custom sender function delivers this channel's messages instead of the server. */
export const hasCustomSender = (pool: Pool, channel: 'EMAIL' | 'SMS'): boolean => hasTrigger(pool, senderKey(channel));

/** TESSERA_CUSTOM_SENDER_KEY as 32 bytes (hex or base64), or undefined when it is not set or not 32 bytes. */
export function customSenderKey(raw: string | undefined): Buffer | undefined {
  if (raw === undefined) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * The code as a custom sender receives it. Cognito encrypts it with the AWS Encryption SDK under the pool's
 * KMSKeyID; Tessera has no KMS, so it uses AES-256-GCM under TESSERA_CUSTOM_SENDER_KEY with the pool's KMSKeyID
 * (UTF-8) as associated data: base64( 0x01 ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag ). A receiver decrypts with
 * the same key and KMSKeyID (docs/ARCHITECTURE.md, "Lambda triggers").
 */
export function encryptCode(key: Buffer, keyId: string, code: string, iv: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([CODE_FORMAT]), iv, body, cipher.getAuthTag()]).toString('base64');
}

/**
 * Hands a message to the pool's custom sender for its channel, if it has one, and answers whether it did.
 * Cognito invokes custom senders asynchronously: the request does not wait for the function, and a failing
 * function is logged, never the caller's error
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html).
 */
export function sendThroughFunction(
  deps: ServiceDeps,
  pool: Pool,
  channel: 'EMAIL' | 'SMS',
  cause: MessageCause,
  user: Pick<UserRow, 'id' | 'username' | 'status'>,
  attrs: AttributeMap,
  code: string,
): boolean {
  if (!hasCustomSender(pool, channel)) return false;
  const key = customSenderKey(deps.config.customSenderKey);
  const keyId = subDoc(pool.doc, 'LambdaConfig').KMSKeyID;
  const trigger = senderKey(channel);
  if (key === undefined || typeof keyId !== 'string') {
    deps.logger.error('custom sender not called: TESSERA_CUSTOM_SENDER_KEY (32 bytes) and the pool KMSKeyID are needed', { poolId: pool.id, trigger });
    return true;
  }
  const request = {
    type: channel === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
    code: encryptCode(key, keyId, code, deps.random.bytes(12)),
    userAttributes: eventAttributes(user, attrs),
    clientMetadata: cause.clientMetadata,
  };
  const call = { triggerSource: `${trigger}_${cause.source}`, userName: user.username, clientId: cause.clientId, request };
  runTrigger(deps, pool, trigger, call).catch((err: unknown) => {
    deps.logger.warn('custom sender failed', { poolId: pool.id, trigger: call.triggerSource, error: err instanceof Error ? err.message : 'unknown' });
  });
  return true;
}
