import { CognitoError, invalidParameter } from './errors.js';

/**
 * Which sign-in flows an app client permits, from its ExplicitAuthFlows. A client on the legacy names
 * (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) always had SRP and refresh-token sign-in,
 * unless CUSTOM_AUTH_FLOW_ONLY took SRP away
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ExplicitAuthFlows).
 */
export type SignInFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH' | 'CUSTOM_AUTH' | 'USER_AUTH';

const ALLOW: Record<SignInFlow, string> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
  USER_AUTH: 'ALLOW_USER_AUTH',
};

function legacyAllows(flows: readonly string[], flow: SignInFlow): boolean {
  switch (flow) {
    case 'USER_SRP_AUTH':
      return !flows.includes('CUSTOM_AUTH_FLOW_ONLY');
    case 'REFRESH_TOKEN_AUTH':
    case 'CUSTOM_AUTH':
      return true;
    case 'USER_PASSWORD_AUTH':
      return flows.includes('USER_PASSWORD_AUTH');
    case 'ADMIN_USER_PASSWORD_AUTH':
      return flows.includes('ADMIN_NO_SRP_AUTH');
    case 'USER_AUTH':
      return false;
  }
}

export function flowAllowed(explicitAuthFlows: readonly string[], flow: SignInFlow): boolean {
  if (explicitAuthFlows.some((f) => f.startsWith('ALLOW_'))) return explicitAuthFlows.includes(ALLOW[flow]);
  return legacyAllows(explicitAuthFlows, flow);
}

/** Cognito's answer when the client does not permit a flow (wording as the service returns it). */
export function flowNotEnabled(flow: SignInFlow): CognitoError {
  switch (flow) {
    case 'USER_SRP_AUTH':
      return invalidParameter('USER_SRP_AUTH is not enabled for the client.');
    case 'ADMIN_USER_PASSWORD_AUTH':
      return invalidParameter('Auth flow not enabled for this client');
    default:
      return invalidParameter(`${flow} flow not enabled for this client`);
  }
}

/** The flows each operation takes; another AuthFlowType value is "not supported" there. */
export const INITIATE_AUTH_FLOWS: ReadonlyMap<string, SignInFlow> = new Map([
  ['USER_SRP_AUTH', 'USER_SRP_AUTH'],
  ['USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH'],
  ['REFRESH_TOKEN', 'REFRESH_TOKEN_AUTH'],
  ['CUSTOM_AUTH', 'CUSTOM_AUTH'],
  ['USER_AUTH', 'USER_AUTH'],
]);
export const ADMIN_INITIATE_AUTH_FLOWS: ReadonlyMap<string, SignInFlow> = new Map([
  ['USER_SRP_AUTH', 'USER_SRP_AUTH'],
  ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH'],
  ['ADMIN_NO_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH'],
  ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH'],
  ['REFRESH_TOKEN', 'REFRESH_TOKEN_AUTH'],
  ['CUSTOM_AUTH', 'CUSTOM_AUTH'],
  ['USER_AUTH', 'USER_AUTH'],
]);

/** "Initiate Auth method not supported": an AuthFlow the operation does not take (e.g. ADMIN_* on InitiateAuth). */
export const flowNotSupported = (): CognitoError => invalidParameter('Initiate Auth method not supported');

export const missingParameter = (name: string): CognitoError => invalidParameter(`Missing required parameter ${name}`);

/**
 * Cognito's lockout (DG, "Authentication flow", user account lockout): after 5 failed sign-ins the user is
 * locked out for 1 s, doubling with each further failure (2^(n−5) s after n failures) up to about 15 minutes;
 * 15 minutes without a failure starts the count again.
 */
export const LOCKOUT_AFTER = 5;
export const LOCKOUT_MAX_MS = 15 * 60_000;
export const FAILURES_FORGOTTEN_AFTER_MS = 15 * 60_000;

/** How long n failed sign-ins lock the user out (0 below the threshold). */
export function lockoutMs(failures: number): number {
  if (failures < LOCKOUT_AFTER) return 0;
  return Math.min(2 ** (failures - LOCKOUT_AFTER) * 1000, LOCKOUT_MAX_MS);
}

export const passwordAttemptsExceeded = (): CognitoError => new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
export const incorrectCredentials = (): CognitoError => new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
export const invalidSession = (): CognitoError => new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
export const sessionExpired = (): CognitoError => new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
export const sessionUsed = (): CognitoError => new CognitoError('NotAuthorizedException', 'Invalid session for the user, session can only be used once.');
