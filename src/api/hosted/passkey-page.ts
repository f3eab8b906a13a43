import { allowedFirstFactors } from '../../domain/auth-factors.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { html, Html } from './html.js';

/**
 * Whether the sign-in page offers passkeys: the pool allows WEB_AUTHN as a first factor and does not require
 * MFA (Cognito offers passwordless factors only where MFA is off or optional,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html).
 */
export function passkeysOffered(ar: AuthorizeRequest): boolean {
  return ar.pool.doc.MfaConfiguration !== 'ON' && allowedFirstFactors(ar.pool.doc).includes('WEB_AUTHN');
}

/** JSON inside a non-executed script element: `<` written as \u003c so that nothing can close the element. */
const scriptJson = (json: string): Html => new Html(json.replace(/</g, '\\u003c'));

/**
 * The WEB_AUTHN step: the CredentialRequestOptions the pipeline made, and a button whose script runs
 * navigator.credentials.get and posts the assertion as the challenge's CREDENTIAL. The button stays hidden
 * until the script has checked that the browser can use passkeys; without script the page says so and
 * points back to the password.
 */
export function passkeyPage(ar: AuthorizeRequest, csrf: string, s: { session: string; username: string; options: string }): Html {
  const back = `/login?${ar.query}`;
  return html`<h1>Sign in with your passkey</h1>
<p class="textDescription-customizable">Use the passkey saved for <strong>${s.username}</strong> on this device or a security key.</p>
<noscript><div class="alert errorMessage-customizable" role="alert">Passkey sign-in needs JavaScript, which is turned off in this browser.
Sign in with your password instead.</div></noscript>
<script type="application/json" id="passkey-options">${scriptJson(s.options)}</script>
<form method="post" action="${back}" id="passkey-form">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="challenge" value="WEB_AUTHN">
<input type="hidden" name="session" value="${s.session}">
<input type="hidden" name="username" value="${s.username}">
<input type="hidden" name="credential" value="">
<button class="submitButton-customizable" type="button" id="passkey-go" hidden>Continue with passkey</button>
</form>
<p id="passkey-status" class="textDescription-customizable" role="status" aria-live="polite"></p>
<nav><p><a class="redirect-customizable" href="${back}">Sign in with your password instead</a></p></nav>`;
}

/**
 * The page's only script. It converts the options' base64url members to bytes and the credential back to
 * the WebAuthn JSON (RegistrationResponseJSON's sibling, AuthenticationResponseJSON) by hand rather than with
 * PublicKeyCredential.parseRequestOptionsFromJSON / toJSON, which older Safari and Firefox lack.
 */
export const PASSKEY_SCRIPT = `(() => {
  const $ = (id) => document.getElementById(id);
  const go = $('passkey-go'), status = $('passkey-status'), form = $('passkey-form');
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const text = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  if (!window.PublicKeyCredential || !navigator.credentials) {
    status.textContent = 'This browser cannot use passkeys. Sign in with your password instead.';
    return;
  }
  const o = JSON.parse($('passkey-options').textContent);
  const publicKey = { ...o, challenge: bytes(o.challenge), allowCredentials: (o.allowCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })) };
  go.hidden = false;
  go.focus();
  go.addEventListener('click', async () => {
    go.disabled = true;
    status.textContent = 'Waiting for your passkey…';
    try {
      const c = await navigator.credentials.get({ publicKey });
      const r = c.response;
      form.elements.credential.value = JSON.stringify({
        id: c.id, rawId: text(c.rawId), type: c.type, authenticatorAttachment: c.authenticatorAttachment || undefined,
        clientExtensionResults: c.getClientExtensionResults(),
        response: { clientDataJSON: text(r.clientDataJSON), authenticatorData: text(r.authenticatorData), signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : undefined },
      });
      form.submit();
    } catch (e) {
      status.textContent = 'No passkey was used (' + e.name + '). Try again, or sign in with your password.';
      go.disabled = false;
    }
  });
})();`;
