import type { AttributeMap } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { eventAttributes, flag, runTrigger, type StringMap } from './triggers.js';

/** What the caller passed for the functions only (never stored): ClientMetadata and ValidationData. */
export interface TriggerInputs {
  clientMetadata?: StringMap | undefined;
  validationData?: StringMap | null | undefined;
}

export interface PreSignUpAnswer {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const NOTHING: PreSignUpAnswer = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

/**
 * Pre sign-up, before the user is written: a function error refuses the sign-up and nothing is stored. The
 * event carries the attributes as given (no sub yet), validationData (null when none) and the response
 * pre-filled with three false flags; only PreSignUp_SignUp honours them
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html).
 */
export async function preSignUp(
  deps: ServiceDeps,
  pool: Pool,
  /** PreSignUp_ExternalProvider: for the federation issue (a federated user's first sign-in). */
  source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider',
  call: { userName: string; clientId: string | undefined; attrs: AttributeMap; inputs: TriggerInputs | undefined },
): Promise<PreSignUpAnswer> {
  const response = await runTrigger(deps, pool, 'PreSignUp', {
    triggerSource: source,
    userName: call.userName,
    clientId: call.clientId,
    request: { userAttributes: { ...call.attrs }, validationData: call.inputs?.validationData ?? null, clientMetadata: call.inputs?.clientMetadata },
    response: { ...NOTHING },
  });
  if (!response || source !== 'PreSignUp_SignUp') return NOTHING;
  return { autoConfirmUser: flag(response, 'autoConfirmUser'), autoVerifyEmail: flag(response, 'autoVerifyEmail'), autoVerifyPhone: flag(response, 'autoVerifyPhone') };
}

/**
 * Applies a pre sign-up answer to the new user's attributes: autoVerifyEmail / autoVerifyPhone mark the
 * contact verified (which may make it an alias), only for a contact the user has.
 */
export function withAutoVerified(attrs: AttributeMap, answer: PreSignUpAnswer): AttributeMap {
  const out = { ...attrs };
  if (answer.autoVerifyEmail && out.email !== undefined) out.email_verified = 'true';
  if (answer.autoVerifyPhone && out.phone_number !== undefined) out.phone_number_verified = 'true';
  return out;
}

/**
 * Post confirmation, after the confirmation is written. As in Cognito, a failing function fails the request
 * but the user stays confirmed (the write is not undone); the function sees the confirmed user's attributes.
 */
export async function postConfirmation(
  deps: ServiceDeps,
  pool: Pool,
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
  user: Pick<UserRow, 'id' | 'username' | 'status' | 'attributes'>,
  clientId: string | undefined,
  inputs: TriggerInputs | undefined,
): Promise<void> {
  await runTrigger(deps, pool, 'PostConfirmation', {
    triggerSource: source,
    userName: user.username,
    clientId,
    request: { userAttributes: eventAttributes(user), clientMetadata: inputs?.clientMetadata },
  });
}
