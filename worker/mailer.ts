/** The e-mail transport behind one interface; used only when SMTP is configured. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export const noMailer: Mailer = { send: async () => undefined };
