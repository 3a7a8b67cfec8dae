import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text part. */
  body: string;
  /** The HTML part: with it the message is multipart/alternative (text, then HTML). */
  html?: string;
  /**
   * The `Message-ID`, derived from the notice's key: a retry after the relay accepted the message
   * sends the same id again, which the receiving side (the local capture, mail clients) treats
   * as one message.
   */
  messageId?: string;
}

/** The mail relay sits behind this port: SMTP in the product, the outbox file without a relay. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * Sends through an SMTP relay (`SMTP_URL`: `smtp://` with STARTTLS when offered, `smtps://` for
 * TLS from the start; user and password in the URL) from `from`.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.body,
      ...(message.html ? { html: message.html } : {}),
      ...(message.messageId ? { messageId: message.messageId } : {}),
    });
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * The local implementation: a real outbox file (one JSON message per line) that an operator
 * or a test can read. Nothing leaves the machine.
 */
export class OutboxFileMailer implements Mailer {
  constructor(private readonly outboxFile: string) {}

  async send(message: MailMessage): Promise<void> {
    await mkdir(dirname(this.outboxFile), { recursive: true });
    await appendFile(this.outboxFile, `${JSON.stringify({ ...message, queuedAt: new Date().toISOString() })}\n`);
  }
}
