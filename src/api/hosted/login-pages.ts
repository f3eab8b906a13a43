import QRCode from 'qrcode';
import { html, alert, field, form, Html } from './html.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { passkeysOffered } from './passkey-page.js';

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

/**
 * The sign-in form. A refused sign-in is shown under the field to fix: the username when none was given,
 * otherwise the password (Cognito's message names neither, so that it does not tell which one was wrong).
 */
export function loginPage(ar: AuthorizeRequest, csrf: string, o: { error?: string; info?: string; username?: string } = {}): Html {
  const q = `?${ar.query}`;
  const links = [html`<p><a class="redirect-customizable" href="/forgotPassword${q}">Forgot your password?</a></p>`];
  if (selfSignUp(ar)) links.push(html`<p>Need an account? <a class="redirect-customizable" href="/signup${q}">Sign up</a></p>`);
  const named = o.username !== undefined && o.username !== '';
  return html`<h1>Sign in</h1>
${alert(o.info, 'info')}
${form(
  `/login${q}`,
  csrf,
  html`${field('username', usernameLabel(ar), 'text', { autocomplete: 'username', autofocus: !named, error: named ? undefined : o.error, ...(o.username === undefined ? {} : { value: o.username }) })}
${field('password', 'Password', 'password', { autocomplete: 'current-password', autofocus: named, error: named ? o.error : undefined })}`,
  'Sign in',
  'primary',
  // The same form's second button: a passkey needs only the username (the password field is ignored).
  passkeysOffered(ar) ? html`<button class="secondary submitButton-customizable" type="submit" name="method" value="passkey">Sign in with passkey</button>` : undefined,
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
export function challengePage(
  ar: AuthorizeRequest,
  csrf: string,
  c: { name: string; session: string; username: string; parameters: Record<string, string> },
  error?: string,
  errorField?: 'confirm_password',
): Html | undefined {
  const action = `/login?${ar.query}`;
  const state = challengeState(c.name, c.session, c.username);
  const code = CODE_CHALLENGES[c.name];
  if (code) {
    const dest = c.parameters.CODE_DELIVERY_DESTINATION;
    return html`<h1>${code.title}</h1>
<p class="textDescription-customizable">${dest ? `${code.hint} (${dest})` : code.hint}</p>
${form(action, csrf, html`${state}${field('code', 'Code', 'text', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true, error })}`, 'Sign in')}`;
  }
  if (c.name === 'NEW_PASSWORD_REQUIRED') {
    return html`<h1>Change your password</h1>
<p class="textDescription-customizable">Your temporary password must be replaced before you continue.</p>
${form(
  action,
  csrf,
  html`${state}${field('new_password', 'New password', 'password', { autocomplete: 'new-password', autofocus: error === undefined, error: errorField === undefined ? error : undefined })}
${field('confirm_password', 'Confirm new password', 'password', { autocomplete: 'new-password', error: errorField === 'confirm_password' ? error : undefined })}`,
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
    (o, i) => html`<p class="choice"><input type="radio" id="mfa-${i}" name="answer" value="${o}"${i === 0 ? new Html(' checked') : ''}> <label for="mfa-${i}">${o === 'SOFTWARE_TOKEN_MFA' ? 'Authenticator app' : o === 'SMS_MFA' ? 'Text message' : 'Email'}</label></p>`,
  )}</fieldset>`,
  'Continue',
)}`;
  }
  return undefined;
}

/**
 * The key URI authenticator apps read (https://github.com/google/google-authenticator/wiki/Key-Uri-Format):
 * label `<issuer>:<account>`, the issuer repeated as a parameter, the base32 secret. The issuer is the pool's
 * name, the account the user's name, as the DG's managed-login TOTP set-up shows them (user-pool-settings-mfa-totp).
 */
export function otpauthUri(ar: AuthorizeRequest, username: string, secret: string): string {
  const issuer = typeof ar.pool.doc.PoolName === 'string' ? ar.pool.doc.PoolName : ar.pool.name;
  return `otpauth://totp/${encodeURIComponent(`${issuer}:${username}`)}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
}

/** The URI as a QR code, an SVG data URL made on the server, so the page needs no script (CSP allows data: images). */
export async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * MFA_SETUP with an authenticator app: a QR code of the otpauth:// URI, the same URI as a link (phone
 * authenticators open it) and the key as text to type, then the first code. The secret rides in a hidden
 * field only to show it again after a wrong code; the sealed Session is what the server trusts.
 */
export async function totpSetupPage(ar: AuthorizeRequest, csrf: string, s: { session: string; username: string; secret: string }, error?: string): Promise<Html> {
  const uri = otpauthUri(ar, s.username, s.secret);
  const grouped = s.secret.replace(/(.{4})/g, '$1 ').trim();
  return html`<h1>Set up your authenticator app</h1>
<p class="textDescription-customizable">Multi-factor authentication is required. Scan this QR code with an authenticator app
(or <a class="redirect-customizable" href="${uri}">open in an authenticator</a>), or enter the key below by hand.</p>
<img class="qr" id="totp-qr" src="${await qrDataUrl(uri)}" width="200" height="200" alt="QR code for adding ${s.username} to an authenticator app">
<p class="secret">Key: <code id="totp-secret">${grouped}</code></p>
${form(
  `/login?${ar.query}`,
  csrf,
  html`<input type="hidden" name="challenge" value="MFA_SETUP:ASSOCIATED">
<input type="hidden" name="session" value="${s.session}">
<input type="hidden" name="username" value="${s.username}">
<input type="hidden" name="secret" value="${s.secret}">
${field('code', 'Code from the app', 'text', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: error === undefined, error })}`,
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
