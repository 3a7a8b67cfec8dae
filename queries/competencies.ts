import type { DatabaseReader } from '../lib/database';
import { partnerCompetencyId } from '../lib/ids';

export interface CompetencyView {
  id: string;
  code: string;
  name: string;
  status: string;
  statusReason: string | null;
  /** The latest assessment: have and need per requirement, with the evidence counted. */
  assessment: unknown;
  reviewTaskId: string | null;
  grantedAt: string | null;
  validUntil: string | null;
  catalogVersionId: string;
  updatedAt: string;
}

/** Where a partner's competency stands and which workflow run holds it. */
export interface CompetencyRecord {
  status: string;
  validUntil: Date | null;
  workflowId: string;
  runId: string;
}

/** A partner's competencies in code order, named as the catalog in force names them. */
export async function listCompetencies(
  db: DatabaseReader,
  partnerId: string,
  names: ReadonlyMap<string, string>,
): Promise<CompetencyView[]> {
  const rows = await db.partnerCompetency.findMany({ where: { partnerId }, orderBy: { code: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: names.get(row.code) ?? row.code,
    status: row.status,
    statusReason: row.statusReason,
    assessment: row.assessment,
    reviewTaskId: row.reviewTaskId,
    grantedAt: row.grantedAt?.toISOString() ?? null,
    validUntil: row.validUntil?.toISOString() ?? null,
    catalogVersionId: row.catalogVersionId,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

export async function findCompetencyRecord(db: DatabaseReader, partnerId: string, code: string): Promise<CompetencyRecord | null> {
  return db.partnerCompetency.findUnique({
    where: { id: partnerCompetencyId(partnerId, code) },
    select: { status: true, validUntil: true, workflowId: true, runId: true },
  });
}

/** The verification workflows waiting on this partner's evidence, in code order. */
export async function verificationsAwaitingEvidence(db: DatabaseReader, partnerId: string): Promise<string[]> {
  const rows = await db.partnerCompetency.findMany({
    where: { partnerId, status: 'awaiting-evidence' },
    select: { workflowId: true },
    orderBy: { code: 'asc' },
  });
  return rows.map((row) => row.workflowId);
}
