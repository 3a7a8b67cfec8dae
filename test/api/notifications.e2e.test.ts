import { randomUUID } from 'node:crypto';
import { type MailMessage, type Mailer, SmtpMailer } from '../../activities/mailer';
import { createNotificationActivities, noticeMessageId } from '../../activities/notifications';
import { formatMoney, minorUnits } from '../../domain/money';
import { systemClock } from '../../lib/clock';
import { type RunningMailCapture, startMailCapture } from '../../scripts/infra/mail-capture';
import { freePort } from '../../scripts/infra/ports';
import { bearer, enrollAndAwaitReview, payInvoiceFor, useApiHarness } from '../support/api';
import { eventually, RecordingMailer, RecordingPaymentProvider, sampleApplication } from '../support/fixtures';
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

  it('tells the partner what happens to its enrollment and its money, and the reviewers of the kind of their tasks', async () => {
    const reviewer = (name: string, email: string, reviewKinds: string[]) =>
      harness.http.post('/v1/api-keys').set(bearer(harness.adminKey)).send({ role: 'reviewer', name, email, reviewKinds }).expect(201);
    const rita = await reviewer('Rita', `rita-${randomUUID().slice(0, 8)}@vendor.example`, ['enrollment']);
    expect(rita.body).toMatchObject({ email: rita.body.email, reviewKinds: ['enrollment'] });
    const paul = await reviewer('Paul', `paul-${randomUUID().slice(0, 8)}@vendor.example`, ['payment']);
    const application = sampleApplication();
    const contact = application.contact.email;
    const mailTo = (address: string) => capture.messages().filter((mail) => mail.to.includes(address));
    const mailOfKind = async (kind: string) => {
      const notice = await eventually(() =>
        harness.prisma.notification.findFirst({ where: { recipient: contact, kind, sentAt: { not: null } } }),
      );
      return mailTo(contact).find((mail) => mail.messageId === noticeMessageId(notice.dedupeKey))!;
    };

    const enrolled = await enrollAndAwaitReview(harness, application);
    const received = await mailOfKind('enrollment-received');
    expect(received.subject).toBe(`We received the enrollment of ${application.organization.legalName}`);
    expect(received.text).toContain(`http://localhost:3000/v1/partners/${enrolled.partnerId}`);
    const task = await eventually(async () => mailTo(rita.body.email).find((mail) => mail.text.includes(enrolled.reviewId)));
    expect(task.subject).toMatch(/^New enrollment review, due \d{4}-/);
    expect(task.text).toContain(`${application.organization.legalName} (GB) asks to enroll at registered`);
    expect(task.text).toContain('http://localhost:3000/v1/reviews?status=pending&kind=enrollment');

    await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(rita.body.apiKey))
      .send({ decision: 'approve', reason: 'Meets the terms' })
      .expect(200);
    const approved = await mailOfKind('enrollment-approved');
    expect(approved.subject).toBe(`${application.organization.legalName} is now a partner`);
    expect(approved.text).toContain('The reviewer noted: Meets the terms');
    expect(approved.html).toContain(`href="http://localhost:3000/v1/partners/${enrolled.partnerId}"`);

    await eventually(
      async () => (await harness.prisma.partner.findUniqueOrThrow({ where: { id: enrolled.partnerId } })).status === 'active',
    );
    const bought = await harness.http
      .post(`/v1/partners/${enrolled.partnerId}/benefits/technet-subscription/purchases`)
      .set(bearer(enrolled.apiKey))
      .set('Idempotency-Key', randomUUID())
      .expect(202);
    const invoice = await payInvoiceFor(harness, bought.body.purchaseId);
    const row = await harness.prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    const issued = await mailOfKind('invoice-issued');
    const total = formatMoney({ amountMinor: minorUnits(row.totalMinor), currency: row.currency });
    expect(issued.subject).toBe(`Invoice ${invoice.number} for ${total}, due ${row.dueAt.toISOString().slice(0, 10)}`);
    expect(issued.text).toContain('for a benefit purchase');
    expect(issued.text).toContain(`http://localhost:3000/v1/invoices/${invoice.id}`);
    expect((await mailOfKind('invoice-paid')).subject).toBe(`Invoice ${invoice.number} is paid`);

    // Every message went to the relay twice (the first answer was lost) and arrived once.
    for (const subject of [received.subject, approved.subject, issued.subject, task.subject]) {
      expect(mailer.attempts.filter((attempt) => attempt === subject).length).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(mailTo(contact).map((mail) => mail.messageId)).size).toBe(mailTo(contact).length);
    expect(mailTo(paul.body.email).filter((mail) => mail.text.includes(enrolled.reviewId))).toEqual([]);
    expect(JSON.stringify(capture.messages())).not.toContain(enrolled.apiKey);
  });

  it('lets a partner mute what it may and nothing else, and then sends it no such notice', async () => {
    const partnerId = await memberAt(harness.prisma, 'registered');
    const rotated = await harness.http.post(`/v1/partners/${partnerId}/api-keys/rotate`).set(bearer(harness.adminKey)).expect(201);
    const key = rotated.body.apiKey as string;
    const before = await harness.http.get(`/v1/partners/${partnerId}/notification-preferences`).set(bearer(key)).expect(200);
    expect(before.body.muted).toEqual([]);
    expect(before.body.kinds).toEqual(
      expect.arrayContaining([
        { kind: 'upgrade-available', mutable: true, when: expect.any(String) },
        { kind: 'invoice-issued', mutable: false, when: expect.any(String) },
      ]),
    );
    const refused = await harness.http
      .patch(`/v1/partners/${partnerId}/notification-preferences`)
      .set(bearer(key))
      .send({ muted: ['invoice-issued'] })
      .expect(400);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'muted', code: 'isIn' })]);
    const muted = await harness.http
      .patch(`/v1/partners/${partnerId}/notification-preferences`)
      .set(bearer(key))
      .send({ muted: ['upgrade-available', 'channel-offer-message'] })
      .expect(200);
    expect(muted.body.muted).toEqual(['channel-offer-message', 'upgrade-available']);
    expect(await harness.prisma.auditEvent.findFirst({ where: { entityId: partnerId, action: 'partner.profile_changed' } })).toMatchObject({
      after: { mutedNotices: ['channel-offer-message', 'upgrade-available'] },
    });

    const notices = createNotificationActivities({
      prisma: harness.prisma,
      clock: systemClock,
      mailer: new RecordingMailer(),
      payments: new RecordingPaymentProvider(),
    });
    const notice = { kind: 'upgrade-available' as const, partnerId, subject: 'You now qualify for certified', body: 'Request an upgrade.' };
    await notices.notifyPartner({ ...notice, dedupeKey: `test:${randomUUID()}` });
    await notices.notifyPartner({ ...notice, kind: 'level-downgraded', dedupeKey: `test:${randomUUID()}` });
    const kinds = await harness.prisma.notification.findMany({
      where: { partnerId, dedupeKey: { startsWith: 'test:' } },
      select: { kind: true },
    });
    expect(kinds).toEqual([{ kind: 'level-downgraded' }]);
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
