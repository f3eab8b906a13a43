/**
 * The canonical request of AWS Signature Version 4 (see ./sigv4.ts): the request target split into path and
 * query, the canonical URI, query string and headers, and the byte-level encodings they use.
 */
import type { SignedRequest } from './sigv4.js';

export interface QueryPair {
  key: string;
  value: string;
}

export function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

// ---------------------------------------------------------------------------------------------------------
// Canonical request

export function splitTarget(target: string): { rawPath: string; rawQuery: string } {
  const q = target.indexOf('?');
  const beforeFragment = (s: string): string => {
    const hash = s.indexOf('#');
    return hash === -1 ? s : s.slice(0, hash);
  };
  if (q === -1) return { rawPath: beforeFragment(target), rawQuery: '' };
  return { rawPath: target.slice(0, q), rawQuery: beforeFragment(target.slice(q + 1)) };
}

/**
 * The path as the SDKs sign it for every service but S3: dot segments and empty segments removed (a
 * trailing slash kept), then URI-encoded once more on top of its on-the-wire encoding.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '/' || rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized =
    (rawPath.startsWith('/') ? '/' : '') +
    segments.join('/') +
    (segments.length > 0 && rawPath.endsWith('/') ? '/' : '');
  return uriEncode(toBytes(normalized), true);
}

/** Query parameters in wire order, keys and values percent-decoded to byte strings (latin1). */
export function parseQuery(rawQuery: string): QueryPair[] {
  if (rawQuery === '') return [];
  const pairs: QueryPair[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push({ key: percentDecode(key), value: percentDecode(value) });
  }
  return pairs;
}

export function canonicalQuery(pairs: readonly QueryPair[], presigned: boolean): string {
  if (pairs.length === 0) return '';
  const encoded: [string, string][] = [];
  for (const { key, value } of pairs) {
    if (presigned && key.toLowerCase() === 'x-amz-signature') continue;
    encoded.push([uriEncode(toBytes(key), false), uriEncode(toBytes(value), false)]);
  }
  encoded.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `name:value\n` for each signed header, in the order the client listed them, then a blank line's start. */
export function canonicalHeaders(headers: SignedRequest['headers'], names: readonly string[]): string {
  let out = '';
  for (const name of names) {
    const lower = name.toLowerCase();
    let value = headerValue(headers, lower);
    if (value === undefined && lower === 'host') value = headerValue(headers, ':authority');
    out += `${name}:${value === undefined ? '' : trimAll(value)}\n`;
  }
  return out;
}

function trimAll(value: string): string {
  return value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

const HEX = '0123456789ABCDEF';
const UNRESERVED = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') UNRESERVED[c.charCodeAt(0)] = 1;

/** RFC 3986 encoding of bytes as SigV4 wants it: unreserved characters kept, everything else %XX. */
function uriEncode(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) {
    if (UNRESERVED[b] === 1 || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += `%${HEX[b >> 4] ?? '0'}${HEX[b & 15] ?? '0'}`;
  }
  return out;
}

/** Decodes %XX escapes to bytes, returned as a latin1 string; a '%' not followed by two hex digits stays. */
function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The bytes a string stands for: latin1 when every character fits a byte (node's view of the wire), else UTF-8. */
export function toBytes(s: string): Buffer {
  return /[^\u0000-\u00ff]/.test(s) ? Buffer.from(s, 'utf8') : Buffer.from(s, 'latin1');
}
