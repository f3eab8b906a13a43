import type { AppClient } from './clients.js';
import type { Pool } from './pools.js';
import type { IssuedTokens } from './tokens.js';

/** The end user's IP address and device (User-Agent) as the app passed them. */
export interface RequestContext {
  ipAddress?: string;
  deviceName?: string;
  /** The request's ClientMetadata: only for the Lambda triggers, never stored (services/triggers-sign-in.ts). */
  clientMetadata?: Readonly<Record<string, string>>;
  /** The request is (Admin)RespondToAuthChallenge: its ClientMetadata goes to other triggers than InitiateAuth's. */
  answer?: boolean;
}

/** NewDeviceMetadataType: a device the client should confirm (ConfirmDevice) after this sign-in. */
export interface NewDeviceMetadata {
  DeviceKey: string;
  DeviceGroupKey: string;
}

/** What a sign-in step answers: tokens, or the next challenge (InitiateAuthResponse and its relatives). */
export type AuthOutcome =
  | { tokens: IssuedTokens; newDevice?: NewDeviceMetadata }
  | { challenge: { name: string; session?: string; parameters: Record<string, string>; /** SELECT_CHALLENGE's AvailableChallenges (USER_AUTH). */ available?: readonly string[] } };

type Metadata = Readonly<Record<string, string>> | undefined;

/**
 * ClientMetadata as each trigger gets it: InitiateAuth's goes to pre sign-up, pre authentication and user
 * migration only; RespondToAuthChallenge's to post authentication, custom message, pre token generation and the
 * three challenge functions (API reference of InitiateAuth and RespondToAuthChallenge, "ClientMetadata").
 */
export const initiateMetadata = (t: SignInTarget): Metadata => (t.context?.answer ? undefined : t.context?.clientMetadata);
export const answerMetadata = (t: SignInTarget): Metadata => (t.context?.answer ? t.context.clientMetadata : undefined);

/** The pool and app client a sign-in request is for. */
export interface SignInTarget {
  pool: Pool;
  client: AppClient;
  /** Whether this is AdminInitiateAuth / AdminRespondToAuthChallenge (signed by an administrator). */
  admin: boolean;
  /** The server's own hosted sign-in page: no ExplicitAuthFlows check, no SECRET_HASH (checked at /oauth2/token). */
  hosted?: boolean;
  /** The end user's request context (UserContextData / ContextData), for threat protection. */
  context?: RequestContext;
}
