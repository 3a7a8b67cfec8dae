import type { LevelCode } from '../domain/catalog';
import type { DesignationAssessment, DesignationHoldings } from '../domain/designations';
import type { EvidenceDetails } from '../domain/points';
import { DAY_MS } from '../domain/time';
import type { DatabaseReader } from '../lib/database';
import { partnerDesignationId } from '../lib/ids';

export interface DesignationView {
  id: string;
  code: string;
  name: string;
  status: string;
  statusReason: string | null;
  communityMemberId: string;
  /** The latest assessment (the application's, or the last renewal's): each check with what counts and what the partner holds. */
  assessment: DesignationAssessment | null;
  reviewTaskId: string | null;
  grantedAt: string | null;
  validUntil: string | null;
  catalogVersionId: string;
  updatedAt: string;
}

/** A designation the partner holds now, as its profile shows it. */
export interface HeldDesignationView {
  code: string;
  grantedAt: string;
  validUntil: string;
}

/** Where a partner's designation stands and which application holds it. */
export interface DesignationRecord {
  status: string;
  validUntil: Date | null;
  workflowId: string;
  runId: string;
  requestId: string;
}

/** What a holdings read looks at: evidence recorded in the window up to `asOf`, competencies still valid at `competenciesValidAt`. */
export interface HoldingsMoment {
  asOf: Date;
  windowDays: number;
  /** The renewal asks for competencies valid when the next term starts; otherwise `asOf`. */
  competenciesValidAt?: Date;
}

/**
 * What the partner holds that designations ask for: its level, the community memberships and the
 * distinct certified professionals its verified evidence recorded in the window proves (from every
 * office: consolidated evidence is its own), and its granted competencies still valid.
 */
export async function designationHoldings(db: DatabaseReader, partnerId: string, moment: HoldingsMoment): Promise<DesignationHoldings> {
  const { asOf, windowDays } = moment;
  const [partner, evidence, competencies] = await Promise.all([
    db.partner.findUniqueOrThrow({ where: { id: partnerId }, select: { level: true } }),
    db.evidence.findMany({
      where: {
        partnerId,
        status: 'verified',
        kind: { in: ['small-business-specialist', 'certified-professional'] },
        // Counted until `windowDays` whole days old, as points are.
        createdAt: { gt: new Date(asOf.getTime() - (windowDays + 1) * DAY_MS), lte: asOf },
      },
      select: { kind: true, details: true },
    }),
    db.partnerCompetency.findMany({
      where: { partnerId, status: 'granted', validUntil: { gt: moment.competenciesValidAt ?? asOf } },
      select: { code: true },
    }),
  ]);
  const detailsOf = <K extends 'small-business-specialist' | 'certified-professional'>(kind: K) =>
    evidence.filter((item) => item.kind === kind).map((item) => item.details as unknown as EvidenceDetails[K]);
  const professionals = new Set(detailsOf('certified-professional').map((details) => details.email.toLowerCase()));
  return {
    level: partner.level as LevelCode,
    communityMemberIds: detailsOf('small-business-specialist').map((details) => details.memberId),
    competencies: competencies.map((row) => row.code),
    certifiedProfessionals: professionals.size,
  };
}

/** A partner's designations in code order, named as the catalog in force names them. */
export async function listDesignations(
  db: DatabaseReader,
  partnerId: string,
  names: ReadonlyMap<string, string>,
): Promise<DesignationView[]> {
  const rows = await db.partnerDesignation.findMany({ where: { partnerId }, orderBy: { code: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: names.get(row.code) ?? row.code,
    status: row.status,
    statusReason: row.statusReason,
    communityMemberId: row.communityMemberId,
    assessment: row.assessment as DesignationAssessment | null,
    reviewTaskId: row.reviewTaskId,
    grantedAt: row.grantedAt?.toISOString() ?? null,
    validUntil: row.validUntil?.toISOString() ?? null,
    catalogVersionId: row.catalogVersionId,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/** The designations a partner holds at `at`: granted and not yet past their validity. */
export async function heldDesignations(db: DatabaseReader, partnerId: string, at: Date): Promise<HeldDesignationView[]> {
  const rows = await db.partnerDesignation.findMany({
    where: { partnerId, status: 'granted', validUntil: { gt: at } },
    select: { code: true, grantedAt: true, validUntil: true },
    orderBy: { code: 'asc' },
  });
  return rows.map((row) => ({ code: row.code, grantedAt: row.grantedAt!.toISOString(), validUntil: row.validUntil!.toISOString() }));
}

export async function findDesignationRecord(db: DatabaseReader, partnerId: string, code: string): Promise<DesignationRecord | null> {
  return db.partnerDesignation.findUnique({
    where: { id: partnerDesignationId(partnerId, code) },
    select: { status: true, validUntil: true, workflowId: true, runId: true, requestId: true },
  });
}
