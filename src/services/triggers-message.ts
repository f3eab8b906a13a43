import { CODE_PLACEHOLDER } from '../domain/messages.js';
import type { AttributeMap } from '../domain/user-attributes.js';
import type { UserRow } from '../store/schema.js';
import type { ServiceDeps } from './context.js';
import type { Pool } from './pools.js';
import { eventAttributes, optString, runTrigger, type StringMap } from './triggers.js';
import { hasCustomSender } from './triggers-sender.js';

/** Why a message goes out, as the custom message trigger names it. */
export type MessageSource = 'SignUp' | 'AdminCreateUser' | 'ResendCode' | 'ForgotPassword' | 'UpdateUserAttribute' | 'VerifyUserAttribute' | 'Authentication';

/** The call that caused a message, for the trigger's envelope. */
export interface MessageCause {
  source: MessageSource;
  clientId?: string | undefined;
  clientMetadata?: StringMap | undefined;
}

/** A message before the code (and username) are put in: the templates' placeholders are still there. */
export interface MessageText {
  subject?: string;
  body: string;
}

const USERNAME_PLACEHOLDER = '{username}';
const LINK_PLACEHOLDER = '{##Click Here##}';

/**
 * The custom message trigger: the function sees the placeholders (codeParameter `{####}`, usernameParameter
 * `{username}` for invitations only) and may answer emailMessage/emailSubject or smsMessage; Cognito puts the
 * code in afterwards, so the code never reaches the function
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html). An answer
 * without the code placeholder would deliver no code, so the pool's own template is kept then.
 */
export async function customMessage(
  deps: ServiceDeps,
  pool: Pool,
  cause: MessageCause,
  user: Pick<UserRow, 'id' | 'username' | 'status'>,
  attrs: AttributeMap,
  channel: 'EMAIL' | 'SMS',
  text: MessageText,
): Promise<MessageText> {
  // A custom sender composes its own messages; the custom message trigger is not asked for them.
  if (hasCustomSender(pool, channel)) return text;
  const invitation = cause.source === 'AdminCreateUser';
  const response = await runTrigger(deps, pool, 'CustomMessage', {
    triggerSource: `CustomMessage_${cause.source}`,
    userName: user.username,
    clientId: cause.clientId,
    request: {
      userAttributes: eventAttributes(user, attrs),
      codeParameter: CODE_PLACEHOLDER,
      linkParameter: invitation ? null : LINK_PLACEHOLDER,
      usernameParameter: invitation ? USERNAME_PLACEHOLDER : null,
      clientMetadata: cause.clientMetadata,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  if (!response) return text;
  const body = optString(response, channel === 'EMAIL' ? 'emailMessage' : 'smsMessage');
  const subject = channel === 'EMAIL' ? optString(response, 'emailSubject') : undefined;
  return {
    body: body !== undefined && body.includes(CODE_PLACEHOLDER) ? body : text.body,
    ...(text.subject !== undefined || subject !== undefined ? { subject: subject ?? text.subject } : {}),
  };
}
