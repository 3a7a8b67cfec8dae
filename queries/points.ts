import type { DatabaseReader } from '../lib/database';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

export interface EvidenceView {
  id: string;
  kind: string;
  details: Record<string, unknown>;
  locationId: string | null;
  status: string;
  points: number;
  catalogVersionId: string;
  /** 1, or the attempt after a rejected or expired submission of the same evidence. */
  attempt: number;
  /** When the activity it proves took place, where it says; its award counts from then. */
  activityAt: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface LedgerEntryView {
  id: string;
  kind: string;
  sourceCode: string;
  points: number;
  occurredAt: string;
  correctsEntryId: string | null;
  reason: string | null;
  catalogVersionId: string;
}

export function toLedgerEntryView(entry: {
  id: string;
  kind: string;
  sourceCode: string;
  points: number;
  occurredAt: Date;
  correctsEntryId: string | null;
  reason: string | null;
  catalogVersionId: string;
}): LedgerEntryView {
  return { ...entry, occurredAt: entry.occurredAt.toISOString() };
}

/** A page of a partner's evidence, newest first. */
export async function listEvidence(db: DatabaseReader, partnerId: string, page: PageRequest): Promise<KeysetPage<EvidenceView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const rows = await db.evidence.findMany({ where: { AND: [{ partnerId }, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take });
  return keyset.page(rows, (row) => ({
    id: row.id,
    kind: row.kind,
    details: row.details as Record<string, unknown>,
    locationId: row.locationId,
    status: row.status,
    points: row.points,
    catalogVersionId: row.catalogVersionId,
    attempt: row.attempt,
    activityAt: row.activityAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  }));
}

/** How much evidence a partner recorded since `since`, and how much awaits review now. */
export async function evidenceCounts(db: DatabaseReader, partnerId: string, since: Date): Promise<{ inWindow: number; pending: number }> {
  const [inWindow, pending] = await Promise.all([
    db.evidence.count({ where: { partnerId, createdAt: { gte: since } } }),
    db.evidence.count({ where: { partnerId, status: 'pending_review' } }),
  ]);
  return { inWindow, pending };
}

/** The partner's latest submission of a natural key, or null when it never submitted it. */
export async function latestEvidenceAttempt(
  db: DatabaseReader,
  partnerId: string,
  naturalKey: string,
): Promise<{ attempt: number; status: string } | null> {
  return db.evidence.findFirst({ where: { partnerId, naturalKey }, orderBy: { attempt: 'desc' }, select: { attempt: true, status: true } });
}

/** The partner a ledger entry belongs to, or null when there is no such entry. */
export async function ledgerEntryOwner(db: DatabaseReader, entryId: string): Promise<string | null> {
  const entry = await db.pointEntry.findUnique({ where: { id: entryId }, select: { partnerId: true } });
  return entry?.partnerId ?? null;
}
