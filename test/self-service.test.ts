import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminGetUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const PASSWORD = 'Correct-Horse-9';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function rejects(call: Promise<unknown>, type: string, message?: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, type, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const attrsOf = (list: AttributeType[] | undefined): Record<string, string | undefined> => Object.fromEntries((list ?? []).map((a) => [a.Name ?? '', a.Value]));
const secretHash = (secret: string, username: string, clientId: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');

for (const kind of storeKinds()) {
  describe(`self-service (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let offset = 0;
    before(async () => {
      t = await startTessera({ store: kind, overrides: { clock: { now: () => new Date(Date.now() + offset) } } });
      c = t.client();
    });
    after(() => t.close());

    const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> => {
      const r = await c.send(
        new CreateUserPoolCommand({
          PoolName: 'self',
          AutoVerifiedAttributes: ['email'],
          Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }],
          ...input,
        }),
      );
      return r.UserPool?.Id ?? '';
    };
    const newClient = async (poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}) => {
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          ...extra,
        }),
      );
      return { id: r.UserPoolClient?.ClientId ?? '', secret: r.UserPoolClient?.ClientSecret };
    };
    /** The code in the latest message to `destination`. */
    const codeFor = async (poolId: string, destination: string): Promise<string> => {
      const msgs = await t.app.store.messages.list({ poolId, destination, limit: 1000 });
      const last = msgs[msgs.length - 1];
      const m = /\b(\d{6})\b/.exec(last?.body ?? '');
      assert.ok(m, `no code sent to ${destination}`);
      return m[1] ?? '';
    };
    const signUp = (clientId: string, username: string, email: string, extra: object = {}) =>
      c.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }], ...extra }));
    const confirmedUser = async (poolId: string, clientId: string, username: string) => {
      const email = `${username}@example.com`;
      await signUp(clientId, username, email);
      await c.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await codeFor(poolId, email) }));
      return email;
    };
    /** Tokens from a real sign-in (AdminInitiateAuth with the user's password). */
    const tokensFor = async (poolId: string, clientId: string, username: string, password = PASSWORD) => {
      const r = await c.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
      );
      const a = r.AuthenticationResult;
      assert.ok(a?.AccessToken && a.RefreshToken && a.IdToken);
      return { AccessToken: a.AccessToken, RefreshToken: a.RefreshToken, IdToken: a.IdToken };
    };
    /** Tokens for a user without a password yet, straight from the token service. */
    const issuedFor = async (poolId: string, clientId: string, username: string) => {
      const ctx = { region: 'us-east-1', requestId: 't' };
      const pool = await t.app.services.pools.get(ctx, poolId);
      const client = await t.app.services.clients.getClientForPool(ctx, poolId, clientId);
      const row = await t.app.store.users.findByUsername(poolId, username);
      assert.ok(row);
      return t.app.services.tokens.issueForSignIn(pool, client, row);
    };

    it('SignUp creates an UNCONFIRMED user and sends a code; ConfirmSignUp confirms and verifies the email', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      const r = await signUp(id, 'ann', 'ann@example.com', { UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }, { Name: 'custom:team', Value: 'red' }] });
      assert.equal(r.UserConfirmed, false);
      assert.match(r.UserSub ?? '', UUID);
      assert.deepEqual(r.CodeDeliveryDetails, { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const before = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }));
      assert.equal(before.UserStatus, 'UNCONFIRMED');
      assert.equal(attrsOf(before.UserAttributes)['custom:team'], 'red');
      const row = await t.app.store.users.findByUsername(poolId, 'ann');
      assert.ok(row?.srp_salt && row.srp_verifier_enc, 'SignUp stores the SRP verifier with the password');

      const code = await codeFor(poolId, 'ann@example.com');
      const wrong = code === '000000' ? '111111' : '000000';
      await rejects(c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'ann', ConfirmationCode: wrong })), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
      await c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'ann', ConfirmationCode: code }));
      const after = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }));
      assert.equal(after.UserStatus, 'CONFIRMED');
      assert.equal(attrsOf(after.UserAttributes).email_verified, 'true');
      await rejects(
        c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'ann', ConfirmationCode: code })),
        'NotAuthorizedException',
        'User cannot be confirmed. Current status is CONFIRMED',
      );
    });

    it('SignUp refuses what Cognito refuses', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      await signUp(id, 'bea', 'bea@example.com');
      await rejects(signUp(id, 'bea', 'other@example.com'), 'UsernameExistsException', 'User already exists');
      await rejects(
        c.send(new SignUpCommand({ ClientId: id, Username: 'weak', Password: 'short', UserAttributes: [] })),
        'InvalidPasswordException',
        'Password did not conform with policy: Password not long enough',
      );
      await rejects(
        signUp(id, 'ver', 'v@example.com', { UserAttributes: [{ Name: 'email', Value: 'v@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
        'NotAuthorizedException',
        'A client attempted to write unauthorized attribute',
      );
      await rejects(signUp('nosuchclient0000000000000', 'x', 'x@example.com'), 'ResourceNotFoundException', 'User pool client nosuchclient0000000000000 does not exist.');
      const adminOnly = await newPool({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
      const ao = await newClient(adminOnly);
      await rejects(signUp(ao.id, 'x', 'x@example.com'), 'NotAuthorizedException', 'SignUp is not permitted for this user pool');
      const limited = await newClient(poolId, { WriteAttributes: ['email'] });
      await rejects(
        signUp(limited.id, 'lim', 'l@example.com', { UserAttributes: [{ Name: 'email', Value: 'l@example.com' }, { Name: 'custom:team', Value: 'x' }] }),
        'NotAuthorizedException',
        'A client attempted to write unauthorized attribute',
      );
    });

    it('SignUp by email in a pool with UsernameAttributes, and email aliases made on confirmation', async () => {
      const byEmail = await newPool({ UsernameAttributes: ['email'] });
      const a = await newClient(byEmail);
      const r = await c.send(new SignUpCommand({ ClientId: a.id, Username: 'Max@Example.com', Password: PASSWORD }));
      await rejects(c.send(new SignUpCommand({ ClientId: a.id, Username: 'max@example.com', Password: PASSWORD })), 'UsernameExistsException', 'An account with the given email already exists.');
      await rejects(c.send(new SignUpCommand({ ClientId: a.id, Username: 'not-an-email', Password: PASSWORD })), 'InvalidParameterException', 'Username should be an email.');
      await c.send(new ConfirmSignUpCommand({ ClientId: a.id, Username: 'max@example.com', ConfirmationCode: await codeFor(byEmail, 'Max@Example.com') }));
      const u = await c.send(new AdminGetUserCommand({ UserPoolId: byEmail, Username: 'max@example.com' }));
      assert.equal(u.Username, r.UserSub);
      assert.equal(u.UserStatus, 'CONFIRMED');

      const aliased = await newPool({ AliasAttributes: ['email'] });
      const b = await newClient(aliased);
      await confirmedUser(aliased, b.id, 'first');
      await signUp(b.id, 'second', 'first@example.com');
      const code = await codeFor(aliased, 'first@example.com');
      await rejects(c.send(new ConfirmSignUpCommand({ ClientId: b.id, Username: 'second', ConfirmationCode: code })), 'AliasExistsException', 'An account with the given email already exists.');
      // ForceAliasCreation moves the alias; the code was not spent by the refusal above.
      await c.send(new ConfirmSignUpCommand({ ClientId: b.id, Username: 'second', ConfirmationCode: code, ForceAliasCreation: true }));
      const first = attrsOf((await c.send(new AdminGetUserCommand({ UserPoolId: aliased, Username: 'first' }))).UserAttributes);
      assert.equal(first.email_verified, 'false');
      const viaAlias = await c.send(new AdminGetUserCommand({ UserPoolId: aliased, Username: 'first@example.com' }));
      assert.equal(viaAlias.Username, 'second');
    });

    it('checks SECRET_HASH for a client with a secret', async () => {
      const poolId = await newPool();
      const { id, secret } = await newClient(poolId, { GenerateSecret: true });
      assert.ok(secret);
      await rejects(signUp(id, 'sam', 'sam@example.com'), 'NotAuthorizedException', `Unable to verify secret hash for client ${id}`);
      await rejects(signUp(id, 'sam', 'sam@example.com', { SecretHash: secretHash(secret, 'someone-else', id) }), 'NotAuthorizedException', `Unable to verify secret hash for client ${id}`);
      const r = await signUp(id, 'sam', 'sam@example.com', { SecretHash: secretHash(secret, 'sam', id) });
      assert.equal(r.UserConfirmed, false);
      await c.send(
        new ConfirmSignUpCommand({ ClientId: id, Username: 'sam', ConfirmationCode: await codeFor(poolId, 'sam@example.com'), SecretHash: secretHash(secret, 'sam', id) }),
      );
    });

    it('ResendConfirmationCode replaces the code, and repeated requests hit the limit', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      await signUp(id, 'cid', 'cid@example.com');
      const first = await codeFor(poolId, 'cid@example.com');
      const r = await c.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: 'cid' }));
      assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const second = await codeFor(poolId, 'cid@example.com');
      if (first !== second) {
        await rejects(c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'cid', ConfirmationCode: first })), 'CodeMismatchException');
      }
      for (let i = 0; i < 3; i++) await c.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: 'cid' }));
      await rejects(c.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: 'cid' })), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
      await c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'cid', ConfirmationCode: await codeFor(poolId, 'cid@example.com') }));
      await rejects(c.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: 'cid' })), 'InvalidParameterException', 'User is already confirmed.');
      await rejects(c.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: 'nobody' })), 'UserNotFoundException', 'Username/client id combination not found.');
    });

    it('codes expire after 24 hours and die after five wrong guesses', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      await signUp(id, 'dan', 'dan@example.com');
      const code = await codeFor(poolId, 'dan@example.com');
      offset = 86_400_000 + 1000;
      try {
        await rejects(c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'dan', ConfirmationCode: code })), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
      } finally {
        offset = 0;
      }
      await signUp(id, 'eve', 'eve@example.com');
      const good = await codeFor(poolId, 'eve@example.com');
      const bad = good === '123456' ? '654321' : '123456';
      for (let i = 0; i < 5; i++) await rejects(c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'eve', ConfirmationCode: bad })), 'CodeMismatchException');
      await rejects(c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'eve', ConfirmationCode: good })), 'LimitExceededException');
    });

    it('ForgotPassword and ConfirmForgotPassword reset the password (hash and SRP verifier) once per code', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      await confirmedUser(poolId, id, 'fred');
      const r = await c.send(new ForgotPasswordCommand({ ClientId: id, Username: 'fred' }));
      assert.deepEqual(r.CodeDeliveryDetails, { Destination: 'f***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const code = await codeFor(poolId, 'fred@example.com');
      const before = await t.app.store.users.findByUsername(poolId, 'fred');
      await rejects(
        c.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: 'fred', ConfirmationCode: code, Password: 'weak' })),
        'InvalidPasswordException',
      );
      const tries = await Promise.allSettled(
        ['New-Password-1', 'New-Password-2', 'New-Password-3'].map((p) =>
          c.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: 'fred', ConfirmationCode: code, Password: p })),
        ),
      );
      assert.equal(tries.filter((x) => x.status === 'fulfilled').length, 1, 'one code, one reset');
      const row = await t.app.store.users.findByUsername(poolId, 'fred');
      assert.ok(row?.password_hash && before);
      assert.notEqual(row.srp_verifier_enc, before.srp_verifier_enc);
      assert.equal(row.status, 'CONFIRMED');
      const winner = ['New-Password-1', 'New-Password-2', 'New-Password-3'][tries.findIndex((x) => x.status === 'fulfilled')] ?? '';
      assert.ok(await t.app.services.deps.hasher.verify(row.password_hash, winner));
      await rejects(c.send(new ForgotPasswordCommand({ ClientId: id, Username: 'nobody' })), 'UserNotFoundException', 'Username/client id combination not found.');
      await signUp(id, 'unverified', 'u@example.com');
      await rejects(
        c.send(new ForgotPasswordCommand({ ClientId: id, Username: 'unverified' })),
        'InvalidParameterException',
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    });

    it('PasswordHistorySize refuses the last n passwords in ChangePassword and ConfirmForgotPassword', async () => {
      const poolId = await newPool({ Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } } });
      const { id } = await newClient(poolId);
      await confirmedUser(poolId, id, 'pat');
      const { AccessToken: token = '' } = await tokensFor(poolId, id, 'pat');
      const change = (from: string, to: string) => c.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: from, ProposedPassword: to }));
      await rejects(change(PASSWORD, PASSWORD), 'PasswordHistoryPolicyViolationException');
      await change(PASSWORD, 'Second-Password-2');
      await rejects(change('Second-Password-2', PASSWORD), 'PasswordHistoryPolicyViolationException');
      await change('Second-Password-2', 'Third-Password-3');
      await c.send(new ForgotPasswordCommand({ ClientId: id, Username: 'pat' }));
      const code = await codeFor(poolId, 'pat@example.com');
      await rejects(
        c.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: 'pat', ConfirmationCode: code, Password: 'Second-Password-2' })),
        'PasswordHistoryPolicyViolationException',
      );
      // Three passwords back is out of a history of two: allowed again, and the code was not spent above.
      await c.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: 'pat', ConfirmationCode: code, Password: PASSWORD }));
    });

    it('PreventUserExistenceErrors hides unknown users', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId, { PreventUserExistenceErrors: 'ENABLED' });
      const f = await c.send(new ForgotPasswordCommand({ ClientId: id, Username: 'ghost@example.com' }));
      assert.deepEqual(f.CodeDeliveryDetails, { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const plain = await c.send(new ForgotPasswordCommand({ ClientId: id, Username: 'ghost' }));
      assert.equal(plain.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const resend = await c.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: 'ghost' }));
      assert.equal(resend.CodeDeliveryDetails?.AttributeName, 'email');
      await rejects(c.send(new ConfirmSignUpCommand({ ClientId: id, Username: 'ghost', ConfirmationCode: '123456' })), 'CodeMismatchException');
      await rejects(c.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: 'ghost', ConfirmationCode: '123456', Password: PASSWORD })), 'CodeMismatchException');
      assert.equal((await t.app.store.messages.list({ poolId, limit: 10 })).length, 0, 'nothing is sent for a user who does not exist');
    });

    it('GetUser, ChangePassword and attribute operations with an access token', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      await confirmedUser(poolId, id, 'gil');
      const { AccessToken: token = '' } = await tokensFor(poolId, id, 'gil');
      const u = await c.send(new GetUserCommand({ AccessToken: token }));
      assert.equal(u.Username, 'gil');
      assert.equal(attrsOf(u.UserAttributes).email, 'gil@example.com');
      assert.match(attrsOf(u.UserAttributes).sub ?? '', UUID);

      await rejects(c.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wrong-Password-1', ProposedPassword: 'Next-Password-1' })), 'NotAuthorizedException', 'Incorrect username or password.');
      await rejects(c.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: 'short' })), 'InvalidPasswordException');
      await c.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: 'Next-Password-1' }));
      const row = await t.app.store.users.findByUsername(poolId, 'gil');
      assert.ok(row?.password_hash && (await t.app.services.deps.hasher.verify(row.password_hash, 'Next-Password-1')));

      const upd = await c.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'custom:team', Value: 'blue' }, { Name: 'email', Value: 'gil2@example.com' }] }));
      assert.deepEqual(upd.CodeDeliveryDetailsList, [{ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
      let attrs = attrsOf((await c.send(new GetUserCommand({ AccessToken: token }))).UserAttributes);
      assert.equal(attrs.email, 'gil2@example.com');
      assert.equal(attrs.email_verified, 'false');
      assert.equal(attrs['custom:team'], 'blue');
      await rejects(c.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: '000000' })), 'CodeMismatchException');
      await c.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: await codeFor(poolId, 'gil2@example.com') }));
      attrs = attrsOf((await c.send(new GetUserCommand({ AccessToken: token }))).UserAttributes);
      assert.equal(attrs.email_verified, 'true');
      await rejects(
        c.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })),
        'NotAuthorizedException',
        'A client attempted to write unauthorized attribute',
      );

      const g = await c.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
      assert.equal(g.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      await rejects(c.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' })), 'InvalidParameterException');

      await c.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['custom:team'] }));
      assert.equal(attrsOf((await c.send(new GetUserCommand({ AccessToken: token }))).UserAttributes)['custom:team'], undefined);
      await rejects(c.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['custom:nope'] })), 'InvalidParameterException');
    });

    it('keeps a verified email in force until the new one is verified, where the pool asks', async () => {
      const poolId = await newPool({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
      const { id } = await newClient(poolId);
      await confirmedUser(poolId, id, 'hana');
      const { AccessToken: token = '' } = await tokensFor(poolId, id, 'hana');
      await c.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'email', Value: 'hana.new@example.com' }] }));
      let attrs = attrsOf((await c.send(new GetUserCommand({ AccessToken: token }))).UserAttributes);
      assert.equal(attrs.email, 'hana@example.com');
      assert.equal(attrs.email_verified, 'true');
      await c.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: await codeFor(poolId, 'hana.new@example.com') }));
      attrs = attrsOf((await c.send(new GetUserCommand({ AccessToken: token }))).UserAttributes);
      assert.equal(attrs.email, 'hana.new@example.com');
      assert.equal(attrs.email_verified, 'true');
    });

    it('access tokens: garbage, expired, revoked by GlobalSignOut or RevokeToken, deleted user', async () => {
      const poolId = await newPool();
      const { id } = await newClient(poolId);
      await confirmedUser(poolId, id, 'ivy');
      await rejects(c.send(new GetUserCommand({ AccessToken: 'garbage.token.here' })), 'NotAuthorizedException', 'Invalid Access Token');
      const one = await tokensFor(poolId, id, 'ivy');
      offset = 3_601_000;
      try {
        await rejects(c.send(new GetUserCommand({ AccessToken: one.AccessToken })), 'NotAuthorizedException', 'Access Token has expired');
      } finally {
        offset = 0;
      }
      const two = await tokensFor(poolId, id, 'ivy');
      await c.send(new GlobalSignOutCommand({ AccessToken: one.AccessToken }));
      await rejects(c.send(new GetUserCommand({ AccessToken: one.AccessToken })), 'NotAuthorizedException', 'Access Token has been revoked');
      await rejects(c.send(new GetUserCommand({ AccessToken: two.AccessToken })), 'NotAuthorizedException', 'Access Token has been revoked');

      const three = await tokensFor(poolId, id, 'ivy');
      const four = await tokensFor(poolId, id, 'ivy');
      await rejects(c.send(new RevokeTokenCommand({ ClientId: id, Token: three.AccessToken })), 'UnsupportedTokenTypeException');
      await c.send(new RevokeTokenCommand({ ClientId: id, Token: three.RefreshToken }));
      await rejects(c.send(new GetUserCommand({ AccessToken: three.AccessToken })), 'NotAuthorizedException', 'Access Token has been revoked');
      await c.send(new GetUserCommand({ AccessToken: four.AccessToken })); // another session is untouched

      await c.send(new DeleteUserCommand({ AccessToken: four.AccessToken }));
      await rejects(c.send(new GetUserCommand({ AccessToken: four.AccessToken })), 'UserNotFoundException', 'User does not exist.');
    });

    it('RevokeToken authenticates a confidential client and honours EnableTokenRevocation', async () => {
      const poolId = await newPool();
      const conf = await newClient(poolId, { GenerateSecret: true });
      const off = await newClient(poolId, { EnableTokenRevocation: false });
      await c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'jo', MessageAction: 'SUPPRESS' }));
      const t1 = await issuedFor(poolId, conf.id, 'jo');
      await rejects(c.send(new RevokeTokenCommand({ ClientId: conf.id, Token: t1.RefreshToken })), 'UnauthorizedException');
      await rejects(c.send(new RevokeTokenCommand({ ClientId: conf.id, Token: t1.RefreshToken, ClientSecret: 'w'.repeat(51) })), 'UnauthorizedException');
      await c.send(new RevokeTokenCommand({ ClientId: conf.id, Token: t1.RefreshToken, ClientSecret: conf.secret }));
      const ctx = { region: 'us-east-1', requestId: 't' };
      const pool = await t.app.services.pools.get(ctx, poolId);
      const client = await t.app.services.clients.getClientForPool(ctx, poolId, conf.id);
      await assert.rejects(t.app.services.tokens.refresh(pool, client, t1.RefreshToken ?? ''), /Refresh Token has been revoked/);
      const t2 = await issuedFor(poolId, off.id, 'jo');
      await rejects(c.send(new RevokeTokenCommand({ ClientId: off.id, Token: t2.RefreshToken })), 'UnsupportedOperationException');
    });
  });
}
