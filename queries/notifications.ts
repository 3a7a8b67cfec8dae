import { NOTICE_KINDS } from '../domain/notices';
import type { DatabaseReader } from '../lib/database';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

/** A notice the program sent, or is sending, to a partner. */
export interface NotificationView {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
  /** `sent` once the mail relay accepted it; `pending` while the worker still tries. */
  state: 'sent' | 'pending';
  sentAt: string | null;
}

/** The partner's notices, newest first. */
export async function listPartnerNotifications(
  db: DatabaseReader,
  partnerId: string,
  page: PageRequest,
): Promise<KeysetPage<NotificationView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const rows = await db.notification.findMany({
    where: { AND: [{ partnerId }, keyset.where] },
    select: { id: true, kind: true, recipient: true, subject: true, body: true, createdAt: true, sentAt: true },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, (row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    state: row.sentAt ? 'sent' : 'pending',
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
  }));
}

export interface NotificationPreferencesView {
  muted: string[];
  kinds: Array<{ kind: string; mutable: boolean; when: string }>;
}

const PARTNER_NOTICE_KINDS = Object.entries(NOTICE_KINDS)
  .filter(([, kind]) => kind.audience === 'partner')
  .map(([code, kind]) => ({ kind: code, mutable: kind.mutable, when: kind.when }));

/** What the partner muted, beside every kind of notice a partner receives; null when there is no such partner. */
export async function findNotificationPreferences(db: DatabaseReader, partnerId: string): Promise<NotificationPreferencesView | null> {
  const partner = await db.partner.findUnique({ where: { id: partnerId }, select: { mutedNotices: true } });
  return partner && { muted: partner.mutedNotices, kinds: PARTNER_NOTICE_KINDS };
}
