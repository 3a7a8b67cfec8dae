import { randomUUID } from 'node:crypto';
import { type MailMessage, type Mailer, SmtpMailer } from '../../activities/mailer';
import { noticeMessageId } from '../../activities/notifications';
import { type RunningMailCapture, startMailCapture } from '../../scripts/infra/mail-capture';
import { freePort } from '../../scripts/infra/ports';
import { bearer, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';
import { memberAt } from '../support/members';

/**
 * The relay accepts each message, then the activity fails as if the worker died before it could
 * record the send: Temporal retries it, and it sends the same message again.
 */
class FailsAfterFirstSend implements Mailer {
  readonly attempts: string[] = [];

  constructor(private readonly relay: Mailer) {}

  async send(message: MailMessage): Promise<void> {
    await this.relay.send(message);
    this.attempts.push(message.subject);
    if (this.attempts.filter((subject) => subject === message.subject).length === 1) {
      throw new Error('the worker lost the answer after the relay accepted the message');
    }
  }
}

describe('notices through a real SMTP server, once each, and the partner’s inbox in the API', () => {
  let capture: RunningMailCapture;
  let smtp: SmtpMailer;
  // The relay exists once `prepare` has started the capture; the worker gets the mailer before that.
  const mailer = new FailsAfterFirstSend({ send: (message) => smtp.send(message) });
  const harness = useApiHarness({
    prepare: async () => {
      capture = await startMailCapture({ smtpPort: await freePort(), webPort: await freePort() });
      smtp = new SmtpMailer(capture.smtpUrl, 'Partner Program <program@test.example>');
      return {};
    },
    workerDeps: { mailer },
  });

  afterAll(async () => {
    smtp?.close();
    await capture?.stop();
  });

  it('delivers a notice once though the send was retried after the relay took it, and lists it on the partner', async () => {
    const partnerId = await memberAt(harness.prisma, 'certified');
    const rotated = await harness.http.post(`/v1/partners/${partnerId}/api-keys/rotate`).set(bearer(harness.adminKey)).expect(201);
    const partnerKey = rotated.body.apiKey as string;
    const opened = await harness.http
      .post(`/v1/partners/${partnerId}/benefits/support-incidents-5/uses`)
      .set(bearer(partnerKey))
      .set('Idempotency-Key', randomUUID())
      .send({ subject: 'Cluster fails over twice', description: 'Two failovers in one night.', product: 'SQL Server 2025' })
      .expect(201);
    const incidentId = opened.body.supportIncident.id as string;
    await harness.http.post(`/v1/support-incidents/${incidentId}/start`).set(bearer(harness.reviewerKey)).expect(200);

    const { contactEmail } = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partnerId } });
    const subject = 'Support incident in progress: Cluster fails over twice';
    const notice = await eventually(() =>
      harness.prisma.notification.findFirst({ where: { partnerId, kind: 'support-incident-in-progress', sentAt: { not: null } } }),
    );
    // Sent twice to the relay, received once: both attempts carried the notice's Message-ID.
    expect(mailer.attempts.filter((attempt) => attempt === subject)).toHaveLength(2);
    const received = capture.messages().filter((mail) => mail.to.includes(contactEmail));
    expect(received).toEqual([
      expect.objectContaining({ subject, messageId: noticeMessageId(notice.dedupeKey), from: 'program@test.example' }),
    ]);
    expect(received[0]!.text).toContain(incidentId);

    const inbox = await harness.http.get(`/v1/partners/${partnerId}/notifications`).set(bearer(partnerKey)).expect(200);
    // Newest first: the membership's own notices came before.
    const items = inbox.body.items as Array<{ id: string; kind: string; recipient: string; state: string }>;
    expect(items[0]).toMatchObject({
      id: notice.id,
      kind: 'support-incident-in-progress',
      subject,
      recipient: contactEmail,
      state: 'sent',
    });
    expect(items.map((item) => item.kind)).toEqual(expect.arrayContaining(['membership-started', 'membership-term-started']));
    const other = await memberAt(harness.prisma, 'registered');
    await harness.http.get(`/v1/partners/${other}/notifications`).set(bearer(partnerKey)).expect(404);
  });

  it('shows the captured mail on the local inbox page, escaped', async () => {
    await smtp.send({ to: 'someone@test.example', subject: '<b>Bold</b> & more', body: 'Plain', messageId: '<page-test@test.example>' });
    const page = await (await fetch(capture.inboxUrl)).text();
    expect(page).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; more');
    expect(page).not.toContain('<b>Bold</b>');
    const json = (await (await fetch(`${capture.inboxUrl}/messages.json`)).json()) as Array<{ messageId: string }>;
    expect(json.map((mail) => mail.messageId)).toContain('<page-test@test.example>');
  });
});
