import { schemaOf } from '../../domain/pool-config.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { alert, field, form, html, Html } from './html.js';
import { usernameLabel } from './login-pages.js';

export interface PageOptions {
  /** An error about no particular field: heads the form and takes the focus. */
  error?: string;
  /** An error about one field: shown under that field, which takes the focus. */
  fieldError?: { field: string; message: string };
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

/** The error of `name`, if the page has one for that field. */
const errorOf = (o: PageOptions, name: string): string | undefined => (o.fieldError?.field === name ? o.fieldError.message : undefined);
/** Whether the first field should take the focus: not when an error elsewhere takes it. */
const calm = (o: PageOptions): boolean => o.error === undefined && o.fieldError === undefined;

/** A password policy error goes under the password, a taken username under the username; others head the form. */
export function signUpPage(ar: AuthorizeRequest, csrf: string, o: PageOptions & { values?: Record<string, string> } = {}): Html {
  const attrs = signUpAttributes(ar).map((a) =>
    field(`attr_${a}`, labelOf(a), INPUT_TYPES[a] ?? 'text', {
      ...(AUTOCOMPLETE[a] ? { autocomplete: AUTOCOMPLETE[a] } : {}),
      ...(o.values?.[a] ? { value: o.values[a] } : {}),
      error: errorOf(o, `attr_${a}`),
    }),
  );
  return html`<h1>Sign up</h1>${alert(o.error)}
${form(
  `/signup?${ar.query}`,
  csrf,
  html`${field('username', usernameLabel(ar), 'text', { autocomplete: 'username', autofocus: calm(o), error: errorOf(o, 'username'), ...(o.username ? { value: o.username } : {}) })}
${attrs}${field('password', 'Password', 'password', { autocomplete: 'new-password', error: errorOf(o, 'password') })}`,
  'Sign up',
)}
<nav><p>Already have an account? <a class="redirect-customizable" href="/login?${ar.query}">Sign in</a></p></nav>`;
}

/** Code entry after sign-up, with a way to have the code sent again. */
export function confirmPage(ar: AuthorizeRequest, csrf: string, o: PageOptions & { destination?: string } = {}): Html {
  const user = html`<input type="hidden" name="username" value="${o.username ?? ''}">`;
  return html`<h1>Confirm your account</h1>${alert(o.info, 'info')}
<p class="textDescription-customizable">${o.destination ? `We sent a code to ${o.destination}.` : 'Enter the code we sent you.'}</p>
${form(`/confirm?${ar.query}`, csrf, html`${user}${field('code', 'Verification code', 'text', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true, error: o.error })}`, 'Confirm account')}
${form(`/resendcode?${ar.query}`, csrf, user, 'Send a new code', 'secondary')}`;
}

export function forgotPage(ar: AuthorizeRequest, csrf: string, o: PageOptions = {}): Html {
  return html`<h1>Forgot your password?</h1>
<p class="textDescription-customizable">Enter your ${usernameLabel(ar).toLowerCase()} and we will send you a code to reset your password.</p>
${form(
  `/forgotPassword?${ar.query}`,
  csrf,
  field('username', usernameLabel(ar), 'text', { autocomplete: 'username', autofocus: true, error: o.error, ...(o.username ? { value: o.username } : {}) }),
  'Send code',
)}
<nav><p><a class="redirect-customizable" href="/login?${ar.query}">Back to sign in</a></p></nav>`;
}

export function resetPage(ar: AuthorizeRequest, csrf: string, o: PageOptions & { destination?: string } = {}): Html {
  return html`<h1>Reset your password</h1>${alert(o.error)}
<p class="textDescription-customizable">${o.destination ? `We sent a code to ${o.destination}.` : 'Enter the code we sent you.'}</p>
${form(
  `/confirmforgotPassword?${ar.query}`,
  csrf,
  html`<input type="hidden" name="username" value="${o.username ?? ''}">
${field('code', 'Code', 'text', { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: calm(o), error: errorOf(o, 'code') })}
${field('password', 'New password', 'password', { autocomplete: 'new-password', error: errorOf(o, 'password') })}`,
  'Change password',
)}`;
}

export { Html };
