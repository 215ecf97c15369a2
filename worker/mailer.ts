/** The e-mail transport behind one interface; used only when SMTP is configured. */
import nodemailer from 'nodemailer';

export interface Mailer {
  /** False for the no-op mailer: notifications stay in-app only. */
  readonly enabled: boolean;
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export const noMailer: Mailer = { enabled: false, send: async () => undefined };

/** A mailer over SMTP_URL (smtp://user:pass@host:port); without one, the no-op mailer. */
export function createMailer(config: { SMTP_URL?: string; MAIL_FROM: string }): Mailer {
  if (!config.SMTP_URL) return noMailer;
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return {
    enabled: true,
    send: async (m) => {
      await transport.sendMail({ from: config.MAIL_FROM, to: m.to, subject: m.subject, text: m.text });
    },
  };
}
