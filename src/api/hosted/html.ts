import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Branding } from '../../services/oauth-ui.js';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Marked-up HTML, so that text and markup cannot be confused: only `html` makes one. */
export class Html {
  constructor(readonly text: string) {}
}

/** A tagged template that escapes every interpolated value unless it is already Html (or a list of Html). */
export function html(strings: TemplateStringsArray, ...values: Array<string | number | Html | Html[] | undefined>): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const part = v === undefined ? '' : v instanceof Html ? v.text : Array.isArray(v) ? v.map((h) => h.text).join('') : esc(String(v));
    out += part + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/**
 * The default theme. Colours meet WCAG AA on white: text #16191f (17:1), errors #b0001e (7.5:1), links and the
 * button #0972d3 (4.9:1 with white), input borders #6b7686 (4.6:1, above the 3:1 for controls); the Chromium
 * page test measures these. On a phone the card fills the screen.
 */
const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#16191f;margin:0;line-height:1.4}
main{max-width:24rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}
@media (max-width:30rem){body{background:#fff}main{margin:0;padding:1.5rem 1.25rem;border-radius:0;box-shadow:none}}
h1{font-size:1.4rem;margin:0 0 1.2rem;line-height:1.2}
a{color:#0860bd}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font:inherit;border:1px solid #6b7686;border-radius:.25rem}
input[aria-invalid=true]{border-color:#b0001e}
input:focus,button:focus,a:focus{outline:3px solid #0972d3;outline-offset:2px}
.alert:focus{outline:2px solid #b0001e;outline-offset:2px}
button{margin-top:1.3rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#0972d3;border:1px solid #0972d3;border-radius:.25rem;cursor:pointer}
button.secondary{background:#fff;color:#0860bd;margin-top:.8rem}
.error{color:#b0001e;margin:.3rem 0 0}
.alert{border-left:4px solid #b0001e;background:#fff0f0;padding:.6rem .8rem;margin-bottom:1rem}
.info{border-left:4px solid #0972d3;background:#f0f6ff;padding:.6rem .8rem;margin-bottom:1rem}
nav p{margin:.8rem 0 0}
.logo-customizable{display:block;max-width:100%;max-height:6rem;margin:0 auto 1rem}
fieldset{border:0;padding:0;margin:1rem 0 0}
legend{font-weight:600;padding:0;margin-bottom:.4rem}
.choice{display:flex;align-items:center;gap:.6rem;margin:.5rem 0}
.choice input{width:1.2rem;height:1.2rem;margin:0;flex:none}
.choice label{display:inline;font-weight:400;margin:0}
.qr{display:block;width:12.5rem;height:12.5rem;margin:1rem auto}
.secret{text-align:center;margin:0 0 .5rem}
.secret code{display:inline-block;font-size:1rem;letter-spacing:.04em;padding:.4rem .6rem;background:#f4f5f7;border-radius:.25rem}
`;

/** The pool's or client's branding for the page a reply will carry (set once the request is known). */
const brandings = new WeakMap<FastifyReply, Branding>();
export const setBranding = (reply: FastifyReply, b: Branding): void => void brandings.set(reply, b);

/** Administrator CSS inside the style element: `<` cannot close it (CSS escapes it as \3c). */
const styleText = (css: string): string => css.replace(/</g, '\\3c ');

/**
 * Sends a hosted page: server-rendered, one inline style allowed by a per-response nonce, and no script except
 * where a step cannot work without one (passkeys: navigator.credentials.get), which `script` passes in and the
 * same nonce allows.
 * The page may not be framed (frame-ancestors 'none', X-Frame-Options DENY: no clickjacking of the
 * password form), is never cached, and leaks no referrer (the query carries the authorize request).
 */
export function sendPage(reply: FastifyReply, status: number, title: string, body: Html, opts: { script?: string } = {}): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  const b = brandings.get(reply) ?? {};
  const banner = b.logoUrl === undefined ? html`` : html`<div class="banner-customizable"><img class="logo-customizable" src="${b.logoUrl}" alt=""></div>`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${b.faviconUrl === undefined ? '' : html`<link rel="icon" href="${b.faviconUrl}">`}<style nonce="${nonce}">${new Html(STYLE + styleText(b.css ?? ''))}</style></head>
<body class="background-customizable"><main>${banner}${body}</main>${
    opts.script === undefined ? '' : html`<script nonce="${nonce}">${new Html(opts.script)}</script>`
  }</body></html>`;
  const script = opts.script === undefined ? '' : ` script-src 'nonce-${nonce}';`;
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', `default-src 'none'; style-src 'nonce-${nonce}';${script} img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'`)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(page.text);
}

export interface FieldOptions {
  autocomplete?: string;
  inputmode?: string;
  /** An error about this field: shown right under it, tied to it (aria-describedby), and it takes the focus. */
  error?: string | undefined;
  value?: string;
  autofocus?: boolean;
}

/**
 * One labelled input. An error is shown next to it, announced with it (aria-invalid, aria-describedby) and
 * focused through `autofocus`, so the first wrong field has the focus without any script (WCAG 3.3.1).
 */
export function field(name: string, label: string, type: string, opts: FieldOptions = {}): Html {
  const errId = `${name}-error`;
  const attrs: string[] = [];
  if (opts.autocomplete) attrs.push(` autocomplete="${esc(opts.autocomplete)}"`);
  if (opts.inputmode) attrs.push(` inputmode="${esc(opts.inputmode)}"`);
  if (opts.value !== undefined) attrs.push(` value="${esc(opts.value)}"`);
  if (opts.error) attrs.push(` aria-invalid="true" aria-describedby="${errId}" autofocus`);
  else if (opts.autofocus) attrs.push(' autofocus');
  return html`<label class="label-customizable" for="${name}">${label}</label>
<input class="inputField-customizable" id="${name}" name="${name}" type="${type}" required${new Html(attrs.join(''))}>
${opts.error ? html`<p class="error errorMessage-customizable" id="${errId}" role="alert">${opts.error}</p>` : ''}`;
}

/**
 * A page-level message. An error that belongs to no field is announced (role="alert") and takes the focus
 * (tabindex -1 makes it focusable, autofocus moves the focus there on load), so no field may autofocus too.
 */
export function alert(message: string | undefined, kind: 'alert' | 'info' = 'alert'): Html {
  if (message === undefined) return html``;
  return kind === 'alert'
    ? html`<div class="alert errorMessage-customizable" role="alert" id="page-error" tabindex="-1" autofocus>${message}</div>`
    : html`<div class="info textDescription-customizable" role="status">${message}</div>`;
}

/** A form posting to `action` with its CSRF token; a secondary form (e.g. "send a new code") gets a quieter button. */
export function form(action: string, csrf: string, content: Html, submit: string, variant: 'primary' | 'secondary' = 'primary', more?: Html): Html {
  return html`<form method="post" action="${action}" novalidate>
<input type="hidden" name="_csrf" value="${csrf}">
${content}
<button class="${variant === 'secondary' ? 'secondary ' : ''}submitButton-customizable" type="submit">${submit}</button>${more}
</form>`;
}
