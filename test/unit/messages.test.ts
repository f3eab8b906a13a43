import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_INVITE_MESSAGE, invitationTemplates, renderTemplate, verificationTemplates } from '../../src/domain/messages.js';

describe('message templates', () => {
  it('fills both placeholders, every occurrence', () => {
    assert.equal(renderTemplate('{username} / {####} / {username}', { username: 'bob', code: 'Xy1!' }), 'bob / Xy1! / bob');
  });

  it('never substitutes inside a substituted value', () => {
    assert.equal(renderTemplate('{username}:{####}', { username: '{####}', code: '{username}' }), '{####}:{username}');
  });

  it("uses Cognito's default invitation texts", () => {
    const t = invitationTemplates({});
    assert.deepEqual(t, {
      email: { subject: 'Your temporary password', body: DEFAULT_INVITE_MESSAGE },
      sms: 'Your username is {username} and temporary password is {####}. ',
    });
    assert.equal(renderTemplate(t.sms, { username: 'bob', code: 'P@ss1234' }), 'Your username is bob and temporary password is P@ss1234. ');
  });

  it("uses the pool's invitation template where it has one", () => {
    const t = invitationTemplates({ AdminCreateUserConfig: { InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Hi {username}, {####}' } } });
    assert.deepEqual(t.email, { subject: 'Welcome', body: 'Hi {username}, {####}' });
    assert.equal(t.sms, DEFAULT_INVITE_MESSAGE);
  });

  it('reads verification texts from the template, then the legacy members', () => {
    assert.equal(verificationTemplates({}).email.subject, 'Your verification code');
    assert.equal(verificationTemplates({ SmsVerificationMessage: 'Code {####}' }).sms, 'Code {####}');
    assert.equal(verificationTemplates({ VerificationMessageTemplate: { EmailMessage: 'E {####}' } }).email.body, 'E {####}');
  });
});
