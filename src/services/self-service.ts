import { timingSafeEqual } from 'node:crypto';
import { CognitoError } from '../domain/errors.js';
import type { AttributeWrite } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import { resolveAppClient } from './app-client.js';
import { clientSecrets, type AppClient, type ClientService } from './clients.js';
import type { CallerContext, ServiceDeps } from './context.js';
import type { Pool, PoolService } from './pools.js';
import {
  deleteUserAttributes,
  getUserAttributeVerificationCode,
  updateUserAttributes,
  verifyUserAttribute,
} from './self-account.js';
import { changePassword, confirmForgotPassword, forgotPassword } from './self-password.js';
import { confirmSignUp, resendConfirmationCode, signUp, type SignUpRequest, type SignUpResult } from './self-sign-up.js';
import type { TokenService } from './tokens.js';
import type { CodeDeliveryDetails } from './user-codes.js';
import { toView, type UserView } from './user-records.js';

export type { SignUpRequest, SignUpResult, CodeDeliveryDetails };

interface Authorized {
  pool: Pool;
  user: UserRow;
  client: AppClient | undefined;
}

/**
 * The operations a user performs for themself, unsigned as Cognito authorizes them: by app client
 * (SignUp, codes, forgotten passwords) or by the user's access token (GetUser, ChangePassword, ...).
 */
export class SelfService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly pools: PoolService,
    private readonly clients: ClientService,
    private readonly tokens: TokenService,
  ) {}

  private app(ctx: CallerContext, clientId: string): Promise<{ pool: Pool; client: AppClient }> {
    return resolveAppClient(this.pools, this.clients, ctx, clientId);
  }

  async signUp(ctx: CallerContext, clientId: string, req: SignUpRequest): Promise<SignUpResult> {
    const { pool, client } = await this.app(ctx, clientId);
    return signUp(this.deps, pool, client, req);
  }

  async confirmSignUp(ctx: CallerContext, clientId: string, req: Parameters<typeof confirmSignUp>[3]): Promise<void> {
    const { pool, client } = await this.app(ctx, clientId);
    await confirmSignUp(this.deps, pool, client, req);
  }

  async resendConfirmationCode(ctx: CallerContext, clientId: string, req: { username: string; secretHash: string | undefined }): Promise<CodeDeliveryDetails> {
    const { pool, client } = await this.app(ctx, clientId);
    return resendConfirmationCode(this.deps, pool, client, req);
  }

  async forgotPassword(ctx: CallerContext, clientId: string, req: Parameters<typeof forgotPassword>[3]): Promise<CodeDeliveryDetails> {
    const { pool, client } = await this.app(ctx, clientId);
    return forgotPassword(this.deps, pool, client, req);
  }

  async confirmForgotPassword(
    ctx: CallerContext,
    clientId: string,
    req: Parameters<typeof confirmForgotPassword>[3],
  ): Promise<void> {
    const { pool, client } = await this.app(ctx, clientId);
    await confirmForgotPassword(this.deps, pool, client, req);
  }

  /** The access token's user, refused in the states Cognito refuses self-service in. */
  private async authorize(accessToken: string): Promise<Authorized> {
    const { pool, user, claims } = await this.tokens.verifyAccessToken(accessToken);
    if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    const clientId = typeof claims.client_id === 'string' ? claims.client_id : '';
    const found = await this.clients.find(clientId);
    const client = found && found.poolId === pool.id ? found : undefined;
    return { pool, user, client };
  }

  async getUser(accessToken: string): Promise<UserView> {
    return toView((await this.authorize(accessToken)).user);
  }

  async changePassword(accessToken: string, previous: string | undefined, proposed: string): Promise<void> {
    const { pool, user } = await this.authorize(accessToken);
    await changePassword(this.deps, pool, user, previous, proposed);
  }

  async updateUserAttributes(accessToken: string, writes: readonly AttributeWrite[]): Promise<CodeDeliveryDetails[]> {
    const { pool, user, client } = await this.authorize(accessToken);
    return updateUserAttributes(this.deps, pool, client, user, writes);
  }

  async deleteUserAttributes(accessToken: string, names: readonly string[]): Promise<void> {
    const { pool, user, client } = await this.authorize(accessToken);
    await deleteUserAttributes(this.deps, pool, client, user, names);
  }

  async getUserAttributeVerificationCode(accessToken: string, attributeName: string): Promise<CodeDeliveryDetails> {
    const { pool, user } = await this.authorize(accessToken);
    return getUserAttributeVerificationCode(this.deps, pool, user, attributeName);
  }

  async verifyUserAttribute(accessToken: string, attributeName: string, code: string): Promise<void> {
    const { pool, user } = await this.authorize(accessToken);
    await verifyUserAttribute(this.deps, pool, user, attributeName, code);
  }

  /** DeleteUser: the user, their sessions and group memberships (by cascade). */
  async deleteUser(accessToken: string): Promise<void> {
    const { user } = await this.authorize(accessToken);
    await this.deps.store.users.deleteUser(user.id);
  }

  /** GlobalSignOut: every session of the user that started before now is revoked. */
  async globalSignOut(accessToken: string): Promise<void> {
    const { user } = await this.authorize(accessToken);
    await this.deps.store.users.revokeTokensBefore(user.id, this.deps.clock.now().getTime());
  }

  /**
   * RevokeToken: a confidential client authenticates with its secret; the client must allow revocation
   * (EnableTokenRevocation, on by default) (https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html).
   */
  async revokeToken(ctx: CallerContext, clientId: string, token: string, clientSecret: string | undefined): Promise<void> {
    if (!(await this.clients.find(clientId))) throw new CognitoError('UnauthorizedException', 'Invalid client.');
    const { client } = await this.app(ctx, clientId);
    const secrets = await clientSecrets(this.deps, client.id);
    if (secrets.length > 0 && !secrets.some((s) => clientSecret !== undefined && sameText(s, clientSecret))) {
      throw new CognitoError('UnauthorizedException', 'Invalid client secret.');
    }
    if (client.doc.EnableTokenRevocation === false) throw new CognitoError('UnsupportedOperationException', 'Token revocation is not enabled for this app client.');
    await this.tokens.revoke(client, token);
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
