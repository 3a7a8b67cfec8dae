import type { Consolidation, DatabaseReader } from '../lib/database';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

export interface ConsolidationView {
  id: string;
  survivorId: string;
  absorbedId: string;
  workflowId: string;
  status: string;
  statusReason: string | null;
  reviewTaskId: string | null;
  consentedAt: string | null;
  /** What moved: offices, evidence, transfer entries, points, competencies, fee credit. */
  moved: unknown;
  createdAt: string;
  completedAt: string | null;
}

function toConsolidationView(row: Consolidation): ConsolidationView {
  return {
    id: row.id,
    survivorId: row.survivorId,
    absorbedId: row.absorbedId,
    workflowId: row.workflowId,
    status: row.status,
    statusReason: row.statusReason,
    reviewTaskId: row.reviewTaskId,
    consentedAt: row.consentedAt?.toISOString() ?? null,
    moved: row.moved,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export async function findConsolidation(db: DatabaseReader, id: string): Promise<ConsolidationView | null> {
  const row = await db.consolidation.findUnique({ where: { id } });
  return row && toConsolidationView(row);
}

/** A page of the consolidations a partner is part of, on either side, newest first. */
export async function listConsolidations(db: DatabaseReader, partnerId: string, page: PageRequest): Promise<KeysetPage<ConsolidationView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const rows = await db.consolidation.findMany({
    where: { AND: [{ OR: [{ survivorId: partnerId }, { absorbedId: partnerId }] }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, toConsolidationView);
}

/** The consolidations a partner asked for that still run (in `openStatuses`), oldest first. */
export async function openConsolidationsRequestedBy(
  db: DatabaseReader,
  survivorId: string,
  openStatuses: readonly string[],
): Promise<ConsolidationView[]> {
  const rows = await db.consolidation.findMany({
    where: { survivorId, status: { in: [...openStatuses] } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map(toConsolidationView);
}
