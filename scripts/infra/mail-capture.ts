import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { escapeHtml } from '../../lib/html';

/** A message as the capture received it. */
export interface CapturedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The HTML part, when the message has one. */
  html: string | null;
  receivedAt: string;
}

export interface RunningMailCapture {
  /** What `SMTP_URL` points the worker at. */
  smtpUrl: string;
  /** The web inbox; `${inboxUrl}/messages.json` is the same list as JSON. */
  inboxUrl: string;
  messages(): CapturedMail[];
  stop(): Promise<void>;
}

const addresses = (field: ParsedMail['to']): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.map((address) => address.address ?? ''));

function inboxPage(messages: CapturedMail[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (mail) =>
        `<article><header><strong>${escapeHtml(mail.subject)}</strong><br><small>to ${escapeHtml(mail.to.join(', '))} · ${escapeHtml(mail.receivedAt)}</small></header><pre>${escapeHtml(mail.text)}</pre></article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local inbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:1rem 0}pre{white-space:pre-wrap}</style>
</head><body><h1>Local inbox (${messages.length})</h1>${rows || '<p>No mail yet.</p>'}</body></html>`;
}

/**
 * The local stand-in for a mail relay: an SMTP server on loopback that accepts every message,
 * keeps one per `Message-ID` (a sender's retry of a message it already delivered is not a second
 * message), appends it to `dir/mailbox.jsonl`, and shows the inbox on a small web page.
 */
export async function startMailCapture(options: { smtpPort: number; webPort: number; dir?: string }): Promise<RunningMailCapture> {
  const mailboxFile = options.dir ? join(options.dir, 'mailbox.jsonl') : undefined;
  const messages: CapturedMail[] = [];
  if (mailboxFile && existsSync(mailboxFile)) {
    for (const line of readFileSync(mailboxFile, 'utf8').split('\n')) if (line.trim()) messages.push(JSON.parse(line) as CapturedMail);
  }
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const seen = new Set(messages.map((mail) => mail.messageId));

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CapturedMail = {
            messageId: parsed.messageId ?? `<capture-${messages.length}>`,
            from: parsed.from?.value[0]?.address ?? '',
            to: addresses(parsed.to),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: parsed.html || null,
            receivedAt: new Date().toISOString(),
          };
          if (!seen.has(mail.messageId)) {
            seen.add(mail.messageId);
            messages.push(mail);
            if (mailboxFile) appendFileSync(mailboxFile, `${JSON.stringify(mail)}\n`);
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, '127.0.0.1', () => resolve());
  });

  const web: Server = createHttpServer((request, response) => {
    if (request.url === '/messages.json') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(messages));
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .end(inboxPage(messages));
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(options.webPort, '127.0.0.1', () => resolve());
  });

  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    inboxUrl: `http://localhost:${options.webPort}`,
    messages: () => [...messages],
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
