import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * The client half of Cognito's SRP exactly as amazon-cognito-identity-js computes it: its own
 * AuthenticationHelper (A, the HKDF key), BigInteger and DateHelper, loaded from the package (they have no
 * type declarations, so each export is checked where it is loaded). The signature is built as
 * CognitoUser.authenticateUserDefaultAuth builds it.
 */
const require = createRequire(import.meta.url);

/** `new` on a package's default export (a class per the package's source); instances are checked where used. */
function defaultExport(path: string): (...args: unknown[]) => unknown {
  const mod: unknown = require(path);
  const d = typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
  if (typeof d !== 'function') throw new Error(`${path}: no default export`);
  return (...args) => {
    const made: unknown = Reflect.construct(d, args);
    return made;
  };
}

const AuthenticationHelper = defaultExport('amazon-cognito-identity-js/lib/AuthenticationHelper.js');
const BigInteger = defaultExport('amazon-cognito-identity-js/lib/BigInteger.js');
const DateHelper = defaultExport('amazon-cognito-identity-js/lib/DateHelper.js');

function method(obj: unknown, name: string): (...args: unknown[]) => unknown {
  const f = typeof obj === 'object' && obj !== null ? Reflect.get(obj, name) : undefined;
  if (typeof f !== 'function') throw new Error(`missing method ${name}`);
  return (...args) => Reflect.apply(f, obj, args);
}

export interface SrpClient {
  /** SRP_A as the client sends it (hex). */
  A: string;
  /** The 16-byte key from the server's SRP_B and SALT. */
  key(userIdForSrp: string, password: string, srpB: string, salt: string): Promise<Buffer>;
}

export function srpClient(poolName: string): SrpClient {
  const helper = AuthenticationHelper(poolName);
  let A = '';
  method(helper, 'getLargeAValue')((err: unknown, a: unknown) => {
    if (err) throw err;
    A = String(method(a, 'toString')(16));
  });
  return {
    A,
    key: (userIdForSrp, password, srpB, salt) =>
      new Promise((resolve, reject) => {
        const B = BigInteger(srpB, 16);
        const s = BigInteger(salt, 16);
        method(helper, 'getPasswordAuthenticationKey')(userIdForSrp, password, B, s, (err: unknown, hkdf: unknown) => {
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve(Buffer.from(hkdf instanceof Uint8Array ? hkdf : []));
        });
      }),
  };
}

/** The clients' TIMESTAMP for now (DateHelper.getNowString). */
export function clientTimestamp(): string {
  return String(method(DateHelper(), 'getNowString')());
}

/** PASSWORD_CLAIM_SIGNATURE as CognitoUser computes it. */
export function claimSignature(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: string, timestamp: string): string {
  const msg = Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(userIdForSrp, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]);
  return createHmac('sha256', key).update(msg).digest('base64');
}

/** The whole PASSWORD_VERIFIER answer for a challenge, computed by the client library. */
export async function passwordVerifierResponses(
  client: SrpClient,
  poolName: string,
  params: Record<string, string>,
  password: string,
  timestamp = clientTimestamp(),
): Promise<Record<string, string>> {
  const userId = params.USER_ID_FOR_SRP ?? '';
  const secretBlock = params.SECRET_BLOCK ?? '';
  const key = await client.key(userId, password, params.SRP_B ?? '', params.SALT ?? '');
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, userId, secretBlock, timestamp),
  };
}
