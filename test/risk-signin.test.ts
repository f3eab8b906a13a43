import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  SetRiskConfigurationCommand,
  SetUserPoolMfaConfigCommand,
  UpdateAuthEventFeedbackCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SignInStep } from '../src/services/auth-next-step.js';
import type { SignInTarget } from '../src/services/auth-outcome.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { sentCode, wrongCode } from './helpers/mfa.js';
import { confirmedUser, createClient, createPool, failure } from './helpers/sign-in.js';

const PASSWORD = 'Vx7#quorum-Lantern';

for (const kind of storeKinds()) {
  describe(`auth events and account-takeover risk (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    before(async () => {
      t = await startTessera({ store: kind });
      c = t.client();
    });
    after(() => t.close());

    const setup = async (mode: 'AUDIT' | 'ENFORCED' = 'ENFORCED') => {
      const poolId = await createPool(c, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode } });
      const client = await createClient(c, poolId);
      await confirmedUser(c, poolId, 'erin', PASSWORD, { email: 'erin@example.com', email_verified: 'true' });
      return { poolId, clientId: client.id };
    };
    const signIn = (poolId: string, clientId: string, password = PASSWORD) =>
      c.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'erin', PASSWORD: password } }));
    /** AdminInitiateAuth for erin with ContextData from `ip` (a User-Agent header when `agent` is given): what the risk rating reads. */
    const signInFrom = (poolId: string, clientId: string, ip: string, agent?: string, password = PASSWORD) =>
      c.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'erin', PASSWORD: password },
          ContextData: { IpAddress: ip, ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: agent ? [{ headerName: 'User-Agent', headerValue: agent }] : [] },
        }),
      );
    const events = async (poolId: string, max?: number, next?: string) =>
      c.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'erin', ...(max ? { MaxResults: max } : {}), ...(next ? { NextToken: next } : {}) }));

    /** The sign-in pipeline's step for erin, with the request context the auth handlers pass on. */
    const stepFor = async (poolId: string, clientId: string, context: { ipAddress?: string; deviceName?: string }): Promise<SignInStep> => {
      const ctx = { region: 'us-east-1', requestId: 'test' };
      const pool = await t.app.services.pools.get(ctx, poolId);
      const client = await t.app.services.clients.getClientForPool(ctx, poolId, clientId);
      const user = await t.app.store.users.findByUsername(poolId, 'erin');
      assert.ok(user);
      const target: SignInTarget = { pool, client, admin: true, context };
      return { target, user, factor: 'PASSWORD', authTime: Math.floor(Date.now() / 1000) };
    };

    it('records every sign-in, newest first and paginated, and stores feedback on an event', async () => {
      const { poolId, clientId } = await setup();
      for (let i = 0; i < 3; i++) assert.ok((await signIn(poolId, clientId)).AuthenticationResult?.AccessToken);
      const all = (await events(poolId)).AuthEvents ?? [];
      assert.equal(all.length, 3);
      const first = all[0];
      assert.ok(first?.EventId);
      assert.equal(first.EventType, 'SignIn');
      assert.equal(first.EventResponse, 'Pass');
      assert.deepEqual(first.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });
      assert.deepEqual(first.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]);
      assert.ok((first.CreationDate?.getTime() ?? 0) >= (all[2]?.CreationDate?.getTime() ?? Infinity), 'newest first');
      const page1 = await events(poolId, 2);
      assert.equal(page1.AuthEvents?.length, 2);
      assert.ok(page1.NextToken);
      const page2 = await events(poolId, 2, page1.NextToken);
      assert.equal(page2.AuthEvents?.length, 1);
      assert.equal(page2.NextToken, undefined);
      assert.deepEqual([...(page1.AuthEvents ?? []), ...(page2.AuthEvents ?? [])].map((e) => e.EventId), all.map((e) => e.EventId));
      await c.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'erin', EventId: first.EventId, FeedbackValue: 'Invalid' }));
      const after = (await events(poolId)).AuthEvents?.find((e) => e.EventId === first.EventId);
      assert.equal(after?.EventFeedback?.FeedbackValue, 'Invalid');
      assert.equal(after?.EventFeedback?.Provider, 'Admin');
      assert.ok(after?.EventFeedback?.FeedbackDate instanceof Date);
    });

    it('refuses the event operations without threat protection, for unknown users and unknown events', async () => {
      const plain = await createPool(c);
      await confirmedUser(c, plain, 'erin', PASSWORD);
      assert.equal((await failure(events(plain))).name, 'UserPoolAddOnNotEnabledException');
      const { poolId } = await setup();
      const unknown = await failure(c.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'nobody' })));
      assert.equal(unknown.name, 'UserNotFoundException');
      const noEvent = await failure(c.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'erin', EventId: 'no-such-event', FeedbackValue: 'Valid' })));
      assert.equal(noEvent.name, 'ResourceNotFoundException');
      const badToken = await failure(
        c.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'erin', EventId: 'no-such-event', FeedbackToken: 'v1.abc.def.ghi', FeedbackValue: 'Valid' })),
      );
      assert.equal(badToken.name, 'NotAuthorizedException');
    });

    it('rates a new device and a new IP as risk, blocks and notifies at the configured level, and takes the user\'s feedback', async () => {
      const { poolId, clientId } = await setup();
      await c.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          AccountTakeoverRiskConfiguration: {
            Actions: {
              LowAction: { EventAction: 'NO_ACTION', Notify: false },
              MediumAction: { EventAction: 'BLOCK', Notify: true },
              HighAction: { EventAction: 'BLOCK', Notify: true },
            },
          },
          RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24'] },
        }),
      );
      const risk = t.app.services.risk;
      const home = { ipAddress: '192.0.2.10', deviceName: 'Firefox 128 on Linux' };
      const first = await stepFor(poolId, clientId, home);
      assert.deepEqual(await risk.decide(first), { action: 'ALLOW' }, 'a first sign-in has nothing to compare with');
      await risk.succeeded(first);
      assert.deepEqual(await risk.decide(await stepFor(poolId, clientId, home)), { action: 'ALLOW' });
      const newDevice = await stepFor(poolId, clientId, { ...home, deviceName: 'Chrome 120 on Windows' });
      assert.deepEqual(await risk.decide(newDevice), { action: 'ALLOW' }, 'Low: NO_ACTION');
      await assert.rejects(risk.decide(await stepFor(poolId, clientId, { ipAddress: '203.0.113.7', deviceName: 'curl/8' })), {
        name: 'NotAuthorizedException',
        message: 'Unable to login because of security reasons.',
      });
      await assert.rejects(risk.decide(await stepFor(poolId, clientId, { ipAddress: '198.51.100.9' })), {
        name: 'NotAuthorizedException',
        message: 'Request not allowed due to security reasons.',
      });
      const list = (await events(poolId)).AuthEvents ?? [];
      const blocked = list.find((e) => e.EventRisk?.RiskLevel === 'Medium');
      assert.equal(blocked?.EventResponse, 'Fail');
      assert.equal(blocked?.EventRisk?.RiskDecision, 'Block');
      assert.deepEqual(blocked?.EventContextData, { IpAddress: '203.0.113.7', DeviceName: 'curl/8' });
      const low = list.find((e) => e.EventRisk?.RiskLevel === 'Low');
      assert.equal(low?.EventRisk?.RiskDecision, 'AccountTakeover');
      // The notification email carries the feedback links; the token in it authorizes UpdateAuthEventFeedback.
      const mail = (await t.app.store.messages.list({ poolId, destination: 'erin@example.com', limit: 10 })).find((m) => m.purpose === 'RISK_NOTIFICATION');
      assert.ok(mail, 'a notification was sent');
      const link = new URL(/https?:\/\/\S+feedbackValue=Invalid/.exec(mail.body)?.[0] ?? 'http://x/');
      assert.equal(link.searchParams.get('eventId'), blocked?.EventId);
      await c.send(
        new UpdateAuthEventFeedbackCommand({
          UserPoolId: poolId,
          Username: 'erin',
          EventId: link.searchParams.get('eventId') ?? '',
          FeedbackToken: link.searchParams.get('feedbackToken') ?? '',
          FeedbackValue: 'Invalid',
        }),
      );
      const withFeedback = (await events(poolId)).AuthEvents?.find((e) => e.EventId === blocked?.EventId);
      assert.deepEqual([withFeedback?.EventFeedback?.FeedbackValue, withFeedback?.EventFeedback?.Provider], ['Invalid', 'User']);
      // The other link of the same email, clicked: served by Tessera itself, same check as UpdateAuthEventFeedback.
      const valid = new URL(/https?:\/\/\S+feedbackValue=Valid/.exec(mail.body)?.[0] ?? 'http://x/');
      const click = (u: URL) => fetch(`${t.endpoint}${u.pathname}${u.search}`);
      const clicked = await click(valid);
      assert.equal(clicked.status, 200, await clicked.text());
      const marked = (await events(poolId)).AuthEvents?.find((e) => e.EventId === blocked?.EventId);
      assert.deepEqual([marked?.EventFeedback?.FeedbackValue, marked?.EventFeedback?.Provider], ['Valid', 'User']);
      valid.searchParams.set('feedbackToken', 'v1.forged.token.value');
      assert.equal((await click(valid)).status, 400);
      const wrongEvent = await failure(
        c.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: poolId, Username: 'erin', EventId: low?.EventId ?? '', FeedbackToken: link.searchParams.get('feedbackToken') ?? '', FeedbackValue: 'Valid' })),
      );
      assert.equal(wrongEvent.name, 'NotAuthorizedException', 'a token is good for its own event only');
    });

    it('through AdminInitiateAuth with ContextData: a new device is Low, failed attempts and a new IP are High and blocked', async () => {
      const { poolId, clientId } = await setup();
      await c.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          AccountTakeoverRiskConfiguration: {
            Actions: { LowAction: { EventAction: 'NO_ACTION', Notify: false }, HighAction: { EventAction: 'BLOCK', Notify: false } },
          },
        }),
      );
      const from = (ip: string, agent: string, password = PASSWORD) => signInFrom(poolId, clientId, ip, agent, password);
      assert.ok((await from('192.0.2.10', 'Firefox')).AuthenticationResult);
      assert.ok((await from('192.0.2.10', 'Safari')).AuthenticationResult, 'Low risk: NO_ACTION lets it through');
      const newDevice = (await events(poolId)).AuthEvents?.[0];
      assert.deepEqual(newDevice?.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'Low', CompromisedCredentialsDetected: false });
      assert.deepEqual(newDevice?.EventContextData, { IpAddress: '192.0.2.10', DeviceName: 'Safari' });
      for (let i = 0; i < 3; i++) assert.equal((await failure(from('192.0.2.10', 'Firefox', 'wrong-Password1!'))).message, 'Incorrect username or password.');
      assert.deepEqual(await failure(from('203.0.113.50', 'Firefox')), { name: 'NotAuthorizedException', message: 'Unable to login because of security reasons.' });
      const list = (await events(poolId)).AuthEvents ?? [];
      assert.deepEqual(list[0]?.EventRisk, { RiskDecision: 'Block', RiskLevel: 'High', CompromisedCredentialsDetected: false });
      assert.equal(list[0]?.EventResponse, 'Fail');
      const failed = list.filter((e) => e.ChallengeResponses?.[0]?.ChallengeResponse === 'Failure');
      assert.equal(failed.length, 3, 'each wrong password is a failed SignIn event');
      assert.ok(failed.every((e) => e.EventResponse === 'Fail'));
    });

    it('hands MFA_REQUIRED to the MFA stage: a risky sign-in of a user without MFA in an OPTIONAL pool must set it up', async () => {
      const { poolId, clientId } = await setup();
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: 'MFA_REQUIRED', Notify: false } } } }));
      const from = (ip: string) => signInFrom(poolId, clientId, ip);
      assert.ok((await from('192.0.2.20')).AuthenticationResult, 'no risk: no MFA in an OPTIONAL pool for a user without it');
      const risky = await from('192.0.2.21');
      assert.equal(risky.AuthenticationResult, undefined);
      assert.equal(risky.ChallengeName, 'MFA_SETUP');
      const latest = (await events(poolId)).AuthEvents?.[0];
      assert.equal(latest?.EventResponse, 'InProgress');
      assert.deepEqual(latest?.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'Low', CompromisedCredentialsDetected: false });
    });

    it('a risky sign-in asked for SMS MFA is InProgress until the code; a wrong code is an Mfa Failure, the right one makes it Pass', async () => {
      const poolId = await createPool(c, { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
      const { id: clientId } = await createClient(c, poolId);
      const sms = { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' } };
      await c.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: sms }));
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: 'MFA_REQUIRED', Notify: false } } } }));
      const phone = '+15555550123';
      await c.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'erin', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }] }),
      );
      await c.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'erin', Password: PASSWORD, Permanent: true }));
      const from = (ip: string) => signInFrom(poolId, clientId, ip);
      assert.ok((await from('192.0.2.30')).AuthenticationResult);
      const risky = await from('192.0.2.31');
      assert.equal(risky.ChallengeName, 'SMS_MFA');
      assert.equal((await events(poolId)).AuthEvents?.[0]?.EventResponse, 'InProgress');
      const { code } = await sentCode(t, poolId, phone);
      const answer = (smsCode: string) =>
        c.send(
          new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: clientId, ChallengeName: 'SMS_MFA', Session: risky.Session, ChallengeResponses: { USERNAME: 'erin', SMS_MFA_CODE: smsCode } }),
        );
      assert.equal((await failure(answer(wrongCode(code)))).name, 'CodeMismatchException');
      const done = await answer(code);
      assert.ok(done.AuthenticationResult?.AccessToken);
      const list = (await events(poolId)).AuthEvents ?? [];
      assert.equal(list.length, 2, 'the MFA answer finishes the same event');
      assert.equal(list[0]?.EventResponse, 'Pass');
      assert.equal(list[0]?.EventRisk?.RiskLevel, 'Low');
      assert.deepEqual(list[0]?.ChallengeResponses, [
        { ChallengeName: 'Password', ChallengeResponse: 'Success' },
        { ChallengeName: 'Mfa', ChallengeResponse: 'Failure' },
        { ChallengeName: 'Mfa', ChallengeResponse: 'Success' },
      ]);
    });

    it('only records in AUDIT mode: the same risk is allowed', async () => {
      const { poolId, clientId } = await setup('AUDIT');
      await c.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: 'BLOCK', Notify: true } } } }));
      const risk = t.app.services.risk;
      const first = await stepFor(poolId, clientId, { ipAddress: '192.0.2.1' });
      await risk.decide(first);
      await risk.succeeded(first);
      assert.deepEqual(await risk.decide(await stepFor(poolId, clientId, { ipAddress: '192.0.2.2' })), { action: 'ALLOW' });
      const latest = (await events(poolId)).AuthEvents?.[0];
      assert.deepEqual(latest?.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'Low', CompromisedCredentialsDetected: false });
      assert.equal((await t.app.store.messages.list({ poolId, limit: 10 })).length, 0, 'no notification in AUDIT mode');
    });
  });
}
