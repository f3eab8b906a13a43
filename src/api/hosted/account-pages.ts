import { schemaOf } from '../../domain/pool-config.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { alert, field, form, html, Html } from './html.js';
import { usernameLabel } from './login-pages.js';

export interface PageOptions {
  error?: string;
  info?: string;
  username?: string;
}

const INPUT_TYPES: Record<string, string> = { email: 'email', phone_number: 'tel', birthdate: 'date', website: 'url' };
const AUTOCOMPLETE: Record<string, string> = { email: 'email', phone_number: 'tel', given_name: 'given-name', family_name: 'family-name', name: 'name' };

/** "given_name" → "Given name". */
const labelOf = (attr: string): string => (attr.charAt(0).toUpperCase() + attr.slice(1)).replace(/_/g, ' ').replace(/^Custom:/, '');

/** The attributes the sign-up form asks for: the pool's required ones (the username may already be one of them). */
export function signUpAttributes(ar: AuthorizeRequest): string[] {
  const usernameAttrs = Array.isArray(ar.pool.doc.UsernameAttributes) ? ar.pool.doc.UsernameAttributes : [];
  return schemaOf(ar.pool.doc)
    .filter((a) => a.Required && a.Name !== 'sub' && !usernameAttrs.includes(a.Name))
    .map((a) => a.Name);
}

/** `passwordError` is shown next to the password field (and focuses it); other errors head the form. */
export function signUpPage(ar: AuthorizeRequest, csrf: string, o: PageOptions & { values?: Record<string, string>; passwordError?: string } = {}): Html {
  const attrs = signUpAttributes(ar).map((a) =>
    field(`attr_${a}`, labelOf(a), INPUT_TYPES[a] ?? 'text', { ...(AUTOCOMPLETE[a] ? { autocomplete: AUTOCOMPLETE[a] } : {}), ...(o.values?.[a] ? { value: o.values[a] } : {}) }),
  );
  return html`<h1>Sign up</h1>${alert(o.error)}
${form(
  `/signup?${ar.query}`,
  csrf,
  html`${field('username', usernameLabel(ar), 'text', { autocomplete: 'username', autofocus: o.passwordError === undefined, ...(o.username ? { value: o.username } : {}) })}
${attrs}${field('password', 'Password', 'password', { autocomplete: 'new-password', ...(o.passwordError === undefined ? {} : { error: o.passwordError, autofocus: true }) })}`,
  'Sign up',
)}
<nav><p>Already have an account? <a href="/login?${ar.query}">Sign in</a></p></nav>`;
}

/** Code entry after sign-up, with a way to have the code sent again. */
export function confirmPage(ar: AuthorizeRequest, csrf: string, o: PageOptions & { destination?: string } = {}): Html {
  const user = html`<input type="hidden" name="username" value="${o.username ?? ''}">`;
  return html`<h1>Confirm your account</h1>${alert(o.error)}${alert(o.info, 'info')}
<p>${o.destination ? `We sent a code to ${o.destination}.` : 'Enter the code we sent you.'}</p>
${form(`/confirm?${ar.query}`, csrf, html`${user}${field('code', 'Verification code', 'text', { autocomplete: 'one-time-code', autofocus: true })}`, 'Confirm account')}
${form(`/resendcode?${ar.query}`, csrf, user, 'Send a new code')}`;
}

export function forgotPage(ar: AuthorizeRequest, csrf: string, o: PageOptions = {}): Html {
  return html`<h1>Forgot your password?</h1>${alert(o.error)}
<p>Enter your ${usernameLabel(ar).toLowerCase()} and we will send you a code to reset your password.</p>
${form(`/forgotPassword?${ar.query}`, csrf, field('username', usernameLabel(ar), 'text', { autocomplete: 'username', autofocus: true }), 'Send code')}
<nav><p><a href="/login?${ar.query}">Back to sign in</a></p></nav>`;
}

export function resetPage(ar: AuthorizeRequest, csrf: string, o: PageOptions & { destination?: string } = {}): Html {
  return html`<h1>Reset your password</h1>${alert(o.error)}
<p>${o.destination ? `We sent a code to ${o.destination}.` : 'Enter the code we sent you.'}</p>
${form(
  `/confirmforgotPassword?${ar.query}`,
  csrf,
  html`<input type="hidden" name="username" value="${o.username ?? ''}">
${field('code', 'Code', 'text', { autocomplete: 'one-time-code', autofocus: true })}
${field('password', 'New password', 'password', { autocomplete: 'new-password' })}`,
  'Change password',
)}`;
}

export { Html };
