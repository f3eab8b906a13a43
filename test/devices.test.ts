/**
 * Device tracking through the AWS SDK v3 on every store dialect: NewDeviceMetadata and the device_key claim,
 * ConfirmDevice with a verifier made by amazon-cognito-identity-js's AuthenticationHelper, the device operations
 * and their Admin twins (happy and error paths), DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER in place of MFA, and
 * refresh tokens bound to their device. The pool requires MFA (SMS to every user's phone number), since a remembered
 * device only ever stands in for an MFA code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  UpdateDeviceStatusCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordVerifierResponses, srpClient } from './helpers/cognito-srp-client.js';
import { deviceProof, deviceSecret, type DeviceSecret } from './helpers/device-srp.js';
import { sentCode } from './helpers/mfa.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { confirmedUser, createClient, createPool, failure, passwordAuth, secretHash } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';
const noDevice = { name: 'ResourceNotFoundException', message: 'Device does not exist.' };
const invalidRefresh = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' };
const SMS_CONFIG = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' };
const phoneOf = (username: string): string => `+1555${[...username].map((ch) => String(ch.charCodeAt(0) % 10)).join('').padEnd(7, '0')}`;

function claims(jwt: string | undefined): Record<string, unknown> {
  const body: unknown = JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString('utf8'));
  assert.ok(typeof body === 'object' && body !== null);
  return { ...body };
}

function attributes(d: { DeviceAttributes?: Array<{ Name?: string; Value?: string }> } | undefined): Record<string, string> {
  return Object.fromEntries((d?.DeviceAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
}

for (const kind of storeKinds()) {
  describe(`devices (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let clientId: string;

    /** A confirmed user of the MFA pool, with a phone number for the SMS codes. */
    const user = (username: string): Promise<void> => confirmedUser(c, poolId, username, PASSWORD, { phone_number: phoneOf(username) });

    interface MfaOptions {
      app?: string;
      extra?: Record<string, string>;
      ip?: string;
    }

    /** Answers SMS_MFA with the code from the outbox (other outcomes are returned as they are). */
    type Outcome = { ChallengeName?: string; Session?: string; AuthenticationResult?: AuthenticationResultType };
    async function finishMfa(r: Outcome, username: string, o: MfaOptions = {}): Promise<Outcome> {
      if (r.ChallengeName !== 'SMS_MFA') return r;
      const { code } = await sentCode(t, poolId, phoneOf(username));
      return c.send(
        new RespondToAuthChallengeCommand({
          ClientId: o.app ?? clientId,
          ChallengeName: 'SMS_MFA',
          Session: r.Session,
          ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: code, ...o.extra },
          ...(o.ip ? { UserContextData: { IpAddress: o.ip } } : {}),
        }),
      );
    }

    /** USER_PASSWORD_AUTH through the SMS code; the final response. */
    async function signIn(username: string, o: MfaOptions = {}): Promise<Outcome> {
      return finishMfa(await passwordAuth(c, o.app ?? clientId, username, PASSWORD, o.extra), username, o);
    }

    /** A password sign-in that gets a new device, and that device confirmed by the client. */
    async function newConfirmedDevice(username: string, name = 'laptop'): Promise<{ device: DeviceSecret; result: AuthenticationResultType }> {
      const r = await signIn(username);
      const result = r.AuthenticationResult ?? {};
      const meta = result.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      const confirmed = await c.send(new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config, DeviceName: name }));
      assert.equal(confirmed.UserConfirmationNecessary, false);
      return { device, result };
    }

    /** USER_PASSWORD_AUTH with DEVICE_KEY, then both device challenges; returns the tokens. */
    async function deviceSignIn(username: string, device: DeviceSecret): Promise<AuthenticationResultType> {
      const first = await passwordAuth(c, clientId, username, PASSWORD, { DEVICE_KEY: device.deviceKey });
      assert.equal(first.ChallengeName, 'DEVICE_SRP_AUTH');
      const proof = deviceProof(device);
      const srp = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: first.Session, ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: proof.A } }),
      );
      assert.equal(srp.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
      const answer = await proof.answer(srp.ChallengeParameters ?? {}, username);
      const done = await c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: srp.Session, ChallengeResponses: answer }));
      assert.ok(done.AuthenticationResult?.AccessToken);
      return done.AuthenticationResult;
    }

    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      poolId = await createPool(c, { MfaConfiguration: 'ON', SmsConfiguration: SMS_CONFIG, AutoVerifiedAttributes: ['phone_number'], DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } });
      clientId = (await createClient(c, poolId)).id;
      for (const u of ['ann', 'bob', 'cat', 'dan']) await user(u);
    });
    after(() => t.close());

    it('a sign-in without DEVICE_KEY gets NewDeviceMetadata, and its access token carries that device key', async () => {
      const r = await signIn('ann');
      const meta = r.AuthenticationResult?.NewDeviceMetadata;
      assert.match(meta?.DeviceKey ?? '', /^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(meta?.DeviceGroupKey ?? '', /^-[A-Za-z0-9]{9}$/);
      assert.equal(claims(r.AuthenticationResult?.AccessToken).device_key, meta?.DeviceKey);
      // An unconfirmed key is no device yet.
      assert.deepEqual(await failure(c.send(new GetDeviceCommand({ AccessToken: r.AuthenticationResult?.AccessToken, DeviceKey: meta?.DeviceKey }))), noDevice);
    });

    it('ConfirmDevice stores the verifier once; GetDevice, ListDevices and AdminGetDevice describe the device', async () => {
      const { device, result } = await newConfirmedDevice('ann', 'Ann laptop');
      const again = await failure(c.send(new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config })));
      assert.equal(again.name, 'DeviceKeyExistsException');
      const got = await c.send(new GetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey }));
      assert.equal(got.Device?.DeviceKey, device.deviceKey);
      const attrs = attributes(got.Device);
      assert.equal(attrs.device_name, 'Ann laptop');
      assert.equal(attrs.device_status, 'valid');
      assert.equal(attrs['dev:device_remembered_status'], 'remembered');
      assert.equal(attrs['dev:device_owner'], `ann.${poolId}`);
      assert.ok(got.Device?.DeviceCreateDate instanceof Date && got.Device.DeviceLastAuthenticatedDate instanceof Date);
      const listed = await c.send(new ListDevicesCommand({ AccessToken: result.AccessToken }));
      assert.deepEqual(listed.Devices?.map((d) => d.DeviceKey), [device.deviceKey]);
      const admin = await c.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'ann', DeviceKey: device.deviceKey }));
      assert.equal(attributes(admin.Device).device_name, 'Ann laptop');
    });

    it('ConfirmDevice refuses a key of another user, a verifier that is not base64 and a missing verifier', async () => {
      const ann = await signIn('ann');
      const bob = await signIn('bob');
      const bobsKey = bob.AuthenticationResult?.NewDeviceMetadata?.DeviceKey;
      const annsKey = ann.AuthenticationResult?.NewDeviceMetadata?.DeviceKey;
      const token = ann.AuthenticationResult?.AccessToken;
      const config = { Salt: 'AQID', PasswordVerifier: 'AQID' };
      assert.deepEqual(await failure(c.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: bobsKey, DeviceSecretVerifierConfig: config }))), noDevice);
      const bad = await failure(c.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: annsKey, DeviceSecretVerifierConfig: { Salt: 'AQID', PasswordVerifier: '!!not base64!!' } })));
      assert.equal(bad.name, 'InvalidParameterException');
      const none = await failure(c.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: annsKey })));
      assert.equal(none.name, 'InvalidParameterException');
      const forged = await failure(c.send(new ConfirmDeviceCommand({ AccessToken: 'not-a-token', DeviceKey: annsKey, DeviceSecretVerifierConfig: config })));
      assert.equal(forged.name, 'NotAuthorizedException');
    });

    it('a remembered device signs in with DEVICE_SRP_AUTH; a wrong proof is refused', async () => {
      const { device } = await newConfirmedDevice('bob');
      const tokens = await deviceSignIn('bob', device);
      assert.equal(tokens.NewDeviceMetadata, undefined);
      assert.equal(claims(tokens.AccessToken).device_key, device.deviceKey);

      const first = await passwordAuth(c, clientId, 'bob', PASSWORD, { DEVICE_KEY: device.deviceKey });
      const proof = deviceProof({ ...device, password: 'not-the-device-password' });
      const srp = await c.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: first.Session, ChallengeResponses: { USERNAME: 'bob', DEVICE_KEY: device.deviceKey, SRP_A: proof.A } }),
      );
      const answer = await proof.answer(srp.ChallengeParameters ?? {}, 'bob');
      const wrong = await failure(c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: srp.Session, ChallengeResponses: answer })));
      assert.deepEqual(wrong, { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      // The Session of a used DEVICE_SRP_AUTH works once.
      const reused = await failure(
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: first.Session, ChallengeResponses: { USERNAME: 'bob', DEVICE_KEY: device.deviceKey, SRP_A: proof.A } })),
      );
      assert.equal(reused.name, 'NotAuthorizedException');
    });

    it('a not-remembered device is asked for MFA, not device SRP; UpdateDeviceStatus and the Admin twin switch it', async () => {
      const { device, result } = await newConfirmedDevice('cat');
      await c.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'not_remembered' }));
      assert.deepEqual((await c.send(new ListDevicesCommand({ AccessToken: result.AccessToken }))).Devices, []);
      const asked = await passwordAuth(c, clientId, 'cat', PASSWORD, { DEVICE_KEY: device.deviceKey });
      assert.equal(asked.ChallengeName, 'SMS_MFA');
      const plain = await finishMfa(asked, 'cat');
      assert.equal(plain.AuthenticationResult?.NewDeviceMetadata, undefined);
      assert.equal(claims(plain.AuthenticationResult?.AccessToken).device_key, device.deviceKey);
      await c.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'cat', DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' }));
      assert.equal((await passwordAuth(c, clientId, 'cat', PASSWORD, { DEVICE_KEY: device.deviceKey })).ChallengeName, 'DEVICE_SRP_AUTH');
      const unknown = await failure(c.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000', DeviceRememberedStatus: 'remembered' })));
      assert.deepEqual(unknown, noDevice);
      const adminUnknown = await failure(c.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' })));
      assert.equal(adminUnknown.name, 'UserNotFoundException');
    });

    it('refresh tokens are bound to their device and end when it is forgotten; a forgotten key fails the next sign-in', async () => {
      const { device, result } = await newConfirmedDevice('dan');
      const refresh = (deviceKey?: string) =>
        c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: result.RefreshToken ?? '', ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) } }));
      const refreshed = await refresh(device.deviceKey);
      assert.equal(claims(refreshed.AuthenticationResult?.AccessToken).device_key, device.deviceKey);
      assert.deepEqual(await failure(refresh()), invalidRefresh);
      await c.send(new ForgetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey }));
      assert.deepEqual(await failure(c.send(new GetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey }))), noDevice);
      assert.deepEqual(await failure(refresh(device.deviceKey)), invalidRefresh);
      assert.deepEqual(await failure(passwordAuth(c, clientId, 'dan', PASSWORD, { DEVICE_KEY: device.deviceKey })), noDevice);
      assert.deepEqual(await failure(c.send(new ForgetDeviceCommand({ AccessToken: result.AccessToken, DeviceKey: device.deviceKey }))), noDevice);
    });

    it('a PASSWORD_VERIFIER with a forgotten DEVICE_KEY fails before the SECRET_BLOCK is used: the same answer without it signs in', async () => {
      await user('hal');
      const { device } = await newConfirmedDevice('hal');
      await c.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'hal', DeviceKey: device.deviceKey }));
      const poolName = poolId.slice(poolId.indexOf('_') + 1);
      const srp = srpClient(poolName);
      const first = await c.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'hal', SRP_A: srp.A } }));
      const responses = await passwordVerifierResponses(srp, poolName, first.ChallengeParameters ?? {}, PASSWORD);
      const verify = (extra: Record<string, string>) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { ...responses, ...extra } }));
      assert.deepEqual(await failure(verify({ DEVICE_KEY: device.deviceKey })), noDevice);
      const retried = await finishMfa(await verify({}), 'hal');
      assert.ok(retried.AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
      assert.notEqual(retried.AuthenticationResult.NewDeviceMetadata.DeviceKey, device.deviceKey);
    });

    it('ListDevices and AdminListDevices page with Limit and PaginationToken; AdminForgetDevice forgets', async () => {
      await user('eve');
      const made = [];
      for (let i = 0; i < 3; i++) made.push((await newConfirmedDevice('eve', `d${i}`)).device.deviceKey);
      const first = await c.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'eve', Limit: 2 }));
      assert.equal(first.Devices?.length, 2);
      assert.ok(first.PaginationToken);
      const second = await c.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'eve', Limit: 2, PaginationToken: first.PaginationToken }));
      assert.equal(second.PaginationToken, undefined);
      const keys = [...(first.Devices ?? []), ...(second.Devices ?? [])].map((d) => d.DeviceKey);
      assert.deepEqual(keys, [...made].sort());
      const bad = await failure(c.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'eve', PaginationToken: 'bm9wZQ' })));
      assert.equal(bad.name, 'InvalidParameterException');
      await c.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'eve', DeviceKey: made[0] }));
      assert.deepEqual(await failure(c.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'eve', DeviceKey: made[0] }))), noDevice);
      assert.deepEqual(await failure(c.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'eve', DeviceKey: made[0] }))), noDevice);
      const noUser = await failure(c.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'nobody' })));
      assert.equal(noUser.name, 'UserNotFoundException');
    });

    it('DeviceOnlyRememberedOnUserPrompt: ConfirmDevice answers UserConfirmationNecessary and the device waits for the user', async () => {
      const prompted = await createPool(c, { DeviceConfiguration: { DeviceOnlyRememberedOnUserPrompt: true } });
      const app = (await createClient(c, prompted)).id;
      await confirmedUser(c, prompted, 'fay', PASSWORD);
      const r = await passwordAuth(c, app, 'fay', PASSWORD);
      const meta = r.AuthenticationResult?.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      const token = r.AuthenticationResult?.AccessToken;
      const confirmed = await c.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config }));
      assert.equal(confirmed.UserConfirmationNecessary, true);
      assert.deepEqual((await c.send(new ListDevicesCommand({ AccessToken: token }))).Devices, []);
      await c.send(new UpdateDeviceStatusCommand({ AccessToken: token, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' }));
      assert.deepEqual((await c.send(new ListDevicesCommand({ AccessToken: token }))).Devices?.map((d) => d.DeviceKey), [device.deviceKey]);
    });

    it('the IP address the app passes (UserContextData) shows as last_ip_used', async () => {
      await user('ivy');
      const first = await c.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ivy', PASSWORD }, UserContextData: { IpAddress: '192.0.2.7' } }),
      );
      const r = await finishMfa(first, 'ivy', { ip: '192.0.2.7' });
      const meta = r.AuthenticationResult?.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      await c.send(new ConfirmDeviceCommand({ AccessToken: r.AuthenticationResult?.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config }));
      const got = await c.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'ivy', DeviceKey: device.deviceKey }));
      assert.equal(attributes(got.Device).last_ip_used, '192.0.2.7');
    });

    it('the store keeps only the newest unconfirmed device keys of a user', async () => {
      await user('jay');
      const sub = (await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jay' }))).UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? '';
      const devices = t.app.store.devices;
      for (let i = 0; i < 5; i++) {
        await devices.insert({ device_key: `us-east-1_0000000${i}-0000-4000-8000-000000000000`, pool_id: poolId, user_id: sub, group_key: '-g', status: 'new', name: null, srp_salt: null, srp_verifier_enc: null, last_ip: null, created_at: 1000 + i, updated_at: 1000 + i, last_authenticated_at: null });
      }
      await devices.pruneUnconfirmed(sub, 2);
      const left = await devices.list(sub, 'new', undefined, 10);
      assert.deepEqual(left.map((d) => d.created_at), [1003, 1004]);
    });

    it('the Admin sign-in flows: ADMIN_USER_PASSWORD_AUTH from a remembered device answers DEVICE_SRP_AUTH; GetTokensFromRefreshToken needs the DeviceKey', async () => {
      await user('kit');
      const { device } = await newConfirmedDevice('kit');
      const first = await c.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'kit', PASSWORD, DEVICE_KEY: device.deviceKey } }),
      );
      assert.equal(first.ChallengeName, 'DEVICE_SRP_AUTH');
      const proof = deviceProof(device);
      const respond = (name: ChallengeNameType, session: string | undefined, responses: Record<string, string>) =>
        c.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ChallengeName: name, Session: session, ChallengeResponses: responses }));
      const srp = await respond('DEVICE_SRP_AUTH', first.Session, { USERNAME: 'kit', DEVICE_KEY: device.deviceKey, SRP_A: proof.A });
      const done = await respond('DEVICE_PASSWORD_VERIFIER', srp.Session, await proof.answer(srp.ChallengeParameters ?? {}, 'kit'));
      const refreshToken = done.AuthenticationResult?.RefreshToken;
      assert.ok(refreshToken);
      const refreshed = await c.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken, DeviceKey: device.deviceKey }));
      assert.equal(claims(refreshed.AuthenticationResult?.AccessToken).device_key, device.deviceKey);
      assert.deepEqual(await failure(c.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }))), invalidRefresh);
      const listed = await failure(c.send(new ListDevicesCommand({ AccessToken: 'not-a-token' })));
      assert.equal(listed.name, 'NotAuthorizedException');
      const badPage = await failure(c.send(new ListDevicesCommand({ AccessToken: done.AuthenticationResult?.AccessToken, PaginationToken: 'bm9wZQ' })));
      assert.equal(badPage.name, 'InvalidParameterException');
    });

    it('a DEVICE_KEY first named in NEW_PASSWORD_REQUIRED is refused before the new password is stored', async () => {
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'lee', TemporaryPassword: 'Temp0rary!pass', MessageAction: 'SUPPRESS' }));
      const first = await passwordAuth(c, clientId, 'lee', 'Temp0rary!pass');
      assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const answer = (extra: Record<string, string>) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: first.Session, ChallengeResponses: { USERNAME: 'lee', NEW_PASSWORD: PASSWORD, ...extra } }));
      assert.deepEqual(await failure(answer({ DEVICE_KEY: 'us-east-1_00000000-0000-4000-8000-000000000000' })), noDevice);
      // Nothing was written: still a temporary password, and the Session answers once more without the key.
      assert.equal((await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'lee' }))).UserStatus, 'FORCE_CHANGE_PASSWORD');
      const again = await answer({});
      assert.ok(again.ChallengeName === 'MFA_SETUP' || again.ChallengeName === 'SMS_MFA' || again.AuthenticationResult);
    });

    it('a DEVICE_KEY first named in an MFA answer is refused before the code is used up', async () => {
      await user('ned');
      const first = await passwordAuth(c, clientId, 'ned', PASSWORD);
      assert.equal(first.ChallengeName, 'SMS_MFA');
      const { code } = await sentCode(t, poolId, phoneOf('ned'));
      const answer = (extra: Record<string, string>) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: 'ned', SMS_MFA_CODE: code, ...extra } }));
      assert.deepEqual(await failure(answer({ DEVICE_KEY: 'us-east-1_00000000-0000-4000-8000-000000000000' })), noDevice);
      const done = await answer({});
      assert.ok(done.AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
    });

    it('a client with a secret: the device challenges need SECRET_HASH too', async () => {
      const app = await createClient(c, poolId, { GenerateSecret: true });
      await user('max');
      const hash = secretHash(app.secret, 'max', app.id);
      const r = await signIn('max', { app: app.id, extra: hash });
      const meta = r.AuthenticationResult?.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      await c.send(new ConfirmDeviceCommand({ AccessToken: r.AuthenticationResult?.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config }));
      const first = await passwordAuth(c, app.id, 'max', PASSWORD, { ...hash, DEVICE_KEY: device.deviceKey });
      assert.equal(first.ChallengeName, 'DEVICE_SRP_AUTH');
      const proof = deviceProof(device);
      const srpAnswer = { USERNAME: 'max', DEVICE_KEY: device.deviceKey, SRP_A: proof.A };
      const respond = (name: ChallengeNameType, session: string | undefined, responses: Record<string, string>) =>
        c.send(new RespondToAuthChallengeCommand({ ClientId: app.id, ChallengeName: name, Session: session, ChallengeResponses: responses }));
      const missing = await failure(respond('DEVICE_SRP_AUTH', first.Session, srpAnswer));
      assert.deepEqual(missing, { name: 'NotAuthorizedException', message: `Client ${app.id} is configured with secret but SECRET_HASH was not received` });
      const srp = await respond('DEVICE_SRP_AUTH', first.Session, { ...srpAnswer, ...hash });
      const done = await respond('DEVICE_PASSWORD_VERIFIER', srp.Session, { ...(await proof.answer(srp.ChallengeParameters ?? {}, 'max')), ...hash });
      assert.equal(claims(done.AuthenticationResult?.AccessToken).device_key, device.deviceKey);
    });

    it('a pool without device tracking hands out no device keys and puts no DEVICE_KEY a client sends in the tokens', async () => {
      const plainPool = await createPool(c);
      const app = (await createClient(c, plainPool)).id;
      await confirmedUser(c, plainPool, 'gus', PASSWORD);
      const r = await passwordAuth(c, app, 'gus', PASSWORD);
      assert.equal(r.AuthenticationResult?.NewDeviceMetadata, undefined);
      assert.equal(claims(r.AuthenticationResult?.AccessToken).device_key, undefined);
      const made = await passwordAuth(c, app, 'gus', PASSWORD, { DEVICE_KEY: 'us-east-1_00000000-0000-4000-8000-000000000000' });
      assert.equal(made.ChallengeName, undefined);
      assert.equal(claims(made.AuthenticationResult?.AccessToken).device_key, undefined);
      const refreshed = await c.send(
        new InitiateAuthCommand({ ClientId: app, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: made.AuthenticationResult?.RefreshToken ?? '', DEVICE_KEY: 'us-east-1_x' } }),
      );
      assert.equal(claims(refreshed.AuthenticationResult?.AccessToken).device_key, undefined);
    });

    it('without MFA there is nothing for a remembered device to replace: tokens at once, carrying the device key', async () => {
      const noMfa = await createPool(c, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } });
      const app = (await createClient(c, noMfa)).id;
      await confirmedUser(c, noMfa, 'oli', PASSWORD);
      const r = await passwordAuth(c, app, 'oli', PASSWORD);
      const meta = r.AuthenticationResult?.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      await c.send(new ConfirmDeviceCommand({ AccessToken: r.AuthenticationResult?.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config }));
      const again = await passwordAuth(c, app, 'oli', PASSWORD, { DEVICE_KEY: device.deviceKey });
      assert.equal(again.ChallengeName, undefined);
      assert.equal(claims(again.AuthenticationResult?.AccessToken).device_key, device.deviceKey);
    });

    it('ChallengeRequiredOnNewDevice false: a remembered device is asked for the MFA code like any other', async () => {
      const asking = await createPool(c, { MfaConfiguration: 'ON', SmsConfiguration: SMS_CONFIG, AutoVerifiedAttributes: ['phone_number'], DeviceConfiguration: { ChallengeRequiredOnNewDevice: false } });
      const app = (await createClient(c, asking)).id;
      await confirmedUser(c, asking, 'pat', PASSWORD, { phone_number: phoneOf('pat') });
      const first = await passwordAuth(c, app, 'pat', PASSWORD);
      assert.equal(first.ChallengeName, 'SMS_MFA');
      const code = (await sentCode(t, asking, phoneOf('pat'))).code;
      const r = await c.send(new RespondToAuthChallengeCommand({ ClientId: app, ChallengeName: 'SMS_MFA', Session: first.Session, ChallengeResponses: { USERNAME: 'pat', SMS_MFA_CODE: code } }));
      const meta = r.AuthenticationResult?.NewDeviceMetadata;
      assert.ok(meta?.DeviceKey && meta.DeviceGroupKey);
      const device = await deviceSecret(meta.DeviceKey, meta.DeviceGroupKey);
      await c.send(new ConfirmDeviceCommand({ AccessToken: r.AuthenticationResult?.AccessToken, DeviceKey: device.deviceKey, DeviceSecretVerifierConfig: device.config }));
      assert.equal((await passwordAuth(c, app, 'pat', PASSWORD, { DEVICE_KEY: device.deviceKey })).ChallengeName, 'SMS_MFA');
    });
  });
}
