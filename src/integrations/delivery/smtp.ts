import nodemailer from 'nodemailer';
import type { OutgoingMessage, Transport } from './delivery.js';

/** Email through any SMTP server (TESSERA_SMTP_URL, e.g. smtp://user:pass@host:587). */
export function smtpTransport(url: string, from: string): Transport {
  const mailer = nodemailer.createTransport(url);
  return {
    channel: 'EMAIL',
    async send(m: OutgoingMessage) {
      const isHtml = /<[a-z][\s\S]*>/i.test(m.body);
      await mailer.sendMail({ from, to: m.destination, subject: m.subject ?? '', ...(isHtml ? { html: m.body } : { text: m.body }) });
    },
  };
}
