import type { OperationHandler } from '../../operation.js';
import { userType } from '../users/wire.js';
import { groupType } from './wire.js';

const page = <T>(key: string, items: T[], nextToken: string | undefined) => ({ [key]: items, ...(nextToken ? { NextToken: nextToken } : {}) });

/** User pool groups and membership (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html). */
export const groupOperations: Record<string, OperationHandler> = {
  async CreateGroup(input, ctx, s) {
    return { Group: groupType(await s.groups.create(ctx, input)) };
  },
  async GetGroup(input, ctx, s) {
    return { Group: groupType(await s.groups.get(ctx, input.str('UserPoolId'), input.str('GroupName'))) };
  },
  async UpdateGroup(input, ctx, s) {
    return { Group: groupType(await s.groups.update(ctx, input)) };
  },
  async DeleteGroup(input, ctx, s) {
    await s.groups.delete(ctx, input.str('UserPoolId'), input.str('GroupName'));
    return {};
  },
  async ListGroups(input, ctx, s) {
    const r = await s.groups.list(ctx, input.str('UserPoolId'), input.optNum('Limit'), input.optStr('NextToken'));
    return page('Groups', r.items.map(groupType), r.nextToken);
  },
  async AdminAddUserToGroup(input, ctx, s) {
    await s.groups.addUser(ctx, input.str('UserPoolId'), input.str('Username'), input.str('GroupName'));
    return {};
  },
  async AdminRemoveUserFromGroup(input, ctx, s) {
    await s.groups.removeUser(ctx, input.str('UserPoolId'), input.str('Username'), input.str('GroupName'));
    return {};
  },
  async AdminListGroupsForUser(input, ctx, s) {
    const r = await s.groups.groupsOfUser(ctx, input.str('UserPoolId'), input.str('Username'), input.optNum('Limit'), input.optStr('NextToken'));
    return page('Groups', r.items.map(groupType), r.nextToken);
  },
  async ListUsersInGroup(input, ctx, s) {
    const r = await s.groups.usersInGroup(ctx, input.str('UserPoolId'), input.str('GroupName'), input.optNum('Limit'), input.optStr('NextToken'));
    return page('Users', r.items.map(userType), r.nextToken);
  },
};
