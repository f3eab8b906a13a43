import type { Transporter } from 'nodemailer';
import type { OutgoingMessage, Transport } from './delivery.js';

/**
 * Email through any SMTP server (TESSERA_SMTP_URL, e.g. smtp://user:pass@host:587). nodemailer is loaded on
 * the first message, so servers that never send mail don't pay for it at start-up.
 */
export function smtpTransport(url: string, from: string): Transport {
  let mailer: Promise<Transporter> | undefined;
  return {
    channel: 'EMAIL',
    async send(m: OutgoingMessage) {
      mailer ??= import('nodemailer').then((n) => n.default.createTransport(url));
      const isHtml = /<[a-z][\s\S]*>/i.test(m.body);
      await (await mailer).sendMail({ from, to: m.destination, subject: m.subject ?? '', ...(isHtml ? { html: m.body } : { text: m.body }) });
    },
  };
}
