import type { DatabaseReader } from '../lib/database';

export interface UpgradeRequestView {
  id: string;
  partnerId: string;
  fromLevel: string;
  toLevel: string;
  status: string;
  statusReason: string | null;
  /** What was missing when the request was checked. */
  missing: unknown;
  reviewTaskId: string | null;
  catalogVersionId: string;
  createdAt: string;
  updatedAt: string;
}

export async function findUpgradeRequest(db: DatabaseReader, requestId: string): Promise<UpgradeRequestView | null> {
  const row = await db.upgradeRequest.findUnique({ where: { id: requestId } });
  return (
    row && {
      id: row.id,
      partnerId: row.partnerId,
      fromLevel: row.fromLevel,
      toLevel: row.toLevel,
      status: row.status,
      statusReason: row.statusReason,
      missing: row.missing ?? [],
      reviewTaskId: row.reviewTaskId,
      catalogVersionId: row.catalogVersionId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }
  );
}

/** Upgrade requests still in flight: checked, in review, or approved and waiting for their fee. */
export const LIVE_UPGRADE_STATUSES = ['checking', 'in_review', 'approved_payment_pending'];

/** The partner's upgrade request still in flight, other than `except`; null when there is none. */
export async function liveUpgradeRequest(db: DatabaseReader, partnerId: string, except?: string): Promise<string | null> {
  const live = await db.upgradeRequest.findFirst({
    where: { partnerId, status: { in: LIVE_UPGRADE_STATUSES }, ...(except ? { id: { not: except } } : {}) },
    select: { id: true },
  });
  return live?.id ?? null;
}
