import { webcrypto } from 'node:crypto';

export interface SigningCertificate {
  /** The certificate, DER, base64 (no PEM armour): what GetSigningCertificate answers. */
  certificateBase64: string;
  /** The RSA private key, PKCS#8 DER, base64. */
  privateKeyPkcs8Base64: string;
}

export interface CertificateRequest {
  commonName: string;
  /** Positive serial number, hex. */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

// Node's webcrypto is the WebCrypto the library expects; only the two .d.ts files disagree (Ed25519 overloads).
const webCrypto = webcrypto as unknown as Crypto;

const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

/** @peculiar/x509 needs a Reflect metadata polyfill; load both on first use, not at start-up. */
async function loadX509(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webCrypto);
  return x509;
}

/** A fresh RSA-2048 key and a self-signed SHA-256 certificate for it (signing SAML requests). */
export async function createSigningCertificate(req: CertificateRequest): Promise<SigningCertificate> {
  const x509 = await loadX509();
  const keys = await webCrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: req.serialHex,
    name: `CN=${req.commonName}`,
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    signingAlgorithm: RSA_SHA256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = await webCrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificateBase64: Buffer.from(cert.rawData).toString('base64'),
    privateKeyPkcs8Base64: Buffer.from(pkcs8).toString('base64'),
  };
}
