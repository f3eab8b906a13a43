/**
 * Remembered devices as amazon-cognito-identity-js uses them, against a real server on every store dialect:
 * the SDK gets NewDeviceMetadata at sign-in and calls ConfirmDevice itself, the app remembers the device
 * (setDeviceStatusRemembered), the next sign-in from it carries its key (without MFA there is no code for device
 * SRP to replace, so no DEVICE_SRP_AUTH), refreshSession sends the device key, and after forgetDevice a new
 * device is made. In a pool with MFA the remembered device goes through DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER
 * with the SDK's own device secret instead of the TOTP code, and after forgetDevice the code is asked again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { totpCode } from './helpers/mfa.js';
import { confirmedUser, createClient, createPool, passwordAuth, TestClock } from './helpers/sign-in.js';

const PASSWORD = 'Corr3ct-Horse!';

interface SignedIn {
  user: CognitoUser;
  session: CognitoUserSession;
  userConfirmationNecessary: boolean;
}

function signIn(pool: CognitoUserPool, username: string): Promise<SignedIn> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ user, session, userConfirmationNecessary: userConfirmationNecessary === true }),
      onFailure: (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
    });
  });
}

/** Like signIn, answering SOFTWARE_TOKEN_MFA with `code()` when asked; tells whether the code was asked for. */
function signInWithTotp(pool: CognitoUserPool, username: string, code: () => string): Promise<SignedIn & { totpAsked: boolean }> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  let totpAsked = false;
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession, userConfirmationNecessary?: boolean) => resolve({ user, session, userConfirmationNecessary: userConfirmationNecessary === true, totpAsked }),
      onFailure: (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), {
      ...callbacks,
      totpRequired: () => {
        totpAsked = true;
        user.sendMFACode(code(), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
      mfaRequired: () => reject(new Error('SMS MFA was not expected')),
    });
  });
}

function callback<T>(run: (cb: { onSuccess: (r: T) => void; onFailure: (err: Error) => void }) => void): Promise<T> {
  return new Promise((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));
}

/** Records the operation and ChallengeName of every request the SDK's client sends. */
function recordRequests(pool: CognitoUserPool): string[] {
  const seen: string[] = [];
  const client: unknown = Reflect.get(pool, 'client');
  const request: unknown = typeof client === 'object' && client !== null ? Reflect.get(client, 'request') : undefined;
  if (typeof client !== 'object' || client === null || typeof request !== 'function') throw new Error('no SDK client to record');
  Reflect.set(client, 'request', (operation: string, params: unknown, cb: unknown) => {
    const challenge = typeof params === 'object' && params !== null ? Reflect.get(params, 'ChallengeName') : undefined;
    seen.push(typeof challenge === 'string' ? `${operation}:${challenge}` : operation);
    return Reflect.apply(request, client, [operation, params, cb]);
  });
  return seen;
}

function deviceKeyOf(session: CognitoUserSession): unknown {
  return session.getAccessToken().decodePayload().device_key;
}

for (const kind of storeKinds()) {
  describe(`remembered devices with amazon-cognito-identity-js (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let pool: CognitoUserPool;
    let seen: string[];

    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
      poolId = await createPool(c, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
      const clientId = (await createClient(c, poolId)).id;
      await confirmedUser(c, poolId, 'jo', PASSWORD);
      pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.endpoint });
      seen = recordRequests(pool);
    });
    after(() => t.close());

    it('confirms the device at sign-in, remembers it, signs in from it (no device SRP without MFA), refreshes with it, and forgets it', async () => {
      const first = await signIn(pool, 'jo');
      assert.equal(first.userConfirmationNecessary, true);
      assert.ok(seen.includes('ConfirmDevice'));
      const deviceKey = deviceKeyOf(first.session);
      assert.ok(typeof deviceKey === 'string');
      // Confirmed but not remembered yet (the pool asks the user): not listed.
      assert.deepEqual((await c.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'jo' }))).Devices, []);
      await callback<string>((cb) => first.user.setDeviceStatusRemembered(cb));
      const device = await c.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'jo', DeviceKey: deviceKey }));
      const remembered = device.Device?.DeviceAttributes?.find((a) => a.Name === 'dev:device_remembered_status');
      assert.equal(remembered?.Value, 'remembered');

      seen.length = 0;
      const second = await signIn(pool, 'jo');
      assert.deepEqual(seen, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
      assert.equal(deviceKeyOf(second.session), deviceKey);

      const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
        second.user.refreshSession(second.session.getRefreshToken(), (err: unknown, s: CognitoUserSession) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(s))),
      );
      assert.equal(deviceKeyOf(refreshed), deviceKey);

      await callback<string>((cb) => second.user.forgetDevice(cb));
      seen.length = 0;
      const third = await signIn(pool, 'jo');
      assert.ok(seen.includes('ConfirmDevice'));
      assert.notEqual(deviceKeyOf(third.session), deviceKey);
    });

    it('when an administrator forgot the device, the SDK retries without it ("DEVICE_KEY": null) and signs in', async () => {
      const first = await signIn(pool, 'jo');
      const deviceKey = deviceKeyOf(first.session);
      assert.ok(typeof deviceKey === 'string');
      await callback<string>((cb) => first.user.setDeviceStatusRemembered(cb));
      await c.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'jo', DeviceKey: deviceKey }));
      seen.length = 0;
      const again = await signIn(pool, 'jo');
      // The first answer names the forgotten device and is refused; the SDK sends it again with the key nulled.
      assert.deepEqual(seen.slice(0, 3), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
      assert.notEqual(deviceKeyOf(again.session), deviceKey);
    });
  });
}

for (const kind of storeKinds()) {
  describe(`a remembered device skips MFA with amazon-cognito-identity-js (${kind})`, () => {
    const clock = new TestClock();
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let pool: CognitoUserPool;
    let seen: string[];
    let secret = '';
    /** The code of the current time step; the clock then moves on a step, since a code works once. */
    const code = (): string => {
      const now = totpCode(secret, clock.now().getTime());
      clock.advance(30_000);
      return now;
    };

    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock } });
      c = t.client();
      const poolId = await createPool(c, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const clientId = (await createClient(c, poolId)).id;
      await confirmedUser(c, poolId, 'kim', PASSWORD);
      const access = (await passwordAuth(c, clientId, 'kim', PASSWORD)).AuthenticationResult?.AccessToken;
      secret = (await c.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))).SecretCode ?? '';
      await c.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: code() }));
      await c.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.endpoint });
      seen = recordRequests(pool);
    });
    after(() => t.close());

    it('TOTP at the first sign-in; the remembered device signs in without it; after forgetDevice TOTP is asked again', async () => {
      const first = await signInWithTotp(pool, 'kim', code);
      assert.equal(first.totpAsked, true);
      assert.equal(first.userConfirmationNecessary, true);
      assert.ok(seen.includes('ConfirmDevice'));
      await callback<string>((cb) => first.user.setDeviceStatusRemembered(cb));

      seen.length = 0;
      const second = await signInWithTotp(pool, 'kim', code);
      assert.equal(second.totpAsked, false);
      assert.ok(seen.includes('RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER'));
      assert.equal(deviceKeyOf(second.session), deviceKeyOf(first.session));

      await callback<string>((cb) => second.user.forgetDevice(cb));
      const third = await signInWithTotp(pool, 'kim', code);
      assert.equal(third.totpAsked, true);
      assert.notEqual(deviceKeyOf(third.session), deviceKeyOf(first.session));
    });
  });
}
