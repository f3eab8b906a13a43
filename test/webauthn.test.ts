/**
 * Passkey management through the AWS SDK v3 on a real server, with a software authenticator: the pool's
 * sign-in policy, StartWebAuthnRegistration / CompleteWebAuthnRegistration, ListWebAuthnCredentials
 * (pages), DeleteWebAuthnCredential, and the errors Cognito gives, on every store dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolCommand,
  DeleteWebAuthnCredentialCommand,
  DescribeUserPoolCommand,
  ListWebAuthnCredentialsCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure, passwordAuth } from './helpers/sign-in.js';
import { SoftAuthenticator } from './helpers/webauthn-authenticator.js';

const PASSWORD = 'Corr3ct-Horse!';
const ORIGIN = 'http://localhost:5173';
const PASSKEY_POLICY = { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, 'WEB_AUTHN' as const, 'EMAIL_OTP' as const] } };

function record(v: unknown): Record<string, unknown> {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');
  return Object.fromEntries(Object.entries(v));
}

for (const kind of storeKinds()) {
  describe(`passkeys (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;
    let otherClientId: string;

    async function accessToken(username: string, client = clientId): Promise<string> {
      const r = await passwordAuth(c, client, username, PASSWORD);
      const token = r.AuthenticationResult?.AccessToken;
      assert.ok(token);
      return token;
    }

    async function register(token: string, a: SoftAuthenticator): Promise<void> {
      const start = await c.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
      const credential = a.create(record(start.CredentialCreationOptions));
      await c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential }));
    }

    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      poolId = await createPool(c, { Policies: PASSKEY_POLICY });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
      clientId = (await createClient(c, poolId)).id;
      otherClientId = (await createClient(c, poolId)).id;
      await confirmedUser(c, poolId, 'alice', PASSWORD);
      await confirmedUser(c, poolId, 'bob', PASSWORD);
    });
    after(() => t.close());

    it('keeps the sign-in policy and refuses one without PASSWORD, or beyond PASSWORD on the LITE plan', async () => {
      const d = await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(d.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP']);
      const noPassword = await failure(c.send(new CreateUserPoolCommand({ PoolName: 'x', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } } })));
      assert.equal(noPassword.name, 'InvalidParameterException');
      const totp = await failure(c.send(new UpdateUserPoolCommand({ UserPoolId: poolId, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'SOFTWARE_TOKEN'] } } })));
      assert.equal(totp.name, 'InvalidParameterException');
      const lite = await failure(c.send(new CreateUserPoolCommand({ PoolName: 'y', UserPoolTier: 'LITE', Policies: PASSKEY_POLICY })));
      assert.equal(lite.name, 'FeatureUnavailableInTierException');
      const d2 = await c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(d2.UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP'], 'a refused update changes nothing');
    });

    it('registers a passkey: creation options for the relying party, then the credential listed', async () => {
      const token = await accessToken('alice');
      const start = await c.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }));
      const options = record(start.CredentialCreationOptions);
      assert.deepEqual(record(options.rp).id, 'localhost');
      assert.equal(record(options.user).name, 'alice');
      assert.equal(record(options.authenticatorSelection).userVerification, 'required');
      const a = new SoftAuthenticator(ORIGIN);
      await c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: a.create(options) }));
      const list = await c.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
      assert.equal(list.Credentials?.length, 1);
      const cred = list.Credentials?.[0];
      assert.equal(cred?.CredentialId, a.id);
      assert.equal(cred?.RelyingPartyId, 'localhost');
      assert.deepEqual(cred?.AuthenticatorTransports, ['internal']);
      assert.ok(cred?.CreatedAt instanceof Date && Math.abs(cred.CreatedAt.getTime() - Date.now()) < 60_000);
      const again = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: a.create(options) })));
      assert.equal(again.name, 'InvalidParameterException', 'the same credential twice');
    });

    it('refuses a foreign challenge, another client, a wrong origin or relying party, and a malformed credential', async () => {
      const token = await accessToken('bob');
      const start = record((await c.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }))).CredentialCreationOptions);
      const a = new SoftAuthenticator(ORIGIN);
      const forged = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: a.create({ ...start, challenge: 'bm90LW91cnM' }) })));
      assert.equal(forged.name, 'WebAuthnChallengeNotFoundException');
      const aliceToken = await accessToken('alice');
      const stolen = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: aliceToken, Credential: a.create(start) })));
      assert.equal(stolen.name, 'WebAuthnChallengeNotFoundException', "another user's challenge");
      const other = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: await accessToken('bob', otherClientId), Credential: a.create(start) })));
      assert.equal(other.name, 'WebAuthnClientMismatchException');
      const origin = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: a.create(start, { origin: 'https://evil.example' }) })));
      assert.equal(origin.name, 'WebAuthnOriginNotAllowedException');
      const rp = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: a.create(start, { rpId: 'example.com' }) })));
      assert.equal(rp.name, 'WebAuthnRelyingPartyMismatchException');
      const junk = await failure(c.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: { id: 'x', type: 'public-key' } })));
      assert.equal(junk.name, 'InvalidParameterException');
      const list = await c.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
      assert.deepEqual(list.Credentials, [], 'nothing half-registered');
    });

    it('lists in pages and deletes; an unknown credential is ResourceNotFoundException', async () => {
      await confirmedUser(c, poolId, 'carol', PASSWORD);
      const token = await accessToken('carol');
      const keys = [new SoftAuthenticator(ORIGIN), new SoftAuthenticator(ORIGIN), new SoftAuthenticator(ORIGIN)];
      for (const k of keys) await register(token, k);
      const seen: string[] = [];
      let next: string | undefined;
      do {
        const page = await c.send(new ListWebAuthnCredentialsCommand({ AccessToken: token, MaxResults: 2, NextToken: next }));
        assert.ok((page.Credentials?.length ?? 0) <= 2);
        seen.push(...(page.Credentials ?? []).map((x) => x.CredentialId ?? ''));
        next = page.NextToken;
      } while (next);
      assert.deepEqual(seen.sort(), keys.map((k) => k.id).sort());
      await c.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: keys[0]?.id }));
      const left = await c.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
      assert.equal(left.Credentials?.length, 2);
      const gone = await failure(c.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: keys[0]?.id })));
      assert.equal(gone.name, 'ResourceNotFoundException');
      const aliceToken = await accessToken('alice');
      const foreign = await failure(c.send(new DeleteWebAuthnCredentialCommand({ AccessToken: aliceToken, CredentialId: keys[1]?.id })));
      assert.equal(foreign.name, 'ResourceNotFoundException', "another user's passkey");
      const badToken = await failure(c.send(new ListWebAuthnCredentialsCommand({ AccessToken: token, NextToken: 'garbage' })));
      assert.equal(badToken.name, 'InvalidParameterException');
    });

    it('needs WEB_AUTHN in the pool policy and a relying party', async () => {
      const plain = await createPool(c);
      const pc = (await createClient(c, plain)).id;
      await confirmedUser(c, plain, 'dave', PASSWORD);
      const token = await accessToken('dave', pc);
      const off = await failure(c.send(new StartWebAuthnRegistrationCommand({ AccessToken: token })));
      assert.equal(off.name, 'WebAuthnNotEnabledException');
      // Tessera's public URL in tests is an IP address, which cannot be a relying party id.
      const noRp = await createPool(c, { Policies: PASSKEY_POLICY });
      const nc = (await createClient(c, noRp)).id;
      await confirmedUser(c, noRp, 'erin', PASSWORD);
      const missing = await failure(c.send(new StartWebAuthnRegistrationCommand({ AccessToken: await accessToken('erin', nc) })));
      assert.equal(missing.name, 'WebAuthnConfigurationMissingException');
      const bad = await failure(c.send(new StartWebAuthnRegistrationCommand({ AccessToken: 'not-a-token' })));
      assert.equal(bad.name, 'NotAuthorizedException');
    });
  });
}
