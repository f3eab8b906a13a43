import { internalError, notAuthorized, userNotFound } from '../domain/errors.js';
import { checkPassword } from '../domain/password-policy.js';
import { passwordPolicyOf, schemaOf } from '../domain/pool-config.js';
import { applyAttributeDeletes, applyAttributeWrites, parseAttributes, type AttributeMap, type AttributeWrite } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { MfaSettings } from '../store/repositories/user-mfa.js';
import { UniqueViolation } from '../store/repositories/users.js';
import type { CallerContext, ServiceDeps } from './context.js';
import { passwordCredentials } from './credentials.js';
import type { Pool, PoolService } from './pools.js';
import { createUser, type CreateUserRequest } from './user-create.js';
import { listUsers, type ListUsersRequest, type UserPage } from './user-list.js';
import { findUserWithMfa, requireUser } from './user-lookup.js';
import { sendResetCode } from './user-messages.js';
import { hasTrigger } from './triggers.js';
import { postConfirmation, type TriggerInputs } from './triggers-sign-up.js';
import { aliasConflict, aliasesFor, toView, withAttributes, type UserView } from './user-records.js';

export type { CreateUserRequest, ListUsersRequest, UserPage, UserView };

/** Attempts of a read-modify-write of attributes before giving up on a user that keeps changing. */
const CAS_ATTEMPTS = 16;

/** Statuses from which AdminResetUserPassword may move a user to RESET_REQUIRED. */
const RESETTABLE = ['CONFIRMED', 'RESET_REQUIRED'];

/**
 * The user directory's administrative use cases (the Admin* user operations and ListUsers). Users are
 * addressed by username, alias or sub (user-lookup.ts); every status change is a conditional write, every
 * attribute change a compare-and-set, so concurrent requests cannot lose each other's changes.
 */
export class UserService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
  ) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  private async user(ctx: CallerContext, poolId: string, username: string): Promise<{ pool: Pool; row: UserRow }> {
    const pool = await this.pools.get(ctx, poolId);
    return { pool, row: await requireUser(this.deps, pool, username) };
  }

  async create(ctx: CallerContext, poolId: string, req: CreateUserRequest): Promise<UserView> {
    return createUser(this.deps, await this.pools.get(ctx, poolId), req);
  }

  async get(ctx: CallerContext, poolId: string, username: string): Promise<UserView> {
    return toView((await this.user(ctx, poolId, username)).row);
  }

  /** AdminGetUser: the user and their MFA settings, read in one query. */
  async getWithMfa(ctx: CallerContext, poolId: string, username: string): Promise<{ view: UserView; mfa: MfaSettings | undefined }> {
    const found = await findUserWithMfa(this.deps, await this.pools.get(ctx, poolId), username);
    if (!found) throw userNotFound();
    return { view: toView(found.row), mfa: found.mfa };
  }

  async list(ctx: CallerContext, poolId: string, req: ListUsersRequest): Promise<UserPage> {
    return listUsers(this.deps, await this.pools.get(ctx, poolId), req);
  }

  /** AdminUpdateUserAttributes. Verification codes for auto-verified attributes are the sign-up flows' job. */
  async updateAttributes(ctx: CallerContext, poolId: string, username: string, writes: readonly AttributeWrite[]): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    const schema = schemaOf(pool.doc);
    await this.changeAttributes(pool, username, (current) => applyAttributeWrites(schema, current, writes, 'update'));
  }

  /** AdminDeleteUserAttributes. */
  async deleteAttributes(ctx: CallerContext, poolId: string, username: string, names: readonly string[]): Promise<void> {
    const pool = await this.pools.get(ctx, poolId);
    const schema = schemaOf(pool.doc);
    await this.changeAttributes(pool, username, (current) => applyAttributeDeletes(schema, current, names));
  }

  /** Read, change, compare-and-set; again from the read if another request changed the user meanwhile. */
  private async changeAttributes(pool: Pool, username: string, change: (current: AttributeMap) => AttributeMap): Promise<void> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const row = await requireUser(this.deps, pool, username);
      const next = change(parseAttributes(row.attributes));
      try {
        if (await this.deps.store.users.saveAttributes(withAttributes(row, next, this.now()), row.attributes, aliasesFor(pool, next))) return;
      } catch (err) {
        if (err instanceof UniqueViolation && err.what !== 'username') throw aliasConflict(pool, err.what, false);
        throw err;
      }
    }
    throw internalError();
  }

  /** AdminEnableUser / AdminDisableUser. Disabling also revokes the user's tokens (API_AdminDisableUser). */
  async setEnabled(ctx: CallerContext, poolId: string, username: string, enabled: boolean): Promise<void> {
    const { row } = await this.user(ctx, poolId, username);
    const now = this.now();
    const fields = enabled ? { enabled: 1, updated_at: now } : { enabled: 0, updated_at: now, tokens_revoked_before: now };
    if (!(await this.deps.store.users.updateFields(row.id, fields))) throw userNotFound();
  }

  async delete(ctx: CallerContext, poolId: string, username: string): Promise<void> {
    const { row } = await this.user(ctx, poolId, username);
    // Deleted meanwhile by another request: answer as if it had not been found in the first place.
    if (!(await this.deps.store.users.deleteUser(row.id))) throw userNotFound();
  }

  /** AdminSetUserPassword: permanent → CONFIRMED, temporary → FORCE_CHANGE_PASSWORD. */
  async setPassword(ctx: CallerContext, poolId: string, username: string, password: string, permanent: boolean): Promise<void> {
    const { pool, row } = await this.user(ctx, poolId, username);
    checkPassword(passwordPolicyOf(pool.doc), password);
    const credentials = await passwordCredentials(this.deps, pool, row.username, password);
    const now = this.now();
    const status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    const fields = { ...credentials, password_set_at: now, status, updated_at: now };
    if (!(await this.deps.store.users.updateFields(row.id, fields))) throw userNotFound();
  }

  /**
   * AdminResetUserPassword: RESET_REQUIRED, and a reset code to the user's verified email or phone number
   * as AccountRecoverySetting orders them (none when the user has neither, or the pool is admin_only).
   * A user who never chose a password (FORCE_CHANGE_PASSWORD) or never confirmed cannot be reset.
   */
  async resetPassword(ctx: CallerContext, poolId: string, username: string): Promise<void> {
    const { pool, row } = await this.user(ctx, poolId, username);
    const now = this.now();
    if (!(await this.deps.store.users.updateFields(row.id, { status: 'RESET_REQUIRED', updated_at: now }, RESETTABLE))) {
      await requireUser(this.deps, pool, row.id); // gone meanwhile: UserNotFoundException
      throw notAuthorized('User password cannot be reset in the current state.');
    }
    await sendResetCode(this.deps, pool, row, parseAttributes(row.attributes), now);
  }

  /** AdminConfirmSignUp: UNCONFIRMED → CONFIRMED, then the post confirmation trigger. */
  async confirmSignUp(ctx: CallerContext, poolId: string, username: string, triggers?: TriggerInputs): Promise<void> {
    const { pool, row } = await this.user(ctx, poolId, username);
    if (await this.deps.store.users.updateFields(row.id, { status: 'CONFIRMED', updated_at: this.now() }, ['UNCONFIRMED'])) {
      if (hasTrigger(pool, 'PostConfirmation')) await postConfirmation(this.deps, pool, 'PostConfirmation_ConfirmSignUp', { ...row, status: 'CONFIRMED' }, undefined, triggers);
      return;
    }
    const current = await requireUser(this.deps, pool, row.id);
    throw notAuthorized(`User cannot be confirmed. Current status is ${current.status}`);
  }

  /** AdminUserGlobalSignOut: tokens issued before now are no longer honoured. */
  async globalSignOut(ctx: CallerContext, poolId: string, username: string): Promise<void> {
    const { row } = await this.user(ctx, poolId, username);
    await this.deps.store.users.revokeTokensBefore(row.id, this.now());
  }
}
