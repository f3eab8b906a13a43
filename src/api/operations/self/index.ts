import type { OperationHandler } from '../../operation.js';
import { changePassword } from './change-password.js';
import { confirmForgotPassword } from './confirm-forgot-password.js';
import { confirmSignUp } from './confirm-sign-up.js';
import { deleteUserAttributes } from './delete-user-attributes.js';
import { deleteUser } from './delete-user.js';
import { forgotPassword } from './forgot-password.js';
import { getUserAttributeVerificationCode } from './get-user-attribute-verification-code.js';
import { getUser } from './get-user.js';
import { globalSignOut } from './global-sign-out.js';
import { resendConfirmationCode } from './resend-confirmation-code.js';
import { revokeToken } from './revoke-token.js';
import { signUp } from './sign-up.js';
import { updateUserAttributes } from './update-user-attributes.js';
import { verifyUserAttribute } from './verify-user-attribute.js';

/** The self-service operations (unsigned: authorized by app client or by the user's access token). */
export const selfOperations: Record<string, OperationHandler> = {
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ChangePassword: changePassword,
  GetUser: getUser,
  UpdateUserAttributes: updateUserAttributes,
  DeleteUserAttributes: deleteUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  DeleteUser: deleteUser,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
};
