/**
 * Server-side verification of AWS Signature Version 4 (AWS4-HMAC-SHA256), as cognito-idp performs it.
 *
 * Both ways of carrying a signature are accepted: the `Authorization` header (what boto3, the AWS CLI and
 * the AWS SDKs send) and query-string authentication (`X-Amz-Algorithm`, `X-Amz-Credential`, … — presigned
 * URLs). The errors and their messages follow what AWS JSON services answer, check for check and in the
 * same order: first the shape of the authorization, then the `host` header, the date format, the clock skew,
 * the credential scope, the access key, and last the signature itself.
 *
 * Strings are read the way node's HTTP parser hands them over: header values and the request target are
 * "latin1" strings, one character per byte on the wire, so the bytes the client signed are recovered
 * exactly (a string holding characters above U+00FF is taken to be ordinary text and encoded as UTF-8).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { CognitoError } from './errors.js';
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  headerValue,
  parseQuery,
  splitTarget,
  toBytes,
} from './sigv4-canonical.js';
import { ALGORITHM, incomplete, isHostHeaderName, readAuthorization } from './sigv4-parse.js';

export interface SignedRequest {
  method: string;
  /** Raw request target as received (path including query string), e.g. node's `req.url`. */
  path: string;
  /** Node's lowercased incoming headers (`req.headers`). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

/** Returns the secret access key for an access key id, or undefined when the key is unknown. */
export interface SecretLookup {
  (accessKeyId: string): Promise<string | undefined> | string | undefined;
}

export interface VerifiedIdentity {
  accessKeyId: string;
  /** Region of the credential scope. */
  region: string;
  /** Service of the credential scope. */
  service: string;
  /** Date of the credential scope, YYYYMMDD. */
  date: string;
}

export interface VerifySigV4Options {
  /** Service the credential must be scoped to; default 'cognito-idp'. */
  service?: string;
  /** When set, the credential must be scoped to this region; by default any region is accepted. */
  region?: string;
}

const TERMINATOR = 'aws4_request';
const DEFAULT_SERVICE = 'cognito-idp';
/** Allowed difference between the request's date and the server's clock. */
const MAX_SKEW_SECONDS = 15 * 60;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const invalidSignature = (message: string): CognitoError => new CognitoError('InvalidSignatureException', message);

export async function verifySigV4(
  req: SignedRequest,
  lookup: SecretLookup,
  now: Date,
  opts?: VerifySigV4Options,
): Promise<VerifiedIdentity> {
  const expectedService = opts?.service ?? DEFAULT_SERVICE;
  const { rawPath, rawQuery } = splitTarget(req.path);
  const query = parseQuery(rawQuery);

  const auth = readAuthorization(req, query);

  // 'host' (or HTTP/2's ':authority') must be covered by the signature.
  const signedHeaderNames = auth.signedHeaders.split(';');
  if (!signedHeaderNames.some((name) => isHostHeaderName(name))) {
    throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const requestSeconds = parseRequestDate(auth.dateValue, auth.dateIsAmzDate);
  if (requestSeconds === undefined) {
    throw incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${auth.dateValue}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  // The usual X-Amz-Date is already ISO basic (and parseRequestDate validated it); formatting costs more than
  // the rest of the date handling together on the hot path.
  const requestDate = ISO_BASIC.test(auth.dateValue) ? auth.dateValue : formatIsoBasic(requestSeconds);
  checkClock(requestSeconds, Math.floor(now.getTime() / 1000), auth.expires);

  // Credential: AKID/YYYYMMDD/region/service/aws4_request
  const scope = auth.credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = scope;
  if (
    scope.length !== 5 ||
    accessKeyId === undefined ||
    scopeDate === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined
  ) {
    throw incomplete(
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
        `got '${auth.credential}'`,
    );
  }
  let scopeProblems = '';
  if (opts?.region !== undefined && region !== opts.region) {
    scopeProblems += `Credential should be scoped to a valid region, not '${region}'. `;
  }
  if (service !== expectedService) {
    scopeProblems += `Credential should be scoped to correct service: '${expectedService}'. `;
  }
  if (terminator !== TERMINATOR) {
    scopeProblems += `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `;
  }
  if (scopeDate !== requestDate.slice(0, 8)) {
    scopeProblems +=
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
      `'${scopeDate}' != '${requestDate.slice(0, 8)}', from '${requestDate}'. `;
  }
  if (scopeProblems !== '') throw invalidSignature(scopeProblems);

  const secret = await lookup(accessKeyId);
  if (secret === undefined) {
    throw new CognitoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }

  // The payload hash: SHA-256 of the body as received. A client may state it in x-amz-content-sha256;
  // if it does, the statement has to be true (cognito-idp has no unsigned or streaming payloads).
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const statedHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (statedHash !== undefined && statedHash.trim() !== bodyHash) throw invalidSignature(SIGNATURE_MISMATCH);

  const canonicalRequest = [
    req.method,
    canonicalUri(rawPath),
    canonicalQuery(query, auth.fromQuery),
    canonicalHeaders(req.headers, signedHeaderNames),
    auth.signedHeaders,
    bodyHash,
  ].join('\n');
  const credentialScope = `${scopeDate}/${region}/${service}/${terminator}`;
  const stringToSign = [
    ALGORITHM,
    requestDate,
    credentialScope,
    createHash('sha256').update(toBytes(canonicalRequest)).digest('hex'),
  ].join('\n');
  const expected = createHmac('sha256', signingKey(secret, scopeDate, region, service))
    .update(toBytes(stringToSign))
    .digest('hex');

  if (!constantTimeEqual(expected, auth.signature)) throw invalidSignature(SIGNATURE_MISMATCH);

  return { accessKeyId, region, service, date: scopeDate };
}

// ---------------------------------------------------------------------------------------------------------
// Dates

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** RFC 1123 / RFC 2822 date, e.g. `Mon, 06 May 2024 07:08:09 GMT` or botocore's `… 07:08:09 -0000`. */
const HTTP_DATE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|UT|Z|[+-]\d{4})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Seconds since the epoch of X-Amz-Date (ISO-8601 basic format only) or of the Date header (ISO-8601
 * basic format or an RFC 1123/2822 date, which botocore sends when the request already carries a Date header).
 */
function parseRequestDate(value: string, isAmzDate: boolean): number | undefined {
  // Clients sign many requests within the same second: the last date read is kept (one entry).
  if (value === lastDate.value && isAmzDate === lastDate.isAmzDate) return lastDate.seconds;
  const seconds = readRequestDate(value, isAmzDate);
  lastDate = { value, isAmzDate, seconds };
  return seconds;
}

let lastDate: { value: string; isAmzDate: boolean; seconds: number | undefined } = { value: '', isAmzDate: true, seconds: undefined };

function readRequestDate(value: string, isAmzDate: boolean): number | undefined {
  const iso = ISO_BASIC.exec(value);
  if (iso) return utcSeconds(iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]);
  if (isAmzDate) return undefined;
  const http = HTTP_DATE.exec(value);
  if (!http || http[2] === undefined || http[7] === undefined) return undefined;
  const month = String(MONTHS.indexOf(http[2]) + 1);
  const local = utcSeconds(http[3], month, http[1], http[4], http[5], http[6]);
  if (local === undefined) return undefined;
  const zone = http[7];
  if (!/^[+-]/.test(zone)) return local;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
  return local - (zone.startsWith('-') ? -1 : 1) * offsetMinutes * 60;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function utcSeconds(...parts: (string | undefined)[]): number | undefined {
  const [y, mo, d, h, mi, s] = parts.map(Number);
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined || s === undefined) return undefined;
  // Reject what Date.UTC would silently roll over (month 13, 25:00, Feb 30, …); range checks are much
  // cheaper than a Date round trip on this per-request path.
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1];
  if (days === undefined || d < 1 || d > days || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function formatIsoBasic(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

function checkClock(requestSeconds: number, nowSeconds: number, expires: number | undefined): void {
  // The dates are formatted only for the error messages: formatting is the dearest part of the date handling.
  const window = expires ?? MAX_SKEW_SECONDS;
  if (requestSeconds < nowSeconds - window) {
    const span = window % 60 === 0 ? `${window / 60} min.` : `${window} sec.`;
    throw invalidSignature(
      `Signature expired: ${formatIsoBasic(requestSeconds)} is now earlier than ${formatIsoBasic(nowSeconds - window)} ` +
        `(${formatIsoBasic(nowSeconds)} - ${span})`,
    );
  }
  if (requestSeconds > nowSeconds + MAX_SKEW_SECONDS) {
    throw invalidSignature(
      `Signature not yet current: ${formatIsoBasic(requestSeconds)} is still later than ` +
        `${formatIsoBasic(nowSeconds + MAX_SKEW_SECONDS)} (${formatIsoBasic(nowSeconds)} + 15 min.)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Keys and comparison

const SIGNING_KEY_CACHE_SIZE = 256;
const signingKeys = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached. */
function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}\n${region}\n${service}\n${secret}`;
  const cached = signingKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const kDate = createHmac('sha256', toBytes(`AWS4${secret}`)).update(toBytes(date)).digest();
  const kRegion = createHmac('sha256', kDate).update(toBytes(region)).digest();
  const kService = createHmac('sha256', kRegion).update(toBytes(service)).digest();
  const kSigning = createHmac('sha256', kService).update(TERMINATOR).digest();
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) {
    const oldest = signingKeys.keys().next();
    if (oldest.done !== true) signingKeys.delete(oldest.value);
  }
  signingKeys.set(cacheKey, kSigning);
  return kSigning;
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(provided, 'latin1');
  // Lengths are public (a SigV4 signature is always 64 hex digits); only the contents are compared in constant time.
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
