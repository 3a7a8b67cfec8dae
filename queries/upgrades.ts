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
