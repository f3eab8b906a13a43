/**
 * Reading an AWS Signature Version 4 authorization (see ./sigv4.ts) from the `Authorization` header or from
 * query-string authentication (`X-Amz-Algorithm`, `X-Amz-Credential`, … — presigned URLs), with the errors AWS
 * JSON services give for a malformed one.
 */
import { CognitoError } from './errors.js';
import { headerValue, type QueryPair } from './sigv4-canonical.js';
import type { SignedRequest } from './sigv4.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Longest X-Amz-Expires AWS accepts on a presigned request (one week). */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
export const incomplete = (message: string): CognitoError => new CognitoError('IncompleteSignatureException', message);

/** The parts of a signature, wherever in the request they were found. */
export interface Authorization {
  credential: string;
  signedHeaders: string;
  signature: string;
  /** Raw date value and where it came from (for the error messages and the canonical request). */
  dateValue: string;
  dateIsAmzDate: boolean;
  /** Presigned requests only: seconds the signature stays valid. */
  expires: number | undefined;
  /** Presigned requests only: the query string does not sign itself, so X-Amz-Signature is left out. */
  fromQuery: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the authorization

export function readAuthorization(req: SignedRequest, query: readonly QueryPair[]): Authorization {
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined) return readAuthorizationHeader(req, header);

  const param = (name: string): string | undefined => query.find((p) => p.key === name)?.value;
  const algorithm = param('X-Amz-Algorithm');
  const credential = param('X-Amz-Credential');
  const signature = param('X-Amz-Signature');
  if (algorithm === undefined && credential === undefined && signature === undefined) {
    throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const signedHeaders = param('X-Amz-SignedHeaders');
  const date = param('X-Amz-Date');
  const required: [string, string | undefined][] = [
    ['X-Amz-Algorithm', algorithm],
    ['X-Amz-Credential', credential],
    ['X-Amz-Signature', signature],
    ['X-Amz-SignedHeaders', signedHeaders],
    ['X-Amz-Date', date],
  ];
  const missing = required.filter(([, value]) => value === undefined).map(([name]) => name);
  if (
    missing.length > 0 ||
    algorithm === undefined ||
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined ||
    date === undefined
  ) {
    throw incomplete(
      missing.map((name) => `AWS query-string parameters must include '${name}'. `).join('') +
        'Re-examine the query-string parameters.',
    );
  }
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);

  let expires: number | undefined;
  const expiresParam = param('X-Amz-Expires');
  if (expiresParam !== undefined) {
    if (!/^-?\d+$/.test(expiresParam)) throw incomplete('X-Amz-Expires should be a number');
    expires = Number(expiresParam);
    if (expires < 0) throw incomplete('X-Amz-Expires must be non-negative');
    if (expires > MAX_EXPIRES_SECONDS) {
      throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
    }
  }
  return { credential, signedHeaders, signature, dateValue: date, dateIsAmzDate: true, expires, fromQuery: true };
}

function readAuthorizationHeader(req: SignedRequest, header: string): Authorization {
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  const rest = space === -1 ? '' : trimmed.slice(space);

  const amzDate = headerValue(req.headers, 'x-amz-date');
  const httpDate = headerValue(req.headers, 'date');
  const dateValue = amzDate ?? httpDate;

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  if (algorithm === ALGORITHM) {
    // Parameters are separated by commas and/or whitespace; each must be key=value.
    for (const token of rest.split(/[\s,]+/)) {
      if (token === '') continue;
      const eq = token.indexOf('=');
      if (eq === -1) {
        throw incomplete(
          `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
        );
      }
      const key = token.slice(0, eq);
      const value = token.slice(eq + 1);
      if (key === 'Credential') credential ??= value;
      else if (key === 'SignedHeaders') signedHeaders ??= value;
      else if (key === 'Signature') signature ??= value;
    }
  } else if (/^AWS\d+-/.test(algorithm)) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  // Any other scheme (Bearer, Basic, SigV2's "AWS key:sig", …) has none of the parameters.

  let problems = '';
  if (credential === undefined) problems += "Authorization header requires 'Credential' parameter. ";
  if (signature === undefined) problems += "Authorization header requires 'Signature' parameter. ";
  if (signedHeaders === undefined) problems += "Authorization header requires 'SignedHeaders' parameter. ";
  if (dateValue === undefined) {
    problems += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (
    problems !== '' ||
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined ||
    dateValue === undefined
  ) {
    throw incomplete(`${problems}Authorization=${header}`);
  }
  return {
    credential,
    signedHeaders,
    signature,
    dateValue,
    dateIsAmzDate: amzDate !== undefined,
    expires: undefined,
    fromQuery: false,
  };
}

export function isHostHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'host' || lower === ':authority';
}
