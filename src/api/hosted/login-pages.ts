import { html, alert, field, form, Html } from './html.js';
import type { AuthorizeRequest } from './authorize-request.js';

/** What the username field is called: the pool may sign in with email or phone instead of a username. */
export function usernameLabel(ar: AuthorizeRequest): string {
  const attrs = Array.isArray(ar.pool.doc.UsernameAttributes) ? ar.pool.doc.UsernameAttributes : [];
  if (attrs.includes('email') && attrs.includes('phone_number')) return 'Email or phone number';
  if (attrs.includes('email')) return 'Email';
  if (attrs.includes('phone_number')) return 'Phone number';
  return 'Username';
}

function selfSignUp(ar: AuthorizeRequest): boolean {
  const admin = ar.pool.doc.AdminCreateUserConfig;
  return !(typeof admin === 'object' && admin !== null && !Array.isArray(admin) && admin.AllowAdminCreateUserOnly === true);
}

export function loginPage(ar: AuthorizeRequest, csrf: string, o: { error?: string; info?: string; username?: string } = {}): Html {
  const q = `?${ar.query}`;
  const links = [html`<p><a href="/forgotPassword${q}">Forgot your password?</a></p>`];
  if (selfSignUp(ar)) links.push(html`<p>Need an account? <a href="/signup${q}">Sign up</a></p>`);
  return html`<h1>Sign in</h1>
${alert(o.error)}${alert(o.info, 'info')}
${form(
  `/login${q}`,
  csrf,
  html`${field('username', usernameLabel(ar), 'text', { autocomplete: 'username', ...(o.username === undefined ? { autofocus: true } : { value: o.username }) })}
${field('password', 'Password', 'password', { autocomplete: 'current-password', ...(o.username === undefined ? {} : { autofocus: true }) })}`,
  'Sign in',
)}
<nav>${links}</nav>`;
}

/** The code a challenge asks for, and the ChallengeResponses key it goes in. */
const CODE_CHALLENGES: Record<string, { key: string; title: string; hint: string }> = {
  SOFTWARE_TOKEN_MFA: { key: 'SOFTWARE_TOKEN_MFA_CODE', title: 'Enter your authenticator code', hint: 'Enter the 6-digit code from your authenticator app.' },
  SMS_MFA: { key: 'SMS_MFA_CODE', title: 'Enter the code we texted you', hint: 'We sent a code to your phone.' },
  EMAIL_OTP: { key: 'EMAIL_OTP_CODE', title: 'Enter the code we emailed you', hint: 'We sent a code to your email address.' },
};

export const codeChallengeKey = (name: string): string | undefined => CODE_CHALLENGES[name]?.key;

/** Hidden state of a challenge step: which challenge, its sealed Session, and the username it is for. */
function challengeState(name: string, session: string, username: string): Html {
  return html`<input type="hidden" name="challenge" value="${name}">
<input type="hidden" name="session" value="${session}">
<input type="hidden" name="username" value="${username}">`;
}

/** The page for a challenge the sign-in pipeline asked for; undefined when the hosted page cannot answer it. */
export function challengePage(ar: AuthorizeRequest, csrf: string, c: { name: string; session: string; username: string; parameters: Record<string, string> }, error?: string): Html | undefined {
  const action = `/login?${ar.query}`;
  const state = challengeState(c.name, c.session, c.username);
  const code = CODE_CHALLENGES[c.name];
  if (code) {
    const dest = c.parameters.CODE_DELIVERY_DESTINATION;
    return html`<h1>${code.title}</h1>
${alert(error)}<p>${dest ? `${code.hint} (${dest})` : code.hint}</p>
${form(action, csrf, html`${state}${field('code', 'Code', 'text', { autocomplete: 'one-time-code', autofocus: true })}`, 'Sign in')}`;
  }
  if (c.name === 'NEW_PASSWORD_REQUIRED') {
    return html`<h1>Change your password</h1>
${alert(error)}<p>Your temporary password must be replaced before you continue.</p>
${form(
  action,
  csrf,
  html`${state}${field('new_password', 'New password', 'password', { autocomplete: 'new-password', autofocus: true })}
${field('confirm_password', 'Confirm new password', 'password', { autocomplete: 'new-password' })}`,
  'Change password',
)}`;
  }
  if (c.name === 'SELECT_MFA_TYPE') {
    const options = stringList(c.parameters.MFAS_CAN_CHOOSE);
    return html`<h1>Choose how to verify</h1>
${alert(error)}
${form(
  action,
  csrf,
  html`${state}<fieldset><legend>Verification method</legend>${options.map(
    (o, i) => html`<p><input type="radio" id="mfa-${i}" name="answer" value="${o}"${i === 0 ? new Html(' checked') : ''}> <label for="mfa-${i}" class="inline">${o === 'SOFTWARE_TOKEN_MFA' ? 'Authenticator app' : o === 'SMS_MFA' ? 'Text message' : 'Email'}</label></p>`,
  )}</fieldset>`,
  'Continue',
)}`;
  }
  return undefined;
}

/**
 * MFA_SETUP with an authenticator app: the new secret as text and as an otpauth:// link (which phone
 * authenticators open), then the first code. The secret rides in a hidden field only to show it again after
 * a wrong code; the sealed Session is what the server trusts.
 */
export function totpSetupPage(ar: AuthorizeRequest, csrf: string, s: { session: string; username: string; secret: string }, error?: string): Html {
  const issuer = typeof ar.pool.doc.PoolName === 'string' ? ar.pool.doc.PoolName : ar.pool.name;
  const uri = `otpauth://totp/${encodeURIComponent(`${issuer}:${s.username}`)}?secret=${s.secret}&issuer=${encodeURIComponent(issuer)}`;
  const grouped = s.secret.replace(/(.{4})/g, '$1 ').trim();
  return html`<h1>Set up your authenticator app</h1>${alert(error)}
<p class="textDescription-customizable">Multi-factor authentication is required. Add this account to an authenticator app
(<a class="redirect-customizable" href="${uri}">open in an authenticator</a>) or enter this key by hand:</p>
<p><code id="totp-secret" aria-label="Secret key">${grouped}</code></p>
${form(
  `/login?${ar.query}`,
  csrf,
  html`<input type="hidden" name="challenge" value="MFA_SETUP:ASSOCIATED">
<input type="hidden" name="session" value="${s.session}">
<input type="hidden" name="username" value="${s.username}">
<input type="hidden" name="secret" value="${s.secret}">
${field('code', 'Code from the app', 'text', { autocomplete: 'one-time-code', autofocus: true })}`,
  'Verify and sign in',
)}`;
}

export function errorPage(message: string): Html {
  return html`<h1>Something went wrong</h1>${alert(message)}<p>Go back to the application and try again.</p>`;
}

/** A JSON list of strings from a challenge parameter (MFAS_CAN_CHOOSE); anything else is no options. */
function stringList(json: string | undefined): string[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
