import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { AdminCreateUserCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTessera, type TestServer } from './helpers/server.js';

interface Mail {
  to: string;
  data: string;
}

/** Waits until `check` returns a value, polling; fails after `ms`. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('message delivery through SMTP and the SMS webhook', () => {
  const mails: Mail[] = [];
  const sms: unknown[] = [];
  let smtp: SMTPServer;
  let hook: Server;
  let t: TestServer;

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        sms.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const hookPort = (hook.address() as AddressInfo).port;
    t = await startTessera({
      env: { TESSERA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, TESSERA_SMS_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/sms` },
    });
  });
  after(async () => {
    await t.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('sends the invitation by email and SMS and marks the outbox rows SENT', async () => {
    const c = t.client();
    const poolId = (await c.send(new CreateUserPoolCommand({ PoolName: 'mail' }))).UserPool?.Id ?? '';
    await c.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ann',
        UserAttributes: [
          { Name: 'email', Value: 'ann@example.com' },
          { Name: 'phone_number', Value: '+15555550100' },
        ],
        DesiredDeliveryMediums: ['EMAIL', 'SMS'],
      }),
    );
    const mail = await eventually(() => mails.find((m) => m.to === 'ann@example.com'));
    assert.match(mail.data, /Your username is ann and temporary password is \S+/);
    const text = await eventually(() => sms.find((m) => typeof m === 'object' && m !== null && 'to' in m && m.to === '+15555550100'));
    assert.match(JSON.stringify(text), /temporary password/);
    const rows = await eventually(async () => {
      const all = await t.app.store.messages.list({ poolId, limit: 10 });
      return all.length === 2 && all.every((m) => m.status === 'SENT') ? all : undefined;
    });
    assert.deepEqual(rows.map((r) => r.channel).sort(), ['EMAIL', 'SMS']);
  });
});
