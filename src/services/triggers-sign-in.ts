import { subDoc } from '../domain/pool-config.js';
import type { UserRow } from '../store/schema.js';
import type { SignInStep } from './auth-next-step.js';
import { answerMetadata, initiateMetadata, type SignInTarget } from './auth-outcome.js';
import type { ServiceDeps } from './context.js';
import { eventAttributes, hasTrigger, runTrigger } from './triggers.js';
import { migrateUser } from './triggers-migration.js';

const hides = (t: SignInTarget): boolean => t.client.doc.PreventUserExistenceErrors === 'ENABLED';

/**
 * The sign-in triggers, as hooks of the sign-in pipeline (auth-next-step.ts `SignInHooks`, wired in
 * services.ts): pre authentication before the first factor is checked, user migration for a name the pool
 * does not know (password flows only: the function needs the password), post authentication right before
 * the tokens. ClientMetadata of InitiateAuth goes to pre authentication and user migration only, as the
 * InitiateAuth reference lists; post authentication gets RespondToAuthChallenge's (auth-outcome.ts).
 */
export class SignInTriggers {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * PreAuthentication_Authentication: a function error refuses the sign-in before the password is looked at
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-authentication.html).
   */
  readonly preAuthentication = async (t: SignInTarget, user: UserRow): Promise<void> => {
    await runTrigger(this.deps, t.pool, 'PreAuthentication', {
      triggerSource: 'PreAuthentication_Authentication',
      userName: user.username,
      clientId: t.client.id,
      // InitiateAuth's ClientMetadata reaches this function as validationData (DG user-pool-lambda-pre-authentication).
      request: { userAttributes: eventAttributes(user), validationData: initiateMetadata(t) ?? null, ...(hides(t) ? { userNotFound: false } : {}) },
    });
  };

  /**
   * PreAuthentication_Authentication for a name nobody has (not even after user migration): Cognito invokes it
   * only when the client hides user existence, with `userNotFound: true` ("This Lambda trigger doesn't activate
   * when a user doesn't exist unless the PreventUserExistenceErrors setting of a user pool app client is set to
   * ENABLED", DG user-pool-lambda-pre-authentication). The name is as typed; there are no attributes. A
   * function that lets it pass changes nothing: the sign-in still ends as a wrong password.
   */
  readonly preAuthenticationUnknown = async (t: SignInTarget, name: string): Promise<void> => {
    if (!hides(t)) return;
    await runTrigger(this.deps, t.pool, 'PreAuthentication', {
      triggerSource: 'PreAuthentication_Authentication',
      userName: name,
      clientId: t.client.id,
      request: { userAttributes: {}, validationData: initiateMetadata(t) ?? null, userNotFound: true },
    });
  };

  /**
   * UserMigration_Authentication: USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH for a name nobody has. The
   * function checks the password against the old directory; its answer creates the user with that password
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html).
   */
  readonly migrate = async (t: SignInTarget, username: string, password: string): Promise<UserRow | undefined> => {
    if (!hasTrigger(t.pool, 'UserMigration')) return undefined;
    const clientMetadata = initiateMetadata(t);
    return migrateUser(this.deps, t.pool, t.client, 'UserMigration_Authentication', { username, password, triggers: { clientMetadata } });
  };

  /** PostAuthentication_Authentication: after every factor, before the tokens; its failure fails the sign-in. */
  readonly postAuthentication = async (step: SignInStep): Promise<void> => {
    const { target: t, user } = step;
    if (!hasTrigger(t.pool, 'PostAuthentication')) return;
    const tracksDevices = Object.keys(subDoc(t.pool.doc, 'DeviceConfiguration')).length > 0;
    await runTrigger(this.deps, t.pool, 'PostAuthentication', {
      triggerSource: 'PostAuthentication_Authentication',
      userName: user.username,
      clientId: t.client.id,
      request: { userAttributes: eventAttributes(user), newDeviceUsed: tracksDevices && step.deviceKey === undefined, clientMetadata: answerMetadata(t) },
    });
  };
}
