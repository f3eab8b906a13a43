import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  ListUsersCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool } from './helpers/pools.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts that the call fails with Cognito's error type and, when given, its exact message. */
async function rejects(call: Promise<unknown>, type: string, message?: string): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, type, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const attrsOf = (list: AttributeType[] | undefined): Record<string, string | undefined> =>
  Object.fromEntries((list ?? []).map((a) => [a.Name ?? '', a.Value]));

for (const kind of storeKinds()) {
  describe(`users (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
    });
    after(() => t.close());

    const newPool = (input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> => createPool(c, 'users', input);
    const outbox = (poolId: string, destination?: string) =>
      t.app.store.messages.list({ poolId, ...(destination ? { destination } : {}), limit: 10 });
    const create = (poolId: string, username: string, attributes: Record<string, string> = {}, extra: object = {}) =>
      c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          ...extra,
        }),
      );
    const get = (poolId: string, username: string) => c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const row = async (poolId: string, username: string) => {
      const r = await t.app.store.users.findByUsername(poolId, username);
      assert.ok(r, `no row for ${username}`);
      return r;
    };

    describe('AdminCreateUser', () => {
      it('creates a user in FORCE_CHANGE_PASSWORD and emails the invitation with a policy-conforming password', async () => {
        const pool = await newPool();
        const before = Date.now() - 1000;
        const r = await create(pool, 'alice', { email: 'alice@example.com', name: 'Alice' }, { MessageAction: undefined, DesiredDeliveryMediums: ['EMAIL'] });
        const u = r.User;
        assert.equal(u?.Username, 'alice');
        assert.equal(u?.UserStatus, 'FORCE_CHANGE_PASSWORD');
        assert.equal(u?.Enabled, true);
        assert.ok(u?.UserCreateDate instanceof Date && u.UserCreateDate.getTime() >= before);
        assert.ok(u?.UserLastModifiedDate instanceof Date);
        const a = attrsOf(u?.Attributes);
        assert.match(a.sub ?? '', UUID);
        assert.deepEqual({ ...a, sub: 'x' }, { sub: 'x', email: 'alice@example.com', name: 'Alice' });
        const msgs = await outbox(pool);
        assert.equal(msgs.length, 1);
        const m = msgs[0];
        assert.equal(m?.channel, 'EMAIL');
        assert.equal(m?.destination, 'alice@example.com');
        assert.equal(m?.subject, 'Your temporary password');
        assert.equal(m?.purpose, 'INVITATION');
        const found = /^Your username is alice and temporary password is (\S+)\. $/.exec(m?.body ?? '');
        assert.ok(found, m?.body);
        const pw = found[1] ?? '';
        assert.ok(pw.length >= 8 && /[A-Z]/.test(pw) && /[a-z]/.test(pw) && /[0-9]/.test(pw) && /[^A-Za-z0-9]/.test(pw), pw);
        // Only an Argon2id hash is stored, and it verifies the password that was mailed.
        const stored = await row(pool, 'alice');
        assert.match(stored.password_hash ?? '', /^\$argon2id\$/);
        assert.ok(await t.app.services.deps.hasher.verify(stored.password_hash ?? '', pw));
      });

      it("uses the pool's invitation template, by SMS when no medium is asked for", async () => {
        const pool = await newPool({
          AdminCreateUserConfig: { InviteMessageTemplate: { SMSMessage: 'Hi {username}, use {####}', EmailMessage: 'E {username} {####}', EmailSubject: 'S' } },
        });
        await create(pool, 'bob', { phone_number: '+15555550100' }, { MessageAction: undefined, TemporaryPassword: 'Temp-Passw0rd!' });
        const msgs = await outbox(pool);
        assert.deepEqual(
          msgs.map((m) => [m.channel, m.destination, m.body]),
          [['SMS', '+15555550100', 'Hi bob, use Temp-Passw0rd!']],
        );
        // Without DesiredDeliveryMediums (default SMS) and without a phone number, nothing is sent and nothing fails.
        await create(pool, 'carol', { email: 'carol@example.com' }, { MessageAction: undefined });
        assert.equal((await outbox(pool)).length, 1);
      });

      it('SUPPRESS sends no message', async () => {
        const pool = await newPool();
        await create(pool, 'quiet', { email: 'quiet@example.com', phone_number: '+15555550101' }, { DesiredDeliveryMediums: ['EMAIL', 'SMS'] });
        assert.deepEqual(await outbox(pool), []);
      });

      it('refuses duplicates, weak passwords, unknown attributes and missing delivery attributes', async () => {
        const pool = await newPool();
        await create(pool, 'dup');
        await rejects(create(pool, 'dup'), 'UsernameExistsException', 'User account already exists');
        await rejects(create(pool, 'weak', {}, { TemporaryPassword: 'short' }), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
        await rejects(create(pool, 'weak', {}, { TemporaryPassword: 'nouppercase1!' }), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
        await rejects(create(pool, 'x', { 'custom:nope': 'v' }), 'InvalidParameterException', 'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined');
        await rejects(create(pool, 'x', { favourite: 'v' }), 'InvalidParameterException', 'Attributes did not conform to the schema: favourite: Attribute does not exist in the schema.\n');
        await rejects(create(pool, 'x', { email: 'not-an-email' }), 'InvalidParameterException', 'Invalid email address format.');
        await rejects(create(pool, 'x', { phone_number: '555-0100' }), 'InvalidParameterException', 'Invalid phone number format.');
        await rejects(create(pool, 'x', { email_verified: 'true' }), 'InvalidParameterException', 'Email is required to verify/un-verify an email');
        await rejects(
          create(pool, 'x', {}, { MessageAction: undefined, DesiredDeliveryMediums: ['EMAIL'] }),
          'InvalidParameterException',
          'No email provided but desired delivery medium was Email',
        );
        await rejects(create('us-east-1_AAAAAAAAA', 'x'), 'ResourceNotFoundException', 'User pool us-east-1_AAAAAAAAA does not exist.');
        // Nothing of the refused requests was written.
        await rejects(get(pool, 'x'), 'UserNotFoundException', 'User does not exist.');
        await rejects(get(pool, 'weak'), 'UserNotFoundException', 'User does not exist.');
      });

      it('needs the required schema attributes', async () => {
        const pool = await newPool({
          UsernameAttributes: ['email'],
          Schema: [
            { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
            { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
            { Name: 'family_name', AttributeDataType: 'String', Required: true, Mutable: true },
          ],
        });
        await rejects(
          create(pool, 'req@example.com', { name: 'R' }),
          'InvalidParameterException',
          'Attributes did not conform to the schema: family_name: The attribute is required\n',
        );
        await rejects(
          create(pool, 'req@example.com'),
          'InvalidParameterException',
          'Attributes did not conform to the schema: name: The attribute is required\nfamily_name: The attribute is required\n',
        );
        // The email comes from the username, so it counts.
        const r = await create(pool, 'req@example.com', { name: 'R', family_name: 'Q' });
        assert.equal(attrsOf(r.User?.Attributes).email, 'req@example.com');
      });

      it('RESEND gives a FORCE_CHANGE_PASSWORD user a new temporary password and invitation', async () => {
        const pool = await newPool();
        await create(pool, 'dora', { email: 'dora@example.com' }, { TemporaryPassword: 'First-Passw0rd!' });
        const first = (await row(pool, 'dora')).password_hash;
        const r = await create(pool, 'dora', {}, { MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'], TemporaryPassword: 'Second-Passw0rd!' });
        assert.equal(r.User?.Username, 'dora');
        const msgs = await outbox(pool);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0]?.body ?? '', /Second-Passw0rd!/);
        const second = (await row(pool, 'dora')).password_hash ?? '';
        assert.notEqual(second, first);
        assert.ok(await t.app.services.deps.hasher.verify(second, 'Second-Passw0rd!'));
      });

      it('RESEND needs an existing user in FORCE_CHANGE_PASSWORD', async () => {
        const pool = await newPool();
        await rejects(create(pool, 'ghost', {}, { MessageAction: 'RESEND' }), 'UserNotFoundException', 'User does not exist.');
        await create(pool, 'eve');
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'eve', Password: 'Perm-Passw0rd!', Permanent: true }));
        await rejects(create(pool, 'eve', {}, { MessageAction: 'RESEND' }), 'UnsupportedUserStateException', 'Resend not possible. eve status is not FORCE_CHANGE_PASSWORD');
      });

      it('in an email-username pool: the username is the sub, the email is unique', async () => {
        const pool = await newPool({ UsernameAttributes: ['email'] });
        const r = await create(pool, 'frank@example.com');
        const sub = r.User?.Username ?? '';
        assert.match(sub, UUID);
        assert.deepEqual(attrsOf(r.User?.Attributes), { sub, email: 'frank@example.com' });
        assert.equal((await get(pool, 'frank@example.com')).Username, sub);
        assert.equal((await get(pool, 'FRANK@example.com')).Username, sub, 'emails compare without case');
        assert.equal((await get(pool, sub)).Username, sub);
        await rejects(create(pool, 'frank@example.com'), 'UsernameExistsException', 'An account with the given email already exists.');
        await rejects(
          create(pool, 'Frank@Example.com', { email_verified: 'true' }, { ForceAliasCreation: true }),
          'UsernameExistsException',
          'An account with the given email already exists.',
        );
        await rejects(create(pool, 'frank'), 'InvalidParameterException', 'Username should be an email.');
      });

      it('in an alias pool: only verified aliases are unique; ForceAliasCreation moves one', async () => {
        const pool = await newPool({ AliasAttributes: ['email', 'preferred_username'] });
        await rejects(create(pool, 'gina@example.com'), 'InvalidParameterException', 'Username cannot be of email format, since user pool is configured for email alias.');
        await create(pool, 'gina', { email: 'gina@example.com', email_verified: 'true', preferred_username: 'gigi' });
        // An unverified copy is no alias, so it is allowed; a verified one conflicts.
        await create(pool, 'hank', { email: 'gina@example.com' });
        await rejects(create(pool, 'ivan', { email: 'GINA@example.com', email_verified: 'true' }), 'AliasExistsException', 'An account with the given email already exists.');
        await rejects(create(pool, 'ivan', { preferred_username: 'gigi' }), 'AliasExistsException', 'An account with the given preferred_username already exists.');
        await rejects(get(pool, 'ivan'), 'UserNotFoundException');
        assert.equal((await get(pool, 'gina@example.com')).Username, 'gina');
        assert.equal((await get(pool, 'gigi')).Username, 'gina');
        await create(pool, 'ivan', { email: 'gina@example.com', email_verified: 'true' }, { ForceAliasCreation: true });
        assert.equal((await get(pool, 'gina@example.com')).Username, 'ivan');
        const gina = attrsOf((await get(pool, 'gina')).UserAttributes);
        assert.equal(gina.email, 'gina@example.com');
        assert.equal(gina.email_verified, 'false');
        assert.equal((await get(pool, 'gigi')).Username, 'gina', 'other aliases stay with their holder');
      });

      it('compares usernames without case in a case-insensitive pool', async () => {
        const pool = await newPool({ UsernameConfiguration: { CaseSensitive: false } });
        await create(pool, 'Alice');
        assert.equal((await get(pool, 'alice')).Username, 'Alice');
        assert.equal((await get(pool, 'ALICE')).Username, 'Alice');
        await rejects(create(pool, 'ALICE'), 'UsernameExistsException', 'User account already exists');
        const sensitive = await newPool();
        await create(sensitive, 'Alice');
        await create(sensitive, 'alice');
        await rejects(get(sensitive, 'ALICE'), 'UserNotFoundException');
      });
    });

    describe('AdminGetUser', () => {
      it('returns every attribute with sub, the dates, Enabled and UserStatus', async () => {
        const pool = await newPool();
        const created = await create(pool, 'jack', { given_name: 'Jack', email: 'jack@example.com', email_verified: 'True' });
        const u = await get(pool, 'jack');
        assert.equal(u.Username, 'jack');
        assert.deepEqual(attrsOf(u.UserAttributes), attrsOf(created.User?.Attributes));
        assert.equal(u.UserAttributes?.[0]?.Name, 'sub');
        assert.equal(attrsOf(u.UserAttributes).email_verified, 'True', 'boolean text kept as sent');
        assert.equal(u.Enabled, true);
        assert.equal(u.UserStatus, 'FORCE_CHANGE_PASSWORD');
        assert.equal(u.UserCreateDate?.getTime(), created.User?.UserCreateDate?.getTime());
        assert.equal(u.MFAOptions, undefined);
        assert.equal(u.UserMFASettingList, undefined);
        assert.equal(u.PreferredMfaSetting, undefined);
      });

      it('answers UserNotFoundException and ResourceNotFoundException', async () => {
        const pool = await newPool();
        await rejects(get(pool, 'nobody'), 'UserNotFoundException', 'User does not exist.');
        await rejects(get('us-east-1_AAAAAAAAA', 'nobody'), 'ResourceNotFoundException');
      });
    });

    describe('AdminUpdateUserAttributes and AdminDeleteUserAttributes', () => {
      it('updates attributes and unverifies a changed email', async () => {
        const pool = await newPool({ AliasAttributes: ['email'] });
        await create(pool, 'kate', { email: 'kate@example.com', email_verified: 'true', name: 'K' });
        const before = (await get(pool, 'kate')).UserLastModifiedDate?.getTime() ?? 0;
        await new Promise((r) => setTimeout(r, 5));
        await c.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: pool,
            Username: 'kate@example.com',
            UserAttributes: [{ Name: 'email', Value: 'kate2@example.com' }, { Name: 'name', Value: '' }, { Name: 'family_name', Value: 'Kay' }],
          }),
        );
        const u = await get(pool, 'kate');
        assert.deepEqual({ ...attrsOf(u.UserAttributes), sub: 'x' }, { sub: 'x', email: 'kate2@example.com', email_verified: 'false', family_name: 'Kay' });
        assert.ok((u.UserLastModifiedDate?.getTime() ?? 0) > before);
        // The old address is no alias any more, and the new one is none until verified.
        await rejects(get(pool, 'kate@example.com'), 'UserNotFoundException');
        await rejects(get(pool, 'kate2@example.com'), 'UserNotFoundException');
        await c.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: 'kate', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
        assert.equal((await get(pool, 'kate2@example.com')).Username, 'kate');
        // The searchable copy followed the change.
        const listed = await c.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'family_name = "Kay"' }));
        assert.deepEqual(listed.Users?.map((x) => x.Username), ['kate']);
      });

      it('keeps every one of concurrent updates to one user', async () => {
        const pool = await newPool();
        await create(pool, 'vera');
        const names = ['given_name', 'family_name', 'middle_name', 'nickname'];
        await Promise.all(
          names.map((n) => c.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: 'vera', UserAttributes: [{ Name: n, Value: `v-${n}` }] }))),
        );
        const a = attrsOf((await get(pool, 'vera')).UserAttributes);
        for (const n of names) assert.equal(a[n], `v-${n}`, n);
      });

      it('refuses immutable attributes, alias conflicts and unknown users', async () => {
        const pool = await newPool({
          AliasAttributes: ['email'],
          Schema: [{ Name: 'badge', AttributeDataType: 'String', Mutable: false }],
        });
        await create(pool, 'liam', { email: 'liam@example.com', email_verified: 'true', 'custom:badge': 'gold' });
        await create(pool, 'mia', { email: 'mia@example.com', email_verified: 'true' });
        const update = (username: string, attrs: AttributeType[]) =>
          c.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: username, UserAttributes: attrs }));
        await rejects(update('liam', [{ Name: 'custom:badge', Value: 'silver' }]), 'InvalidParameterException', 'user.custom:badge: Attribute cannot be updated.\n');
        await rejects(update('liam', [{ Name: 'sub', Value: 'x' }]), 'InvalidParameterException', 'user.sub: Attribute cannot be updated.\n');
        await rejects(update('mia', [{ Name: 'email', Value: 'liam@example.com' }, { Name: 'email_verified', Value: 'true' }]), 'AliasExistsException', 'An account with the given email already exists.');
        assert.equal(attrsOf((await get(pool, 'mia')).UserAttributes).email, 'mia@example.com', 'a refused update changes nothing');
        await rejects(update('nobody', [{ Name: 'name', Value: 'x' }]), 'UserNotFoundException', 'User does not exist.');
      });

      it('deletes attributes, but not required ones', async () => {
        const pool = await newPool({ Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }] });
        await create(pool, 'noah', { email: 'noah@example.com', email_verified: 'true', phone_number: '+15555550102', phone_number_verified: 'true' });
        await c.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: 'noah', UserAttributeNames: ['phone_number'] }));
        assert.deepEqual(Object.keys(attrsOf((await get(pool, 'noah')).UserAttributes)).sort(), ['email', 'email_verified', 'sub']);
        assert.equal((await row(pool, 'noah')).phone_number, null);
        await rejects(
          c.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: 'noah', UserAttributeNames: ['email'] })),
          'InvalidParameterException',
          'user.email: Required attribute cannot be deleted.',
        );
      });
    });

    describe('AdminEnableUser, AdminDisableUser, AdminDeleteUser', () => {
      it('disables and enables a user; deletes it', async () => {
        const pool = await newPool();
        await create(pool, 'olga');
        await c.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'olga' }));
        assert.equal((await get(pool, 'olga')).Enabled, false);
        assert.ok((await row(pool, 'olga')).tokens_revoked_before, 'disabling revokes tokens');
        await c.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: 'olga' }));
        assert.equal((await get(pool, 'olga')).Enabled, true);
        await c.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'olga' }));
        await rejects(get(pool, 'olga'), 'UserNotFoundException', 'User does not exist.');
      });

      it('answers UserNotFoundException for unknown users', async () => {
        const pool = await newPool();
        await rejects(c.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'x' })), 'UserNotFoundException', 'User does not exist.');
        await rejects(c.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: 'x' })), 'UserNotFoundException', 'User does not exist.');
        await rejects(c.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'x' })), 'UserNotFoundException', 'User does not exist.');
      });
    });

    describe('AdminSetUserPassword', () => {
      it('sets a permanent or a temporary password', async () => {
        const pool = await newPool();
        await create(pool, 'pat');
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'pat', Password: 'Perm-Passw0rd!', Permanent: true }));
        assert.equal((await get(pool, 'pat')).UserStatus, 'CONFIRMED');
        const r = await row(pool, 'pat');
        assert.ok(await t.app.services.deps.hasher.verify(r.password_hash ?? '', 'Perm-Passw0rd!'));
        assert.ok(r.password_set_at);
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'pat', Password: 'Temp-Passw0rd!' }));
        assert.equal((await get(pool, 'pat')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      });

      it('holds the password to the policy', async () => {
        const pool = await newPool({ Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true } } });
        await create(pool, 'quinn', {}, { TemporaryPassword: 'abcdefghi1' });
        const set = (pw: string) => c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'quinn', Password: pw, Permanent: true }));
        await rejects(set('abcdefghij'), 'InvalidPasswordException', 'Password did not conform with policy: Password must have numeric characters');
        await rejects(set('abc1'), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
        await rejects(c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'x', Password: 'abcdefghi1' })), 'UserNotFoundException');
        assert.equal((await get(pool, 'quinn')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      });
    });

    describe('AdminResetUserPassword', () => {
      it('requires a reset and sends a code to the verified recovery address', async () => {
        const pool = await newPool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] } });
        await create(pool, 'rita', { email: 'rita@example.com', email_verified: 'true', phone_number: '+15555550103', phone_number_verified: 'true' });
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'rita', Password: 'Perm-Passw0rd!', Permanent: true }));
        await c.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'rita' }));
        assert.equal((await get(pool, 'rita')).UserStatus, 'RESET_REQUIRED');
        const msgs = await outbox(pool);
        assert.equal(msgs.length, 1);
        assert.equal(msgs[0]?.channel, 'EMAIL');
        assert.equal(msgs[0]?.destination, 'rita@example.com');
        const code = /^Your verification code is ([0-9]{6})\. $/.exec(msgs[0]?.body ?? '')?.[1];
        assert.ok(code, msgs[0]?.body);
        // Only a hash of the code is kept, with an expiry.
        const user = await row(pool, 'rita');
        const stored = await t.app.store.dialect.db.selectFrom('user_codes').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
        assert.equal(stored.purpose, 'FORGOT_PASSWORD');
        assert.notEqual(stored.code_hash, code);
        assert.ok(await t.app.services.deps.hasher.verify(stored.code_hash, code));
        assert.ok(stored.expires_at > Date.now());
      });

      it('sends nothing without a verified contact, and refuses users who never set a password', async () => {
        const pool = await newPool();
        await create(pool, 'sam', { email: 'sam@example.com' });
        await rejects(c.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'sam' })), 'NotAuthorizedException', 'User password cannot be reset in the current state.');
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'sam', Password: 'Perm-Passw0rd!', Permanent: true }));
        await c.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'sam' }));
        assert.equal((await get(pool, 'sam')).UserStatus, 'RESET_REQUIRED');
        assert.deepEqual(await outbox(pool), []);
        await rejects(c.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'x' })), 'UserNotFoundException');
      });
    });

    describe('AdminConfirmSignUp', () => {
      it('confirms an UNCONFIRMED user once', async () => {
        const pool = await newPool();
        await create(pool, 'tina');
        // Self sign-up is another operation; an UNCONFIRMED user is made directly in the store here.
        await t.app.store.users.updateFields((await row(pool, 'tina')).id, { status: 'UNCONFIRMED' });
        await c.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'tina' }));
        assert.equal((await get(pool, 'tina')).UserStatus, 'CONFIRMED');
        await rejects(c.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'tina' })), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
        await rejects(c.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'x' })), 'UserNotFoundException', 'User does not exist.');
      });
    });

    describe('AdminUserGlobalSignOut', () => {
      it('records the revocation time', async () => {
        const pool = await newPool();
        await create(pool, 'uma');
        const before = Date.now();
        await c.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: 'uma' }));
        assert.ok(((await row(pool, 'uma')).tokens_revoked_before ?? 0) >= before);
        await rejects(c.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: 'x' })), 'UserNotFoundException', 'User does not exist.');
      });
    });

    describe('ListUsers', () => {
      let pool: string;
      const people = [
        ['u1', 'Adams', 'a1@example.com'],
        ['u2', 'Macdonald', 'b2@example.com'],
        ['u3', 'MacKenzie', 'c3@example.com'],
        ['u4', 'Mackey', 'd4@example.com'],
        ['u5', 'Zed', 'e5@example.com'],
      ] as const;
      before(async () => {
        pool = await newPool();
        for (const [username, family, email] of people) await create(pool, username, { family_name: family, email });
        await c.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'u5' }));
        await c.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'u4', Password: 'Perm-Passw0rd!', Permanent: true }));
      });
      const list = (input: Record<string, unknown> = {}) => c.send(new ListUsersCommand({ UserPoolId: pool, ...input }));
      const names = async (input: Record<string, unknown>) => (await list(input)).Users?.map((u) => u.Username);

      it('lists every user with UserType fields', async () => {
        const r = await list();
        assert.deepEqual(r.Users?.map((u) => u.Username), ['u1', 'u2', 'u3', 'u4', 'u5']);
        assert.equal(r.PaginationToken, undefined);
        const u5 = r.Users?.[4];
        assert.equal(u5?.Enabled, false);
        assert.equal(u5?.UserStatus, 'FORCE_CHANGE_PASSWORD');
        assert.ok(u5?.UserCreateDate instanceof Date);
        assert.equal(attrsOf(u5?.Attributes).family_name, 'Zed');
      });

      it('pages with Limit and PaginationToken', async () => {
        const seen: string[] = [];
        const sizes: number[] = [];
        let token: string | undefined;
        do {
          const r = await list({ Limit: 2, ...(token ? { PaginationToken: token } : {}) });
          sizes.push(r.Users?.length ?? 0);
          seen.push(...(r.Users ?? []).map((u) => u.Username ?? ''));
          token = r.PaginationToken;
        } while (token);
        assert.deepEqual(sizes, [2, 2, 1]);
        assert.deepEqual(seen, ['u1', 'u2', 'u3', 'u4', 'u5']);
        // A filter pages too.
        const first = await list({ Filter: 'family_name ^= "Mac"', Limit: 2 });
        assert.deepEqual(first.Users?.map((u) => u.Username), ['u3', 'u2']);
        assert.ok(first.PaginationToken);
        const second = await list({ Filter: 'family_name ^= "Mac"', Limit: 2, PaginationToken: first.PaginationToken });
        assert.deepEqual(second.Users?.map((u) => u.Username), ['u4']);
        assert.equal(second.PaginationToken, undefined);
      });

      it('filters with = and ^=', async () => {
        assert.deepEqual(await names({ Filter: 'email = "c3@example.com"' }), ['u3']);
        assert.deepEqual((await names({ Filter: 'family_name ^= "Mac"' }))?.sort(), ['u2', 'u3', 'u4']);
        assert.deepEqual(await names({ Filter: 'family_name = "Nobody"' }), []);
        assert.deepEqual(await names({ Filter: 'username ^= "u"', Limit: 60 }), ['u1', 'u2', 'u3', 'u4', 'u5']);
        assert.deepEqual(await names({ Filter: 'username = "u2"' }), ['u2']);
        assert.deepEqual(await names({ Filter: 'cognito:user_status = "confirmed"' }), ['u4']);
        assert.deepEqual(await names({ Filter: 'status = "Disabled"' }), ['u5']);
        assert.deepEqual(await names({ Filter: 'status = "Enabled"' }), ['u1', 'u2', 'u3', 'u4']);
        assert.deepEqual(await names({ Filter: 'status = "disabled"' }), [], 'status is case-sensitive');
        const u2 = await get(pool, 'u2');
        const sub = attrsOf(u2.UserAttributes).sub ?? '';
        assert.deepEqual(await names({ Filter: `sub = "${sub}"` }), ['u2']);
        assert.deepEqual(await names({ Filter: '' }), ['u1', 'u2', 'u3', 'u4', 'u5']);
      });

      it('returns only AttributesToGet', async () => {
        const r = await list({ AttributesToGet: ['email'], Limit: 1 });
        assert.deepEqual(r.Users?.[0]?.Attributes, [{ Name: 'email', Value: 'a1@example.com' }]);
      });

      it('refuses bad filters, unknown attributes, bad tokens and a Limit over 60', async () => {
        await rejects(list({ Filter: 'custom:team = "a"' }), 'InvalidParameterException', 'Invalid search attribute: custom:team');
        await rejects(list({ Filter: 'family_name ~ "Mac"' }), 'InvalidParameterException', 'Error while parsing filter.');
        await rejects(list({ AttributesToGet: ['custom:nope'] }), 'InvalidParameterException', 'One or more requested attributes do not exist.');
        await rejects(list({ PaginationToken: 'bm90LWEtdG9rZW4' }), 'InvalidParameterException');
        await rejects(list({ Limit: 61 }), 'InvalidParameterException', "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
        await rejects(c.send(new ListUsersCommand({ UserPoolId: 'us-east-1_AAAAAAAAA' })), 'ResourceNotFoundException');
      });
    });
  });
}
