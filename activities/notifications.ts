import { createHash, randomUUID } from 'node:crypto';
import type { InvoicePurpose } from '../domain/invoices';
import { formatMoney, minorUnits } from '../domain/money';
import { isMutableNotice, type NoticeKindCode } from '../domain/notices';
import type { ReviewKind } from '../domain/reviews';
import { invoiceNumber } from '../queries/payments';
import { type ActivityDeps, DEFAULT_PUBLIC_URL } from './deps';
import { MailTemplates } from './mail-templates';
import { publishPartnerEvent } from './webhooks';

export interface NotificationRequest {
  /** Derived from the business event, so a retried activity records one notification. */
  dedupeKey: string;
  kind: NoticeKindCode;
  recipient: string;
  subject: string;
  body: string;
  html?: string;
  partnerId?: string;
}

/** Values a notice's templates may name besides the partner's and the link; plain JSON from the workflow. */
export type NoticeFacts = Record<string, string | number | null>;

export interface PartnerNoticeRequest {
  dedupeKey: string;
  kind: NoticeKindCode;
  partnerId: string;
  facts?: NoticeFacts;
  /** The invoice the notice is about: its number, total and due date come from its row, and the link goes to it. */
  invoiceId?: string;
  /** Where the partner acts, under the public URL; the partner's own record by default. */
  path?: string;
  /** Another partner the notice is about (the one absorbing or absorbed): its name is `otherPartnerName`. */
  otherPartnerId?: string;
}

export interface ReviewerNoticeRequest {
  dedupeKey: string;
  kind: Extract<NoticeKindCode, 'review-task' | 'review-reminder'>;
  reviewTaskId: string;
  reviewKind: ReviewKind;
  facts: NoticeFacts & { summary: string; dueAt: string };
}

const INVOICE_PURPOSE_NAMES: Record<InvoicePurpose, string> = {
  enrollment: 'the enrollment fee',
  upgrade: 'the upgrade fee',
  renewal: 'the renewal fee',
  benefit: 'a benefit purchase',
};

/** A notice the partner muted; a kind it may not mute reaches it whatever its list says. */
const muted = (partner: { mutedNotices: string[] }, kind: string) => partner.mutedNotices.includes(kind) && isMutableNotice(kind);

/** The notice's `Message-ID`: the same for every attempt to send it, unique to its key. */
export const noticeMessageId = (dedupeKey: string): string =>
  `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@notices.partner-program>`;

export function createNotificationActivities({ prisma, clock, mailer, publicUrl = DEFAULT_PUBLIC_URL }: ActivityDeps) {
  const templates = new MailTemplates();
  const linkTo = (path: string) => `${publicUrl.replace(/\/+$/, '')}${path}`;

  const activities = {
    async sendNotification(request: NotificationRequest): Promise<void> {
      await prisma.notification.createMany({
        data: [{ id: randomUUID(), createdAt: clock.now(), ...request }],
        skipDuplicates: true,
      });
      const notification = await prisma.notification.findUniqueOrThrow({ where: { dedupeKey: request.dedupeKey } });
      if (notification.sentAt) return;
      await mailer.send({
        to: notification.recipient,
        subject: notification.subject,
        body: notification.body,
        ...(notification.html ? { html: notification.html } : {}),
        messageId: noticeMessageId(notification.dedupeKey),
      });
      await prisma.notification.update({ where: { id: notification.id }, data: { sentAt: clock.now() } });
    },

    /**
     * A notice to the partner's contact, whose address the workflow does not carry. Its webhook
     * endpoints hear of it whatever the partner muted: muting is about mail.
     */
    async notifyPartner(request: Omit<NotificationRequest, 'recipient'> & { partnerId: string }): Promise<void> {
      const partner = await prisma.partner.findUniqueOrThrow({
        where: { id: request.partnerId },
        select: { contactEmail: true, mutedNotices: true },
      });
      await publishPartnerEvent(prisma, clock, {
        dedupeKey: request.dedupeKey,
        kind: request.kind,
        partnerId: request.partnerId,
        data: { subject: request.subject, text: request.body },
      });
      if (muted(partner, request.kind)) return;
      await activities.sendNotification({ ...request, recipient: partner.contactEmail });
    },

    /**
     * A notice of the notice table to the partner's contact, rendered from its templates with the
     * partner's name, the facts and a link, unless the partner muted a kind it may mute; and the
     * same facts, as an event, to its webhook endpoints.
     */
    async noticePartner(request: PartnerNoticeRequest): Promise<void> {
      const partner = await prisma.partner.findUniqueOrThrow({
        where: { id: request.partnerId },
        select: { legalName: true, contactName: true, contactEmail: true, mutedNotices: true },
      });
      const invoice = request.invoiceId
        ? await prisma.invoice.findUniqueOrThrow({
            where: { id: request.invoiceId },
            select: { sequence: true, issuedAt: true, dueAt: true, totalMinor: true, currency: true, purpose: true },
          })
        : undefined;
      const other = request.otherPartnerId
        ? await prisma.partner.findUniqueOrThrow({ where: { id: request.otherPartnerId }, select: { legalName: true } })
        : undefined;
      const path = request.path ?? (request.invoiceId ? `/v1/invoices/${request.invoiceId}` : `/v1/partners/${request.partnerId}`);
      const facts = {
        ...request.facts,
        ...(other && { otherPartnerId: request.otherPartnerId!, otherPartnerName: other.legalName }),
        ...(invoice && {
          invoice: {
            id: request.invoiceId!,
            number: invoiceNumber(invoice),
            total: formatMoney({ amountMinor: minorUnits(invoice.totalMinor), currency: invoice.currency }),
            dueOn: invoice.dueAt.toISOString().slice(0, 10),
            purpose: INVOICE_PURPOSE_NAMES[invoice.purpose as InvoicePurpose] ?? invoice.purpose,
          },
        }),
        link: linkTo(path),
      };
      const mail = templates.renderNotice(request.kind, { partnerName: partner.legalName, contactName: partner.contactName, ...facts });
      await publishPartnerEvent(prisma, clock, {
        dedupeKey: request.dedupeKey,
        kind: request.kind,
        partnerId: request.partnerId,
        data: { subject: mail.subject, ...facts },
      });
      if (muted(partner, request.kind)) return;
      await activities.sendNotification({
        dedupeKey: request.dedupeKey,
        kind: request.kind,
        partnerId: request.partnerId,
        recipient: partner.contactEmail,
        subject: mail.subject,
        body: mail.text,
        html: mail.html,
      });
    },

    /**
     * A review notice to every reviewer and admin with an address whose key covers the task's kind
     * (a key without kinds covers all), one message each. Keys without an address hear nothing.
     */
    async noticeReviewers(request: ReviewerNoticeRequest): Promise<{ recipients: number }> {
      const now = clock.now();
      const keys = await prisma.apiKey.findMany({
        where: {
          role: { in: ['reviewer', 'admin'] },
          email: { not: null },
          revokedAt: null,
          OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
          AND: [{ OR: [{ reviewKinds: { isEmpty: true } }, { reviewKinds: { has: request.reviewKind } }] }],
        },
        select: { email: true, name: true },
        orderBy: { email: 'asc' },
      });
      const recipients = new Map(keys.map((key) => [key.email!.toLowerCase(), key]));
      const mail = templates.renderNotice(request.kind, {
        ...request.facts,
        reviewKind: request.reviewKind,
        reviewTaskId: request.reviewTaskId,
        // The queue where the task waits; the console will give each task its own page.
        link: linkTo(`/v1/reviews?status=pending&kind=${request.reviewKind}`),
      });
      for (const [email] of recipients) {
        await activities.sendNotification({
          dedupeKey: `${request.dedupeKey}:${email}`,
          kind: request.kind,
          recipient: email,
          subject: mail.subject,
          body: mail.text,
          html: mail.html,
        });
      }
      return { recipients: recipients.size };
    },
  };
  return activities;
}
