import type { FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../../domain/errors.js';
import type { AuthOutcome } from '../../services/auth.js';
import type { CallerContext } from '../../services/context.js';
import { regionOfPoolId } from '../../services/pools.js';
import type { Services } from '../../services/services.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { isSecure, type Csrf } from './cookies.js';
import { returnToApp, signedInUser } from './finish.js';
import { sendPage } from './html.js';
import { challengePage, codeChallengeKey, errorPage, loginPage, totpSetupPage } from './login-pages.js';
import { PASSKEY_SCRIPT, passkeyPage, passkeysOffered } from './passkey-page.js';

export interface Hosted {
  services: Services;
  csrf: Csrf;
}

const ctxFor = (ar: AuthorizeRequest, req: FastifyRequest): CallerContext => ({ region: regionOfPoolId(ar.pool.id), requestId: String(req.id) });

export function showLogin(h: Hosted, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, o: { error?: string; info?: string; username?: string } = {}, status = 200): FastifyReply {
  const token = h.csrf.token(req, reply, isSecure(req, h.services.deps));
  return sendPage(reply, status, 'Sign in', loginPage(ar, token, o));
}

/**
 * POST /login: the username and password, or the answer to a challenge, go through the API's sign-in
 * pipeline (services.auth, with `hosted: true`: no ExplicitAuthFlows or SECRET_HASH check), so MFA,
 * devices, risk and triggers apply exactly as for InitiateAuth.
 */
export async function postLogin(h: Hosted, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: ReadonlyMap<string, string>): Promise<FastifyReply> {
  const challenge = form.get('challenge');
  const username = form.get('username') ?? '';
  try {
    if (challenge !== undefined) return await answerChallenge(h, req, reply, ar, form, challenge, username);
    if (form.get('method') === 'passkey' && passkeysOffered(ar)) return await startPasskey(h, req, reply, ar, username);
    const password = form.get('password') ?? '';
    if (username === '' || password === '') return showLogin(h, req, reply, ar, { error: 'Enter your username and password.', username }, 400);
    const outcome = await h.services.auth.initiate(ctxFor(ar, req), { authFlow: 'USER_PASSWORD_AUTH', clientId: ar.client.id, params: { USERNAME: username, PASSWORD: password }, hosted: true });
    return await afterOutcome(h, req, reply, ar, outcome, username);
  } catch (err) {
    if (!(err instanceof CognitoError) || err.status >= 500) throw err;
    return showLogin(h, req, reply, ar, { error: signInMessage(err), username }, 400);
  }
}

/** What the page says about a refused sign-in: Cognito's own message, which already hides unknown users when the client asks. */
function signInMessage(err: CognitoError): string {
  if (err.type === 'UserNotConfirmedException') return 'Your account is not confirmed yet. Confirm it with the code we sent you, then sign in.';
  if (err.type === 'PasswordResetRequiredException') return 'Your password must be reset. Use "Forgot your password?" below.';
  return err.message;
}

async function afterOutcome(h: Hosted, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, outcome: AuthOutcome, username: string): Promise<FastifyReply> {
  if ('challenge' in outcome) {
    const c = outcome.challenge;
    const user = c.parameters.USER_ID_FOR_SRP ?? c.parameters.USERNAME ?? username;
    const token = h.csrf.token(req, reply, isSecure(req, h.services.deps));
    if (c.name === 'MFA_SETUP' && (c.parameters.MFAS_CAN_SETUP ?? '').includes('SOFTWARE_TOKEN_MFA')) {
      const a = await h.services.userMfa.associate(ctxFor(ar, req), { session: c.session ?? '' });
      return sendPage(reply, 200, 'Set up MFA', await totpSetupPage(ar, token, { session: a.session ?? '', username: user, secret: a.secretCode }));
    }
    if (c.name === 'WEB_AUTHN') {
      const options = c.parameters.CREDENTIAL_REQUEST_OPTIONS ?? '{}';
      return sendPage(reply, 200, 'Sign in with passkey', passkeyPage(ar, token, { session: c.session ?? '', username, options }), { script: PASSKEY_SCRIPT });
    }
    // USER_AUTH answers SELECT_CHALLENGE when the preferred passkey is not available: no passkey, or (when the
    // client hides users) no such user. Both get the same words, so the page tells nothing more than the API.
    if (c.name === 'SELECT_CHALLENGE') return showLogin(h, req, reply, ar, { info: 'Passkey sign-in is not available for this account here. Enter your password.', username }, 200);
    const page = challengePage(ar, token, { name: c.name, session: c.session ?? '', username: user, parameters: c.parameters });
    if (!page) return sendPage(reply, 400, 'Sign in', errorPage(`This sign-in step (${c.name}) is not available on the hosted page yet.`));
    return sendPage(reply, 200, 'Sign in', page);
  }
  const signedIn = await signedInUser(h.services, ar, outcome);
  if (!signedIn) return showLogin(h, req, reply, ar, { error: 'Sign-in failed. Try again.' }, 400);
  return returnToApp(h.services, req, reply, ar, signedIn.user, signedIn.authTime, true);
}

async function answerChallenge(h: Hosted, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: ReadonlyMap<string, string>, name: string, username: string): Promise<FastifyReply> {
  const session = form.get('session') ?? '';
  if (name === 'MFA_SETUP:ASSOCIATED') return setUpTotp(h, req, reply, ar, form, session, username);
  const responses: Record<string, string> = { USERNAME: username };
  const codeKey = codeChallengeKey(name);
  if (codeKey !== undefined) responses[codeKey] = form.get('code') ?? '';
  else if (name === 'WEB_AUTHN') responses.CREDENTIAL = form.get('credential') ?? '';
  else if (name === 'NEW_PASSWORD_REQUIRED') {
    const pw = form.get('new_password') ?? '';
    if (pw !== (form.get('confirm_password') ?? '')) {
      const token = h.csrf.token(req, reply, isSecure(req, h.services.deps));
      const page = challengePage(ar, token, { name, session, username, parameters: {} }, 'The passwords do not match.', 'confirm_password');
      return page ? sendPage(reply, 400, 'Sign in', page) : showLogin(h, req, reply, ar, {}, 400);
    }
    responses.NEW_PASSWORD = pw;
  } else if (name === 'SELECT_MFA_TYPE') responses.ANSWER = form.get('answer') ?? '';
  try {
    const outcome = await h.services.auth.respond(ctxFor(ar, req), { challengeName: name, clientId: ar.client.id, session, responses, hosted: true });
    return await afterOutcome(h, req, reply, ar, outcome, username);
  } catch (err) {
    if (!(err instanceof CognitoError) || err.status >= 500) throw err;
    // A wrong code can be tried again with the same Session; anything else starts over.
    if (err.type === 'CodeMismatchException' || err.type === 'InvalidPasswordException') {
      const token = h.csrf.token(req, reply, isSecure(req, h.services.deps));
      const page = challengePage(ar, token, { name, session, username, parameters: {} }, err.message);
      if (page) return sendPage(reply, 400, 'Sign in', page);
    }
    return showLogin(h, req, reply, ar, { error: err.message }, 400);
  }
}

/**
 * "Sign in with passkey": USER_AUTH with PREFERRED_CHALLENGE WEB_AUTHN through the pipeline (hosted, so
 * no ExplicitAuthFlows or SECRET_HASH check), whose WEB_AUTHN challenge the passkey page answers.
 */
async function startPasskey(h: Hosted, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, username: string): Promise<FastifyReply> {
  if (username === '') return showLogin(h, req, reply, ar, { error: 'Enter your username to sign in with a passkey.' }, 400);
  const outcome = await h.services.auth.initiate(ctxFor(ar, req), { authFlow: 'USER_AUTH', clientId: ar.client.id, params: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' }, hosted: true });
  return afterOutcome(h, req, reply, ar, outcome, username);
}

/** The first authenticator code of MFA_SETUP: VerifySoftwareToken with the Session, then the MFA_SETUP answer. */
async function setUpTotp(h: Hosted, req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: ReadonlyMap<string, string>, session: string, username: string): Promise<FastifyReply> {
  try {
    const verified = await h.services.userMfa.verify(ctxFor(ar, req), { session }, form.get('code') ?? '');
    const outcome = await h.services.auth.respond(ctxFor(ar, req), { challengeName: 'MFA_SETUP', clientId: ar.client.id, session: verified.session ?? '', responses: { USERNAME: username }, hosted: true });
    return await afterOutcome(h, req, reply, ar, outcome, username);
  } catch (err) {
    if (!(err instanceof CognitoError) || err.status >= 500) throw err;
    if (err.type !== 'EnableSoftwareTokenMFAException') return showLogin(h, req, reply, ar, { error: err.message }, 400);
    // A wrong first code: the same secret and Session, another try.
    const token = h.csrf.token(req, reply, isSecure(req, h.services.deps));
    return sendPage(reply, 400, 'Set up MFA', await totpSetupPage(ar, token, { session, username, secret: form.get('secret') ?? '' }, err.message));
  }
}
