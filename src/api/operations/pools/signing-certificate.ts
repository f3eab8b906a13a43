import type { OperationHandler } from '../../operation.js';

/** GetSigningCertificate: the base64 X.509 certificate that signs the pool's SAML requests. */
export const getSigningCertificate: OperationHandler = async (input, ctx, s) => ({
  Certificate: await s.signingCertificates.certificateOf(ctx, input.str('UserPoolId')),
});
