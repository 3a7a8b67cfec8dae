import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

/** The mail relay sits behind this port; production swaps in an SMTP or provider adapter. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
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
