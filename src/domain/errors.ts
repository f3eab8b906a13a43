/**
 * Errors in Cognito's vocabulary. `type` is the exact `__type` the service returns (a shape name from the
 * model, or one of the protocol-level errors every AWS JSON service shares); status is 400 except for faults.
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number = 400,
    /** Extra members of the error body, e.g. `reasonCode` on InvalidParameterException. */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidParameter = (message: string): CognitoError =>
  new CognitoError('InvalidParameterException', message);
export const notAuthorized = (message: string): CognitoError => new CognitoError('NotAuthorizedException', message);
export const resourceNotFound = (message: string): CognitoError =>
  new CognitoError('ResourceNotFoundException', message);
export const userNotFound = (message = 'User does not exist.'): CognitoError =>
  new CognitoError('UserNotFoundException', message);
export const internalError = (message = 'Internal server error.'): CognitoError =>
  new CognitoError('InternalErrorException', message, 500);
