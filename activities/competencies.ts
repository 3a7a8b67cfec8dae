import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { CompetencyRequirements } from '../domain/catalog';
import {
  assessCompetency,
  type CompetencyAssessment,
  type CompetencyEvidence,
  competencyAward,
  FIRST_COMPETENCY_SOURCE,
  FURTHER_COMPETENCY_SOURCE,
} from '../domain/competencies';
import { DAY_MS } from '../domain/time';
import type { DatabaseReader, Prisma } from '../lib/database';
import { partnerCompetencyId } from '../lib/ids';
import { verificationsAwaitingEvidence } from '../queries/competencies';
import {
  COMPETENCY_NOT_GRANTED,
  type CompetencyGrant,
  type CompetencyRun,
  type CompetencyTransition,
  type CompetencyReverificationRequest,
  type GrantedCompetency,
  type ReverifiedCompetency,
  type RevokedCompetency,
} from '../workflows/competencies/definitions';
import { recordAudit } from '../lib/audit';
import { catalogInForce } from './catalog';
import { createEntitlementGrants } from './benefits';
import { createDesignationReverification } from './designations';
import { membershipYearEnd } from './renewals';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';
const EVIDENCE_KINDS_THAT_COUNT = ['certified-professional', 'customer-reference', 'tested-solution', 'mobility-assessment'];

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** The partner's verified evidence recorded within the window, as competency verification reads it. */
async function competencyEvidence(db: DatabaseReader, partnerId: string, asOf: Date, windowDays: number): Promise<CompetencyEvidence[]> {
  const evidence = await db.evidence.findMany({
    where: {
      partnerId,
      status: 'verified',
      kind: { in: EVIDENCE_KINDS_THAT_COUNT },
      createdAt: { gte: new Date(asOf.getTime() - (windowDays + 1) * DAY_MS), lte: asOf },
    },
    select: { id: true, kind: true, status: true, createdAt: true, details: true },
  });
  return evidence.map((item) => ({ ...item, recordedAt: item.createdAt.toISOString(), details: item.details as Record<string, unknown> }));
}

/** A verification's records: what the evidence meets, the competency's status, and who waits for evidence. */
export function createCompetencyActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Gathers the partner's evidence, from every one of its offices, and checks it against the
     * requirements. Answers the counts, not the evidence, to keep the workflow history small.
     */
    async assessPartnerCompetency(input: {
      partnerId: string;
      code: string;
      requirements: CompetencyRequirements;
      windowDays: number;
      asOf: string;
    }): Promise<CompetencyAssessment> {
      const evidence = await competencyEvidence(prisma, input.partnerId, new Date(input.asOf), input.windowDays);
      return assessCompetency(input.code, input.requirements, evidence, input.asOf, input.windowDays);
    },

    /**
     * Moves the partner's competency to a status, with its audit event; a new run's first step
     * resets the row. Answers the row's id.
     */
    async transitionCompetency(transition: CompetencyTransition): Promise<string> {
      const at = clock.now();
      const id = partnerCompetencyId(transition.partnerId, transition.code);
      await prisma.$transaction(async (tx) => {
        const before = await tx.partnerCompetency.findUnique({ where: { id } });
        const fields = {
          status: transition.status,
          statusReason: transition.reason ?? null,
          catalogVersionId: transition.catalogVersionId,
          updatedAt: at,
          ...(transition.assessment ? { assessment: json(transition.assessment) } : {}),
          ...(transition.reviewTaskId ? { reviewTaskId: transition.reviewTaskId } : {}),
        };
        const newRun = {
          runId: transition.runId,
          workflowId: transition.workflowId,
          requestedBy: transition.requestedBy,
          grantedAt: null,
          validUntil: null,
          awardEntryId: null,
          reviewTaskId: transition.reviewTaskId ?? null,
        };
        await tx.partnerCompetency.upsert({
          where: { id },
          create: { id, partnerId: transition.partnerId, code: transition.code, createdAt: at, ...newRun, ...fields },
          update: before?.runId === transition.runId ? fields : { ...newRun, ...fields },
        });
        // A grant that ends (expires) leaves the directory's competencies.
        if (before?.status === 'granted') await refreshDirectoryListing(tx, transition.partnerId, at);
        await recordAudit(tx, at, [
          {
            dedupeKey: `competency:${transition.runId}:${transition.step}`,
            actor: transition.actor,
            entityType: 'competency',
            entityId: id,
            action: `competency.${transition.status}`,
            before: before && before.runId === transition.runId ? { status: before.status } : undefined,
            after: json({
              status: transition.status,
              code: transition.code,
              partnerId: transition.partnerId,
              ...(transition.reason ? { reason: transition.reason } : {}),
              ...(transition.assessment ? { checks: transition.assessment.checks } : {}),
            }),
          },
        ]);
      });
      return id;
    },

    /** The verification workflows waiting on this partner's evidence. */
    listWaitingCompetencyWorkflows: (partnerId: string): Promise<string[]> => verificationsAwaitingEvidence(prisma, partnerId),
  };
}

/** A grant and its end: the points it earns, and their reversal when an admin revokes it. */
export function createCompetencyGrantActivities({ prisma, clock, membershipTermMinutes }: ActivityDeps) {
  const { syncTermEntitlements } = createEntitlementGrants(membershipTermMinutes);
  return {
    /**
     * Grants the competency and awards its points. The first competency a partner holds earns
     * the first-competency points and bonus, each further one less; a per-partner lock keeps two
     * grants at once from both counting as the first.
     */
    async grantCompetency(grant: CompetencyGrant): Promise<GrantedCompetency> {
      const at = clock.now();
      const id = partnerCompetencyId(grant.partnerId, grant.code);
      const dedupeKey = `competency:${grant.runId}:award`;
      const catalog = await catalogInForce(prisma, new Date(grant.grantedAt));
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`competency-grant:${grant.partnerId}`}))`;
        const already = await tx.pointEntry.findUnique({ where: { dedupeKey } });
        if (already) {
          const row = await tx.partnerCompetency.findUniqueOrThrow({ where: { id } });
          return {
            sourceCode: already.sourceCode,
            points: already.points,
            validUntil: (row.validUntil ?? new Date(grant.validUntil)).toISOString(),
          };
        }
        const validUntil =
          (await membershipYearEnd(tx, grant.partnerId, new Date(grant.grantedAt), membershipTermMinutes)) ?? grant.validUntil;

        const othersGranted = await tx.partnerCompetency.count({
          where: { partnerId: grant.partnerId, status: 'granted', code: { not: grant.code } },
        });
        const sources = await tx.pointSource.findMany({
          where: { catalogVersionId: grant.catalogVersionId, code: { in: [FIRST_COMPETENCY_SOURCE, FURTHER_COMPETENCY_SOURCE] } },
        });
        const award = competencyAward(
          sources.map((source) => ({ ...source, rule: source.rule as Record<string, unknown> })),
          othersGranted === 0,
        );
        const entry =
          award.points > 0
            ? await tx.pointEntry.create({
                data: {
                  id: randomUUID(),
                  dedupeKey,
                  partnerId: grant.partnerId,
                  sourceCode: award.sourceCode,
                  kind: 'award',
                  points: award.points,
                  catalogVersionId: grant.catalogVersionId,
                  reason: `Competency ${grant.code} granted`,
                  occurredAt: new Date(grant.grantedAt),
                  recordedAt: at,
                },
              })
            : null;
        await tx.partnerCompetency.update({
          where: { id },
          data: {
            status: 'granted',
            statusReason: null,
            grantedAt: new Date(grant.grantedAt),
            validUntil: new Date(validUntil),
            awardEntryId: entry?.id ?? null,
            updatedAt: at,
          },
        });
        await syncTermEntitlements(tx, { partnerId: grant.partnerId, asOf: new Date(grant.grantedAt), catalog });
        await refreshDirectoryListing(tx, grant.partnerId, at);
        await recordAudit(tx, at, [
          {
            dedupeKey: `competency:${grant.runId}:granted`,
            actor: grant.actor,
            entityType: 'competency',
            entityId: id,
            action: 'competency.granted',
            before: { status: 'in-review' },
            after: json({ status: 'granted', code: grant.code, partnerId: grant.partnerId, ...award, validUntil }),
          },
        ]);
        return { ...award, validUntil };
      });
    },

    /** Ends a grant and takes its points back with a correction entry; the award itself is never edited. */
    async revokeCompetency(input: CompetencyRun & { actor: string; reason: string }): Promise<RevokedCompetency> {
      const at = clock.now();
      const id = partnerCompetencyId(input.partnerId, input.code);
      const dedupeKey = `competency:${input.runId}:revocation`;
      const catalog = await catalogInForce(prisma, at);
      return prisma.$transaction(async (tx) => {
        const row = await tx.partnerCompetency.findUnique({ where: { id } });
        const reversal = await tx.pointEntry.findUnique({ where: { dedupeKey } });
        if (row?.status === 'revoked' && row.runId === input.runId) return { status: 'revoked', reversedPoints: -(reversal?.points ?? 0) };
        if (!row || row.status !== 'granted' || row.runId !== input.runId) {
          throw ApplicationFailure.nonRetryable(`Competency ${input.code} is not granted`, COMPETENCY_NOT_GRANTED);
        }
        let reversedPoints = 0;
        if (row.awardEntryId) {
          const award = await tx.pointEntry.findUniqueOrThrow({ where: { id: row.awardEntryId } });
          const corrections = await tx.pointEntry.aggregate({ where: { correctsEntryId: award.id }, _sum: { points: true } });
          reversedPoints = Math.max(0, award.points + (corrections._sum.points ?? 0));
          if (reversedPoints > 0) {
            await tx.pointEntry.create({
              data: {
                id: randomUUID(),
                dedupeKey,
                partnerId: input.partnerId,
                sourceCode: award.sourceCode,
                kind: 'correction',
                points: -reversedPoints,
                correctsEntryId: award.id,
                catalogVersionId: award.catalogVersionId,
                reason: `Competency ${input.code} revoked: ${input.reason}`,
                // Dated like the award, so the pair leaves the window together.
                occurredAt: award.occurredAt,
                recordedAt: at,
              },
            });
          }
        }
        await tx.partnerCompetency.update({ where: { id }, data: { status: 'revoked', statusReason: input.reason, updatedAt: at } });
        await syncTermEntitlements(tx, { partnerId: input.partnerId, asOf: at, catalog });
        await refreshDirectoryListing(tx, input.partnerId, at);
        await recordAudit(tx, at, [
          {
            dedupeKey: `competency:${input.runId}:revoked`,
            actor: input.actor,
            entityType: 'competency',
            entityId: id,
            action: 'competency.revoked',
            before: { status: 'granted' },
            after: json({ status: 'revoked', code: input.code, partnerId: input.partnerId, reason: input.reason, reversedPoints }),
          },
        ]);
        return { status: 'revoked', reversedPoints };
      });
    },
  };
}

/** Grants meet the membership year: re-verified at each renewal decision. */
export function createCompetencyRenewalActivities(deps: ActivityDeps) {
  const { prisma, clock } = deps;
  const { reverifyDesignations } = createDesignationReverification(deps);

  /**
   * Each competency the partner holds is assessed again, against the catalog in force. A pass
   * extends the grant to the next term's end; a fail leaves it to end with the current term.
   */
  const reverifyGrants = async (input: CompetencyReverificationRequest): Promise<ReverifiedCompetency[]> => {
    const asOf = new Date(input.asOf);
    const grants = await prisma.partnerCompetency.findMany({
      where: { partnerId: input.partnerId, status: 'granted', validUntil: { gt: asOf } },
      orderBy: { code: 'asc' },
    });
    if (grants.length === 0) return [];
    const catalog = await catalogInForce(prisma, asOf);
    const { evidenceWindowDays } = catalog.rules.competencyVerification;
    const evidence = await competencyEvidence(prisma, input.partnerId, asOf, evidenceWindowDays);
    const at = clock.now();
    const results: ReverifiedCompetency[] = [];
    for (const grant of grants) {
      const requirements = catalog.competencies.find((competency) => competency.code === grant.code)?.requirements;
      const assessment = requirements ? assessCompetency(grant.code, requirements, evidence, input.asOf, evidenceWindowDays) : null;
      const passed = assessment?.met ?? false;
      const currentEnd = new Date(Math.min(grant.validUntil!.getTime(), Date.parse(input.currentTermEnd)));
      const validUntil = passed ? new Date(input.nextTermEnd) : currentEnd;
      await prisma.$transaction(async (tx) => {
        await tx.partnerCompetency.update({ where: { id: grant.id }, data: { validUntil, updatedAt: at } });
        await recordAudit(tx, at, [
          {
            dedupeKey: `competency:${grant.runId}:reverified:term:${input.termNumber}`,
            actor: 'system',
            entityType: 'competency',
            entityId: grant.id,
            action: passed ? 'competency.reverified' : 'competency.reverification_failed',
            before: { validUntil: grant.validUntil!.toISOString() },
            after: json({
              validUntil: validUntil.toISOString(),
              catalogVersionId: catalog.catalogVersionId,
              checks: assessment?.checks ?? [],
            }),
          },
        ]);
      });
      results.push({ code: grant.code, workflowId: grant.workflowId, runId: grant.runId, passed, validUntil: validUntil.toISOString() });
    }
    return results;
  };

  return {
    /**
     * The renewal decision's re-verification: the partner's competencies, then its designations
     * (which may rest on a competency, counted only if still valid when the next term starts).
     * Answers each competency grant's workflow run and its new end; a designation's holding
     * workflow finds its new end on record, so the membership issues no command for it.
     */
    async reverifyCompetencies(input: CompetencyReverificationRequest): Promise<ReverifiedCompetency[]> {
      const reverified = await reverifyGrants(input);
      await reverifyDesignations(input);
      return reverified;
    },
  };
}
