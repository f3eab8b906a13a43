import type { FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../../domain/errors.js';
import { regionOfPoolId } from '../../services/pools.js';
import { computeSecretHash } from '../../services/secret-hash.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { isSecure } from './cookies.js';
import { sendPage } from './html.js';
import { confirmPage, forgotPage, resetPage, signUpAttributes, signUpPage, type PageOptions } from './account-pages.js';
import { showLogin, type Hosted } from './login.js';

type Form = ReadonlyMap<string, string>;

/**
 * Sign-up, confirmation and password reset pages. Each calls the same self-service operation the API
 * has (SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword), so policies,
 * codes, user-existence hiding and triggers behave identically. The page is the server itself, so it
 * computes a client's SECRET_HASH rather than asking the browser for the secret.
 */
export class AccountPages {
  constructor(private readonly h: Hosted) {}

  private csrf(req: FastifyRequest, reply: FastifyReply): string {
    return this.h.csrf.token(req, reply, isSecure(req, this.h.services.deps));
  }

  private ctx(ar: AuthorizeRequest, req: FastifyRequest) {
    return { region: regionOfPoolId(ar.pool.id), requestId: String(req.id) };
  }

  private async secretHash(ar: AuthorizeRequest, username: string): Promise<string | undefined> {
    const [secret] = await this.h.services.clients.secretsOf(ar.client.id);
    return secret === undefined ? undefined : computeSecretHash(secret, username, ar.client.id);
  }

  showSignUp(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest): FastifyReply {
    return sendPage(reply, 200, 'Sign up', signUpPage(ar, this.csrf(req, reply)));
  }

  async signUp(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: Form): Promise<FastifyReply> {
    const username = form.get('username') ?? '';
    const values = Object.fromEntries(signUpAttributes(ar).map((a) => [a, form.get(`attr_${a}`) ?? '']));
    try {
      const r = await this.h.services.self.signUp(this.ctx(ar, req), ar.client.id, {
        username,
        password: form.get('password') ?? '',
        secretHash: await this.secretHash(ar, username),
        attributes: Object.entries(values).map(([name, value]) => ({ name, value })),
      });
      if (r.userConfirmed) return showLogin(this.h, req, reply, ar, { info: 'Your account is ready. Sign in.', username });
      return sendPage(reply, 200, 'Confirm your account', confirmPage(ar, this.csrf(req, reply), { username, ...(r.delivery ? { destination: r.delivery.Destination } : {}) }));
    } catch (err) {
      if (!(err instanceof CognitoError) || err.status >= 500) throw err;
      const field = err.type === 'InvalidPasswordException' ? 'password' : err.type === 'UsernameExistsException' ? 'username' : undefined;
      const where = field === undefined ? { error: err.message } : { fieldError: { field, message: err.message } };
      return sendPage(reply, 400, 'Sign up', signUpPage(ar, this.csrf(req, reply), { ...where, username, values }));
    }
  }

  async confirm(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: Form): Promise<FastifyReply> {
    const username = form.get('username') ?? '';
    try {
      await this.h.services.self.confirmSignUp(this.ctx(ar, req), ar.client.id, { username, code: form.get('code') ?? '', secretHash: await this.secretHash(ar, username), forceAliasCreation: false });
      return showLogin(this.h, req, reply, ar, { info: 'Your account is confirmed. Sign in.', username });
    } catch (err) {
      if (!(err instanceof CognitoError) || err.status >= 500) throw err;
      return sendPage(reply, 400, 'Confirm your account', confirmPage(ar, this.csrf(req, reply), { error: err.message, username }));
    }
  }

  async resend(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: Form): Promise<FastifyReply> {
    const username = form.get('username') ?? '';
    try {
      const d = await this.h.services.self.resendConfirmationCode(this.ctx(ar, req), ar.client.id, { username, secretHash: await this.secretHash(ar, username) });
      return sendPage(reply, 200, 'Confirm your account', confirmPage(ar, this.csrf(req, reply), { username, destination: d.Destination, info: 'We sent a new code.' }));
    } catch (err) {
      if (!(err instanceof CognitoError) || err.status >= 500) throw err;
      return sendPage(reply, 400, 'Confirm your account', confirmPage(ar, this.csrf(req, reply), { error: err.message, username }));
    }
  }

  showForgot(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest): FastifyReply {
    return sendPage(reply, 200, 'Forgot your password?', forgotPage(ar, this.csrf(req, reply)));
  }

  async forgot(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: Form): Promise<FastifyReply> {
    const username = form.get('username') ?? '';
    try {
      const d = await this.h.services.self.forgotPassword(this.ctx(ar, req), ar.client.id, { username, secretHash: await this.secretHash(ar, username) });
      return sendPage(reply, 200, 'Reset your password', resetPage(ar, this.csrf(req, reply), { username, destination: d.Destination }));
    } catch (err) {
      if (!(err instanceof CognitoError) || err.status >= 500) throw err;
      return sendPage(reply, 400, 'Forgot your password?', forgotPage(ar, this.csrf(req, reply), { error: err.message, username }));
    }
  }

  async reset(req: FastifyRequest, reply: FastifyReply, ar: AuthorizeRequest, form: Form): Promise<FastifyReply> {
    const username = form.get('username') ?? '';
    try {
      await this.h.services.self.confirmForgotPassword(this.ctx(ar, req), ar.client.id, {
        username,
        code: form.get('code') ?? '',
        password: form.get('password') ?? '',
        secretHash: await this.secretHash(ar, username),
      });
      return showLogin(this.h, req, reply, ar, { info: 'Your password has been changed. Sign in with it.', username });
    } catch (err) {
      if (!(err instanceof CognitoError) || err.status >= 500) throw err;
      return sendPage(reply, 400, 'Reset your password', resetPage(ar, this.csrf(req, reply), { ...resetError(err), username }));
    }
  }
}

/** Which field of the reset form a refusal is about: the code, the new password, or neither. */
function resetError(err: CognitoError): Pick<PageOptions, 'error' | 'fieldError'> {
  if (err.type === 'CodeMismatchException' || err.type === 'ExpiredCodeException') return { fieldError: { field: 'code', message: err.message } };
  if (err.type === 'InvalidPasswordException') return { fieldError: { field: 'password', message: err.message } };
  return { error: err.message };
}
