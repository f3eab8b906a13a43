import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, sign, verify } from 'node:crypto';
import { DeleteUserPoolCommand, GetSigningCertificateCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createPool } from './helpers/pools.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

for (const kind of storeKinds()) {
  describe(`GetSigningCertificate (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
    });
    after(() => t.close());

    const newPool = (): Promise<string> => createPool(c, 'saml');

    it('returns one self-signed RSA-2048 certificate per pool, valid for 10 years, with its key kept sealed', async () => {
      const poolId = await newPool();
      const first = (await c.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate ?? '';
      assert.match(first, /^[A-Za-z0-9+/]+=*$/, 'base64 without PEM armour');
      const cert = new X509Certificate(Buffer.from(first, 'base64'));
      assert.ok(cert.verify(cert.publicKey), 'self-signed');
      assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.match(cert.subject, new RegExp(poolId));
      const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 86400_000);
      assert.ok(Math.abs(years - 10) < 0.01, `valid for ${years} years`);

      const again = (await c.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate;
      assert.equal(again, first, 'the same certificate on every request');
      const other = (await c.send(new GetSigningCertificateCommand({ UserPoolId: await newPool() }))).Certificate;
      assert.notEqual(other, first, 'each pool has its own');

      const row = await t.app.store.certificates.find(poolId);
      const pkcs8 = await t.app.services.signingCertificates.privateKeyOf(poolId);
      assert.ok(row && pkcs8);
      assert.ok(!row.private_key_enc.includes(pkcs8.slice(0, 40)), 'the private key is not stored in plaintext');
      const key = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
      const signature = sign('sha256', Buffer.from('AuthnRequest'), key);
      assert.ok(verify('sha256', Buffer.from('AuthnRequest'), cert.publicKey, signature), 'the stored key matches the certificate');
    });

    it('ends concurrent first requests with a single certificate', async () => {
      const poolId = await newPool();
      const answers = await Promise.all(Array.from({ length: 6 }, () => c.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))));
      assert.equal(new Set(answers.map((a) => a.Certificate)).size, 1);
      assert.equal((await t.app.store.certificates.find(poolId))?.certificate, answers[0]?.Certificate);
    });

    it('refuses an unknown pool, and a deleted pool takes its certificate with it', async () => {
      await assert.rejects(c.send(new GetSigningCertificateCommand({ UserPoolId: 'us-east-1_missing00' })), { name: 'ResourceNotFoundException' });
      const poolId = await newPool();
      await c.send(new GetSigningCertificateCommand({ UserPoolId: poolId }));
      await c.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(await t.app.store.certificates.find(poolId), undefined);
      await assert.rejects(c.send(new GetSigningCertificateCommand({ UserPoolId: poolId })), { name: 'ResourceNotFoundException' });
    });
  });
}
