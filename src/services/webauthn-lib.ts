/**
 * @simplewebauthn/server and its ASN.1 and X.509 dependencies are about a fifth of the server's code; they
 * are loaded the first time a passkey is registered or used, not at start-up (bundled start-up is measured:
 * issue 2's under-300-ms target). The package stays external to the bundle (scripts/build.mjs).
 */
let lib: Promise<typeof import('@simplewebauthn/server')> | undefined;

export function simpleWebAuthn(): Promise<typeof import('@simplewebauthn/server')> {
  lib ??= import('@simplewebauthn/server');
  return lib;
}
