/** The e-mail transport behind one interface; used only when SMTP is configured. */
import nodemailer from 'nodemailer';

export interface Mailer {
  /** False for the no-op mailer: notifications stay in-app only. */
  readonly enabled: boolean;
  /** `id` becomes the Message-ID, so a resend after a crash is recognisably the same message. */
  send(message: { to: string; subject: string; text: string; id?: string }): Promise<void>;
}

export const noMailer: Mailer = { enabled: false, send: async () => undefined };

/**
 * A mailer over SMTP_URL (smtp://user:pass@host:port); without one, the no-op mailer. Short
 * timeouts: a hung SMTP server costs the outbox sender seconds, not nodemailer's default minutes.
 */
export function createMailer(config: { SMTP_URL?: string; MAIL_FROM: string }): Mailer {
  if (!config.SMTP_URL) return noMailer;
  const transport = nodemailer.createTransport({ url: config.SMTP_URL, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  return {
    enabled: true,
    send: async (m) => {
      await transport.sendMail({ from: config.MAIL_FROM, to: m.to, subject: m.subject, text: m.text, ...(m.id ? { messageId: `<${m.id}@outbox.jlt>` } : {}) });
    },
  };
}
