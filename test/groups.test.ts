import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { MAX_GROUPS_PER_POOL, MAX_GROUPS_PER_USER } from '../src/services/groups.js';
import type { GroupRow } from '../src/store/schema.js';
import { createPool } from './helpers/pools.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';

const ROLE = 'arn:aws:iam::123456789012:role/readers';

for (const kind of storeKinds()) {
  describe(`groups (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
    });
    after(() => t.close());

    const newPool = (): Promise<string> => createPool(c, 'groups');

    /** A user made through AdminCreateUser (no invitation sent); `id` is the user's sub. */
    const addUser = async (poolId: string, username: string): Promise<{ id: string; username: string }> => {
      const r = await c.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
        }),
      );
      const sub = r.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
      assert.ok(sub);
      return { id: sub, username };
    };

    /** Follows NextToken until the end, checking each page's size. */
    async function collect<T>(limit: number, page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>): Promise<{ all: T[]; pages: number }> {
      const all: T[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const r = await page(token);
        assert.ok(r.items.length <= limit, `page of ${r.items.length} > ${limit}`);
        all.push(...r.items);
        token = r.next;
        pages++;
      } while (token);
      return { all, pages };
    }

    it('creates, gets, updates and deletes a group', async () => {
      const poolId = await newPool();
      const created = await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', Description: 'Read only', RoleArn: ROLE, Precedence: 5 }));
      assert.equal(created.Group?.GroupName, 'readers');
      assert.equal(created.Group?.UserPoolId, poolId);
      assert.equal(created.Group?.RoleArn, ROLE);
      assert.equal(created.Group?.Precedence, 5);
      assert.ok(created.Group?.CreationDate instanceof Date);
      const got = await c.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));
      assert.deepEqual(got.Group, created.Group);

      const updated = await c.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', Precedence: 1 }));
      assert.equal(updated.Group?.Precedence, 1);
      assert.equal(updated.Group?.Description, 'Read only', 'omitted members are kept');
      assert.equal(updated.Group?.RoleArn, ROLE);

      const bare = await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'bare' }));
      assert.equal(bare.Group?.Description, undefined);
      assert.equal(bare.Group?.Precedence, undefined);

      await c.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));
      await assert.rejects(c.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'readers' })), { name: 'ResourceNotFoundException', message: 'Group not found.' });
    });

    it('refuses duplicates, unknown groups and unknown pools', async () => {
      const poolId = await newPool();
      await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
      await assert.rejects(c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' })), {
        name: 'GroupExistsException',
        message: 'A group with the name admins already exists.',
      });
      const notFound = { name: 'ResourceNotFoundException', message: 'Group not found.' };
      await assert.rejects(c.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'ghosts', Description: 'x' })), notFound);
      await assert.rejects(c.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'ghosts' })), notFound);
      await assert.rejects(c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'ghosts' })), notFound);
      await assert.rejects(c.send(new CreateGroupCommand({ UserPoolId: 'us-east-1_missing00', GroupName: 'a' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new ListGroupsCommand({ UserPoolId: 'us-east-1_missing00' })), { name: 'ResourceNotFoundException' });
      await assert.rejects(c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'bad', RoleArn: 'not-an-arn-at-all-here' })), { name: 'InvalidParameterException' });
    });

    it('lists groups across pages', async () => {
      const poolId = await newPool();
      const names = ['g1', 'g2', 'g3', 'g4', 'g5'];
      for (const n of names) await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: n }));
      const { all, pages } = await collect(2, async (token) => {
        const r = await c.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: token }));
        return { items: r.Groups ?? [], next: r.NextToken };
      });
      assert.equal(pages, 3);
      assert.deepEqual(all.map((g) => g.GroupName), names);
      const everything = await c.send(new ListGroupsCommand({ UserPoolId: poolId }));
      assert.equal(everything.Groups?.length, 5);
      assert.equal(everything.NextToken, undefined);
      await assert.rejects(c.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: 'bm90LWEtdG9rZW4' })), { name: 'InvalidParameterException' });
    });

    it('adds, lists and removes members (by username or sub)', async () => {
      const poolId = await newPool();
      for (const g of ['a', 'b', 'c']) await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: g }));
      const alice = await addUser(poolId, 'alice');
      await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'a' }));
      await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'a' })); // idempotent
      await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: alice.id, GroupName: 'c' })); // by sub

      const groups = await c.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.deepEqual(groups.Groups?.map((g) => g.GroupName), ['a', 'c']);

      const members = await c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'a' }));
      assert.equal(members.Users?.length, 1);
      const [u] = members.Users ?? [];
      const got = await c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.equal(u?.Username, 'alice');
      assert.equal(u?.Enabled, true);
      assert.equal(u?.UserStatus, got.UserStatus);
      assert.deepEqual(u?.Attributes, got.UserAttributes, 'the same attributes AdminGetUser shows');
      assert.deepEqual(u?.Attributes?.slice(0, 2), [
        { Name: 'sub', Value: alice.id },
        { Name: 'email', Value: 'alice@example.com' },
      ]);
      assert.equal(u?.UserCreateDate?.getTime(), got.UserCreateDate?.getTime());

      await c.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'a' }));
      await c.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'alice', GroupName: 'b' })); // not a member: fine
      const after = await c.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.deepEqual(after.Groups?.map((g) => g.GroupName), ['c']);
      const none = await c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'a' }));
      assert.deepEqual(none.Users, []);

      // Deleting a group ends its memberships.
      await c.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'c' }));
      const gone = await c.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.deepEqual(gone.Groups, []);
    });

    it('refuses membership changes for unknown users and groups', async () => {
      const poolId = await newPool();
      await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'a' }));
      await addUser(poolId, 'bob');
      const noUser = { name: 'UserNotFoundException', message: 'User does not exist.' };
      await assert.rejects(c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'nobody', GroupName: 'a' })), noUser);
      await assert.rejects(c.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'nobody', GroupName: 'a' })), noUser);
      await assert.rejects(c.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'nobody' })), noUser);
      const noGroup = { name: 'ResourceNotFoundException', message: 'Group not found.' };
      await assert.rejects(c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'bob', GroupName: 'zz' })), noGroup);
      await assert.rejects(c.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'bob', GroupName: 'zz' })), noGroup);
    });

    it('paginates the groups of a user and the users of a group', async () => {
      const poolId = await newPool();
      for (const g of ['a', 'b', 'c', 'd', 'e']) await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: g }));
      const users: Array<{ id: string; username: string }> = [];
      for (let i = 0; i < 5; i++) users.push(await addUser(poolId, `user${i}`));
      for (const g of ['a', 'b', 'c', 'd', 'e']) await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'user0', GroupName: g }));
      for (const u of users) await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: u.username, GroupName: 'a' }));

      const ofUser = await collect(2, async (token) => {
        const r = await c.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'user0', Limit: 2, NextToken: token }));
        return { items: r.Groups ?? [], next: r.NextToken };
      });
      assert.equal(ofUser.pages, 3);
      assert.deepEqual(ofUser.all.map((g) => g.GroupName), ['a', 'b', 'c', 'd', 'e']);

      const inGroup = await collect(2, async (token) => {
        const r = await c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'a', Limit: 2, NextToken: token }));
        return { items: r.Users ?? [], next: r.NextToken };
      });
      assert.equal(inGroup.pages, 3);
      assert.deepEqual(new Set(inGroup.all.map((u) => u.Username)), new Set(users.map((u) => u.username)));
      // A token from one listing does not page another.
      const first = await c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'a', Limit: 2 }));
      await assert.rejects(c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'b', NextToken: first.NextToken })), { name: 'InvalidParameterException' });
    });

    it(`limits a pool to ${MAX_GROUPS_PER_POOL} groups`, async () => {
      const poolId = await newPool();
      const now = Date.now();
      const rows: GroupRow[] = Array.from({ length: MAX_GROUPS_PER_POOL - 1 }, (_, i) => ({
        pool_id: poolId,
        group_name: `bulk${i}`,
        description: null,
        role_arn: null,
        precedence: null,
        created_at: now,
        updated_at: now,
      }));
      for (let i = 0; i < rows.length; i += 1000) await t.app.store.dialect.db.insertInto('groups').values(rows.slice(i, i + 1000)).execute();
      await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'last' }));
      await assert.rejects(c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'one-too-many' })), { name: 'LimitExceededException' });
    });

    it(`limits a user to ${MAX_GROUPS_PER_USER} groups`, async () => {
      const poolId = await newPool();
      const user = await addUser(poolId, 'joiner');
      const now = Date.now();
      for (let i = 0; i < MAX_GROUPS_PER_USER + 1; i++) {
        const name = `g${String(i).padStart(3, '0')}`;
        await t.app.store.groups.insertGroup({ pool_id: poolId, group_name: name, description: null, role_arn: null, precedence: null, created_at: now, updated_at: now });
        if (i < MAX_GROUPS_PER_USER) await t.app.store.groups.addMember(poolId, name, user.id);
      }
      await assert.rejects(c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'joiner', GroupName: 'g100' })), { name: 'LimitExceededException' });
      // Re-adding to a group the user is already in is still fine.
      await c.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'joiner', GroupName: 'g000' }));
    });
  });
}
