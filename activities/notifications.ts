import { createHash, randomUUID } from 'node:crypto';
import type { ActivityDeps } from './deps';

export interface NotificationRequest {
  /** Derived from the business event, so a retried activity records one notification. */
  dedupeKey: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  partnerId?: string;
}

/** The notice's `Message-ID`: the same for every attempt to send it, unique to its key. */
export const noticeMessageId = (dedupeKey: string): string =>
  `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@notices.partner-program>`;

export function createNotificationActivities({ prisma, clock, mailer }: ActivityDeps) {
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
        messageId: noticeMessageId(notification.dedupeKey),
      });
      await prisma.notification.update({ where: { id: notification.id }, data: { sentAt: clock.now() } });
    },

    /** A notice to the partner's contact, whose address the workflow does not carry. */
    async notifyPartner(request: Omit<NotificationRequest, 'recipient'> & { partnerId: string }): Promise<void> {
      const partner = await prisma.partner.findUniqueOrThrow({ where: { id: request.partnerId }, select: { contactEmail: true } });
      await activities.sendNotification({ ...request, recipient: partner.contactEmail });
    },
  };
  return activities;
}
