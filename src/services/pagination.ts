import { invalidParameter } from '../domain/errors.js';

/**
 * Pagination tokens are opaque to clients: base64url of a kind tag and the keyset position. A token
 * from another listing, or a tampered one, is refused as Cognito refuses it.
 */
export function encodeToken(kind: string, position: unknown): string {
  return Buffer.from(JSON.stringify([kind, position])).toString('base64url');
}

export function decodeToken(token: string, kind: string): string;
export function decodeToken(token: string, kind: string, parse: 'any'): unknown;
export function decodeToken(token: string, kind: string, parse?: 'any'): unknown {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter('Invalid pagination token.');
  }
  if (!Array.isArray(decoded) || decoded[0] !== kind) throw invalidParameter('Invalid pagination token.');
  const pos: unknown = decoded[1];
  if (parse === 'any') return pos;
  if (typeof pos !== 'string') throw invalidParameter('Invalid pagination token.');
  return pos;
}
