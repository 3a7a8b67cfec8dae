import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { leavesWindowAt } from '../domain/points';
import type { Prisma } from '../lib/database';
import { type LedgerEntryView, toLedgerEntryView } from '../queries/points';
import { CORRECTION_REFUSED, type EvidenceInput, type EvidenceStatus, type LedgerCorrectionInput } from '../workflows/points/definitions';
import { recordAudit, recordChange } from '../lib/audit';
import type { ActivityDeps } from './deps';

export interface RecordEvidenceInput extends EvidenceInput {
  workflowId: string;
  status: EvidenceStatus;
  points: number;
  catalogVersionId: string;
}

export interface PointAward {
  sourceCode: string;
  points: number;
  catalogVersionId: string;
  occurredAt: string;
  locationId: string | null;
}

export interface SettleEvidenceInput {
  evidenceId: string;
  workflowId: string;
  status: 'verified' | 'rejected' | 'expired';
  actor: string;
  award: PointAward | null;
}

export function createPointsActivities({ prisma, clock }: ActivityDeps) {
  return {
    async recordEvidence(input: RecordEvidenceInput): Promise<void> {
      const at = clock.now();
      await recordChange(
        prisma,
        at,
        (tx) =>
          tx.evidence.createMany({
            data: [
              {
                id: input.evidenceId,
                partnerId: input.partnerId,
                kind: input.kind,
                naturalKey: input.naturalKey,
                attempt: input.attempt ?? 1,
                activityAt: input.activityAt ? new Date(input.activityAt) : null,
                details: input.details as unknown as Prisma.InputJsonValue,
                locationId: input.locationId,
                status: input.status,
                points: input.points,
                workflowId: input.workflowId,
                catalogVersionId: input.catalogVersionId,
                recordedBy: input.recordedBy,
                createdAt: at,
              },
            ],
            skipDuplicates: true,
          }),
        {
          dedupeKey: `${input.workflowId}:evidence.recorded`,
          actor: input.recordedBy,
          entityType: 'evidence',
          entityId: input.evidenceId,
          action: 'evidence.recorded',
          after: { kind: input.kind, status: input.status, points: input.points, partnerId: input.partnerId },
        },
      );
    },

    /**
     * Closes the evidence and, when verified, appends its award to the ledger, atomically. The
     * award goes to the partner holding the evidence now: a consolidation may have moved it.
     */
    async settleEvidence(input: SettleEvidenceInput): Promise<void> {
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        const { partnerId } = await tx.evidence.findUniqueOrThrow({ where: { id: input.evidenceId }, select: { partnerId: true } });
        await tx.evidence.updateMany({
          where: { id: input.evidenceId, decidedAt: null },
          data: { status: input.status, decidedAt: at },
        });
        if (input.award) {
          await tx.pointEntry.createMany({
            data: [
              {
                id: randomUUID(),
                dedupeKey: `evidence:${input.evidenceId}:award`,
                partnerId,
                sourceCode: input.award.sourceCode,
                kind: 'award',
                points: input.award.points,
                evidenceId: input.evidenceId,
                locationId: input.award.locationId,
                catalogVersionId: input.award.catalogVersionId,
                occurredAt: new Date(input.award.occurredAt),
                recordedAt: at,
              },
            ],
            skipDuplicates: true,
          });
        }
        await recordAudit(tx, at, [
          {
            dedupeKey: `${input.workflowId}:evidence.${input.status}`,
            actor: input.actor,
            entityType: 'evidence',
            entityId: input.evidenceId,
            action: `evidence.${input.status}`,
            after: { status: input.status, points: input.award?.points ?? 0 },
          },
        ]);
      });
    },
  };
}

export function createLedgerActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Appends an `expiry` entry for each award or transfer that has left the window of the
     * catalog in force at `asOf`, for its net points after corrections, dated like the award.
     * Totals never read expiry entries (the window already leaves the award out); they make
     * the ledger tell the whole story. At most `limit` per call; answers how many it found and wrote.
     */
    async recordLedgerExpiries(input: {
      asOf: string;
      catalogVersionId: string;
      limit: number;
    }): Promise<{ found: number; written: number }> {
      const asOf = new Date(input.asOf);
      const expired = await prisma.$queryRaw<
        Array<{
          id: string;
          partnerId: string;
          sourceCode: string;
          catalogVersionId: string;
          occurredAt: Date;
          evidenceId: string | null;
          locationId: string | null;
          net: number;
          windowDays: number;
        }>
      >`
        SELECT e.id, e."partnerId", e."sourceCode", e."catalogVersionId", e."occurredAt", e."evidenceId", e."locationId", s."windowDays",
               (e.points + COALESCE((SELECT SUM(c.points) FROM "PointEntry" c WHERE c."correctsEntryId" = e.id AND c.kind IN ('correction', 'transfer')), 0))::int AS net
        FROM "PointEntry" e
        JOIN "PointSource" s ON s."catalogVersionId" = ${input.catalogVersionId} AND s.code = e."sourceCode"
        WHERE e.kind IN ('award', 'transfer')
          AND e."occurredAt" + make_interval(days => s."windowDays" + 1) <= ${asOf}
          AND NOT EXISTS (SELECT 1 FROM "PointEntry" x WHERE x."dedupeKey" = 'expiry:' || e.id::text)
        ORDER BY e."occurredAt", e.id
        LIMIT ${input.limit}`;
      if (expired.length === 0) return { found: 0, written: 0 };
      const at = clock.now();
      const { count } = await prisma.pointEntry.createMany({
        data: expired.map((entry) => ({
          id: randomUUID(),
          dedupeKey: `expiry:${entry.id}`,
          partnerId: entry.partnerId,
          sourceCode: entry.sourceCode,
          kind: 'expiry',
          points: -Math.max(0, entry.net),
          evidenceId: entry.evidenceId,
          locationId: entry.locationId,
          correctsEntryId: entry.id,
          catalogVersionId: entry.catalogVersionId,
          reason: `Left the ${entry.windowDays}-day window on ${leavesWindowAt(entry.occurredAt.toISOString(), entry.windowDays)}`,
          occurredAt: entry.occurredAt,
          recordedAt: at,
        })),
        skipDuplicates: true,
      });
      return { found: expired.length, written: count };
    },

    /**
     * Appends a correction dated like the entry it corrects, so both leave the window together.
     * An entry and its corrections never add up to less than zero.
     */
    async recordPointCorrection(input: LedgerCorrectionInput): Promise<LedgerEntryView> {
      const at = clock.now();
      const dedupeKey = `correction:${input.correctionId}`;
      return prisma.$transaction(async (tx) => {
        const existing = await tx.pointEntry.findUnique({ where: { dedupeKey } });
        if (existing) return toLedgerEntryView(existing);
        const original = await tx.pointEntry.findUnique({ where: { id: input.entryId } });
        if (!original || original.partnerId !== input.partnerId || original.kind === 'correction') {
          throw ApplicationFailure.nonRetryable('Only an award or transfer of this partner can be corrected', CORRECTION_REFUSED);
        }
        const corrections = await tx.pointEntry.aggregate({ where: { correctsEntryId: original.id }, _sum: { points: true } });
        const after = original.points + (corrections._sum.points ?? 0) + input.points;
        if (after < 0) {
          throw ApplicationFailure.nonRetryable(`The entry would fall to ${after} points; it cannot go below zero`, CORRECTION_REFUSED);
        }
        const entry = await tx.pointEntry.create({
          data: {
            id: randomUUID(),
            dedupeKey,
            partnerId: input.partnerId,
            sourceCode: original.sourceCode,
            kind: 'correction',
            points: input.points,
            evidenceId: original.evidenceId,
            locationId: original.locationId,
            correctsEntryId: original.id,
            catalogVersionId: original.catalogVersionId,
            reason: input.reason,
            occurredAt: original.occurredAt,
            recordedAt: at,
          },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `${dedupeKey}:audit`,
            actor: input.actor,
            entityType: 'point-entry',
            entityId: original.id,
            action: 'points.corrected',
            before: { points: after - input.points },
            after: { points: after, reason: input.reason },
          },
        ]);
        return toLedgerEntryView(entry);
      });
    },
  };
}
