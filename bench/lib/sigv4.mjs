// Lean AWS Signature Version 4 signer for the benchmark's hot loops (the AWS SDK costs far more CPU per
// request than the server under test would, on a 2-core machine where both compete).
// Signs exactly what the SDK signs for cognito-idp: content-type, host, x-amz-date, x-amz-target.
// The derived signing key is cached per day, the date string per second.
import { createHash, createHmac } from 'node:crypto';

const SERVICE = 'cognito-idp';
const SIGNED_HEADERS = 'content-type;host;x-amz-date;x-amz-target';
export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * @param {{accessKeyId: string, secretAccessKey: string, region: string}} creds
 * @returns {(host: string, target: string, body: string) => Record<string, string>} extra headers to send
 */
export function createSigner({ accessKeyId, secretAccessKey, region }) {
  let day = '';
  let key = Buffer.alloc(0);
  let second = -1;
  let amzDate = '';
  let scope = '';

  const refresh = () => {
    const now = Date.now();
    const s = Math.floor(now / 1000);
    if (s === second) return;
    second = s;
    amzDate = new Date(s * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const d = amzDate.slice(0, 8);
    if (d !== day) {
      day = d;
      const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(d).digest();
      const kRegion = createHmac('sha256', kDate).update(region).digest();
      const kService = createHmac('sha256', kRegion).update(SERVICE).digest();
      key = createHmac('sha256', kService).update('aws4_request').digest();
      scope = `${d}/${region}/${SERVICE}/aws4_request`;
    }
  };

  return (host, target, body) => {
    refresh();
    const amzTarget = `AWSCognitoIdentityProviderService.${target}`;
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const canonical =
      `POST\n/\n\ncontent-type:${CONTENT_TYPE}\nhost:${host}\nx-amz-date:${amzDate}\nx-amz-target:${amzTarget}\n\n` +
      `${SIGNED_HEADERS}\n${payloadHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    return {
      'x-amz-date': amzDate,
      'x-amz-target': amzTarget,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    };
  };
}
