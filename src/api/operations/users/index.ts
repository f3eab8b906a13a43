import type { OperationHandler } from '../../operation.js';
import { adminConfirmSignUp } from './admin-confirm-sign-up.js';
import { adminCreateUser } from './admin-create-user.js';
import { adminDeleteUserAttributes } from './admin-delete-user-attributes.js';
import { adminDeleteUser } from './admin-delete-user.js';
import { adminDisableUser } from './admin-disable-user.js';
import { adminEnableUser } from './admin-enable-user.js';
import { adminGetUser } from './admin-get-user.js';
import { adminResetUserPassword } from './admin-reset-user-password.js';
import { adminSetUserPassword } from './admin-set-user-password.js';
import { adminUpdateUserAttributes } from './admin-update-user-attributes.js';
import { adminUserGlobalSignOut } from './admin-user-global-sign-out.js';
import { listUsers } from './list-users.js';

/** The user directory's admin operations, one file each. */
export const userOperations: Record<string, OperationHandler> = {
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminEnableUser: adminEnableUser,
  AdminDisableUser: adminDisableUser,
  AdminDeleteUser: adminDeleteUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminResetUserPassword: adminResetUserPassword,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ListUsers: listUsers,
};
