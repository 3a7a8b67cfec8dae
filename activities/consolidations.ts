import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { unusedFeeShare } from '../domain/invoices';
import { minorUnits, sumMinor } from '../domain/money';
import { consolidationRefusal } from '../domain/partners';
import type { Prisma, TransactionClient } from '../lib/database';
import { partnerCompetencyId } from '../lib/ids';
import { findCatalogInForce } from '../queries/catalog';
import { verificationsAwaitingEvidence } from '../queries/competencies';
import { openInvoiceWorkflowIds } from '../queries/payments';
import { currentTermOf } from '../queries/terms';
import { LIVE_UPGRADE_STATUSES } from '../queries/upgrades';
import { competencyWorkflowId } from '../workflows/competencies/definitions';
import {
  CONSOLIDATION_REFUSED,
  type ConsolidationInput,
  type ConsolidationMoved,
  type ConsolidationStatus,
} from '../workflows/consolidations/definitions';
import { recordAudit } from '../lib/audit';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';
import { closeChannelOffersOfDeparted } from './channels';

/** Competency rows whose workflow still runs: a verification in progress, or a grant it holds. */
const LIVE_COMPETENCY = ['verifying', 'awaiting-evidence', 'in-review', 'granted'];
const MEMBERSHIP_FEES = ['enrollment', 'renewal', 'upgrade'];

export interface ConsolidationTransition extends ConsolidationInput {
  workflowId: string;
  step: number;
  status: ConsolidationStatus;
  actor: string;
  reason?: string;
  reviewTaskId?: string;
}

export interface FeeRefund {
  paymentId: string;
  amountMinor: number;
  currency: string;
}

export interface MergedPartners {
  moved: ConsolidationMoved;
  /** The absorbed partner's verifications, grants, upgrades and open invoices: their workflows stop. */
  stopWorkflowIds: string[];
  /** The survivor's verifications waiting for evidence: the pooled evidence may meet them now. */
  waitingVerificationIds: string[];
  feeRefunds: FeeRefund[];
}

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, CONSOLIDATION_REFUSED);

interface LedgerRow {
  id: string;
  sourceCode: string;
  evidenceId: string | null;
  locationId: string | null;
  catalogVersionId: string;
  occurredAt: Date;
  net: number;
}

export function createConsolidationActivities({ prisma, clock }: ActivityDeps) {
  return {
    /** Records the consolidation's status, creating its row at the first step, with an audit event. */
    async transitionConsolidation(transition: ConsolidationTransition): Promise<void> {
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        const fields = {
          status: transition.status,
          statusReason: transition.reason ?? null,
          updatedAt: at,
          ...(transition.reviewTaskId ? { reviewTaskId: transition.reviewTaskId } : {}),
          ...(transition.status === 'in_review' ? { consentedBy: transition.actor, consentedAt: at } : {}),
        };
        const catalog = await findCatalogInForce(tx, at);
        await tx.consolidation.upsert({
          where: { id: transition.consolidationId },
          create: {
            id: transition.consolidationId,
            survivorId: transition.survivorId,
            absorbedId: transition.absorbedId,
            workflowId: transition.workflowId,
            requestedBy: transition.requestedBy,
            catalogVersionId: catalog!.catalogVersionId,
            createdAt: at,
            ...fields,
          },
          update: fields,
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `consolidation:${transition.consolidationId}:${transition.step}`,
            actor: transition.actor,
            entityType: 'consolidation',
            entityId: transition.consolidationId,
            action: `consolidation.${transition.status}`,
            after: {
              survivorId: transition.survivorId,
              absorbedId: transition.absorbedId,
              ...(transition.reason ? { reason: transition.reason } : {}),
            },
          },
        ]);
      });
    },

    /**
     * Moves the absorbed partner's resources to the survivor in one transaction that locks both
     * partners (in id order, so two consolidations of the same pair cannot deadlock) and checks
     * again that both are active in one country. Offices, evidence and granted competencies move;
     * points move as paired transfer entries dated like the entries they move, so they leave the
     * window when they would have. Nothing is deleted: the absorbed partner keeps its history.
     */
    async mergePartners(input: ConsolidationInput & { workflowId: string; actor: string; asOf: string }): Promise<MergedPartners> {
      const at = clock.now();
      const asOf = new Date(input.asOf);
      return prisma.$transaction(async (tx) => {
        const ids = [input.survivorId, input.absorbedId].sort();
        await tx.$queryRaw`SELECT id FROM "Partner" WHERE id IN (${ids[0]}::uuid, ${ids[1]}::uuid) ORDER BY id FOR UPDATE`;
        const consolidation = await tx.consolidation.findUniqueOrThrow({ where: { id: input.consolidationId } });
        const moved =
          consolidation.status === 'completed'
            ? (consolidation.moved as unknown as ConsolidationMoved)
            : await moveResources(tx, input, asOf, at);
        return { moved, ...(await followUps(tx, input, asOf)) };
      });
    },
  };
}

/**
 * The move itself, inside the caller's transaction that holds both partners' locks. Answers
 * what moved; refuses when either partner is no longer active or the countries differ.
 */
async function moveResources(
  tx: TransactionClient,
  input: ConsolidationInput & { actor: string },
  asOf: Date,
  at: Date,
): Promise<ConsolidationMoved> {
  const ids = [input.survivorId, input.absorbedId].sort();
  const primaryOffice = { locations: { where: { isPrimary: true, removedAt: null } } } as const;
  const survivor = await tx.partner.findUniqueOrThrow({ where: { id: input.survivorId }, include: primaryOffice });
  const absorbed = await tx.partner.findUniqueOrThrow({ where: { id: input.absorbedId }, include: primaryOffice });
  const party = (partner: typeof survivor) => ({ ...partner, country: partner.locations[0]?.country ?? partner.country });
  const refusal = consolidationRefusal(party(survivor), party(absorbed));
  if (refusal) throw refuse(refusal.message);
  const absorbedPrimary = absorbed.locations[0]?.id ?? null;

  const offices = await tx.location.updateMany({
    where: { partnerId: absorbed.id },
    data: { partnerId: survivor.id, isPrimary: false, consolidatedFromPartnerId: absorbed.id },
  });

  // The same real-world item in one period, pending or verified at the survivor: the survivor's
  // record stands, and the absorbed one's points stay behind, so nothing counts twice.
  const duplicates = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT a.id FROM "Evidence" a
      JOIN "Evidence" s ON s."partnerId" = ${survivor.id}::uuid AND s."naturalKey" = a."naturalKey" AND s.status IN ('pending_review', 'verified')
    WHERE a."partnerId" = ${absorbed.id}::uuid`;
  const duplicateIds = duplicates.map((row) => row.id);
  const evidence = await tx.$executeRaw`
    UPDATE "Evidence" SET "partnerId" = ${survivor.id}::uuid, "locationId" = COALESCE("locationId", ${absorbedPrimary}::uuid)
    WHERE "partnerId" = ${absorbed.id}::uuid AND NOT (id = ANY(${duplicateIds}::uuid[]))`;

  const ledger = await tx.$queryRaw<LedgerRow[]>`
    SELECT e.id, e."sourceCode", e."evidenceId", e."locationId", e."catalogVersionId", e."occurredAt",
           (e.points + COALESCE((SELECT SUM(c.points) FROM "PointEntry" c
             WHERE c."correctsEntryId" = e.id AND c.kind IN ('correction', 'transfer')), 0))::int AS net
    FROM "PointEntry" e
    WHERE e."partnerId" = ${absorbed.id}::uuid AND e.kind IN ('award', 'transfer') AND e."correctsEntryId" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "PointEntry" x WHERE x."dedupeKey" = 'expiry:' || e.id::text)
      AND (e."evidenceId" IS NULL OR NOT (e."evidenceId" = ANY(${duplicateIds}::uuid[])))
    ORDER BY e."occurredAt", e.id`;
  const moving = ledger.filter((entry) => entry.net !== 0);
  const movedEntryIds = new Map<string, string>();
  const transfer = (entry: LedgerRow, direction: 'out' | 'in') => {
    const id = randomUUID();
    if (direction === 'in') movedEntryIds.set(entry.id, id);
    return {
      id,
      dedupeKey: `consolidation:${input.consolidationId}:${direction}:${entry.id}`,
      partnerId: direction === 'out' ? absorbed.id : survivor.id,
      sourceCode: entry.sourceCode,
      kind: 'transfer',
      points: direction === 'out' ? -entry.net : entry.net,
      evidenceId: entry.evidenceId,
      locationId: entry.locationId ?? absorbedPrimary,
      correctsEntryId: direction === 'out' ? entry.id : null,
      catalogVersionId: entry.catalogVersionId,
      reason:
        direction === 'out' ? `Moved to partner ${survivor.id} by consolidation` : `Moved from partner ${absorbed.id} by consolidation`,
      occurredAt: entry.occurredAt,
      recordedAt: at,
    };
  };
  await tx.pointEntry.createMany({ data: moving.flatMap((entry) => [transfer(entry, 'out'), transfer(entry, 'in')]) });

  const competencies = await tx.partnerCompetency.findMany({ where: { partnerId: { in: ids } } });
  const survivorRows = new Map(competencies.filter((row) => row.partnerId === survivor.id).map((row) => [row.code, row]));
  const absorbedRows = competencies.filter((row) => row.partnerId === absorbed.id);
  const movedCompetencies: string[] = [];
  for (const row of absorbedRows) {
    const held = survivorRows.get(row.code);
    const valid = row.status === 'granted' && row.validUntil !== null && row.validUntil > asOf;
    // A survivor that holds the competency, or is being verified for it, keeps its own.
    if (!valid || (held && LIVE_COMPETENCY.includes(held.status))) continue;
    const id = partnerCompetencyId(survivor.id, row.code);
    const grant = {
      workflowId: competencyWorkflowId(survivor.id, row.code),
      runId: `consolidation:${input.consolidationId}`,
      status: 'granted',
      statusReason: `Granted to partner ${absorbed.id}; moved by consolidation`,
      assessment: row.assessment ?? undefined,
      catalogVersionId: row.catalogVersionId,
      reviewTaskId: row.reviewTaskId,
      requestedBy: row.requestedBy,
      awardEntryId: row.awardEntryId ? (movedEntryIds.get(row.awardEntryId) ?? null) : null,
      grantedAt: row.grantedAt,
      validUntil: row.validUntil,
      updatedAt: at,
    } satisfies Prisma.PartnerCompetencyUncheckedUpdateInput;
    await tx.partnerCompetency.upsert({
      where: { id },
      create: { id, partnerId: survivor.id, code: row.code, createdAt: at, ...grant },
      update: grant,
    });
    movedCompetencies.push(row.code);
  }
  await tx.partnerCompetency.updateMany({
    where: { partnerId: absorbed.id, status: { in: LIVE_COMPETENCY } },
    data: { status: 'consolidated', statusReason: `Partner absorbed into ${survivor.id}`, updatedAt: at },
  });

  await tx.upgradeRequest.updateMany({
    where: { partnerId: absorbed.id, status: { in: LIVE_UPGRADE_STATUSES } },
    data: { status: 'cancelled', statusReason: `Partner absorbed into ${survivor.id}`, updatedAt: at },
  });
  const feeRefunds = await unusedFeeRefunds(tx, absorbed, asOf);

  await tx.partner.update({ where: { id: absorbed.id }, data: { status: 'consolidated', consolidatedIntoId: survivor.id } });
  for (const partnerId of ids) await refreshDirectoryListing(tx, partnerId, at);
  await closeChannelOffersOfDeparted(tx, absorbed.id, at);
  const refunded = feeRefunds.length
    ? { amountMinor: sumMinor(...feeRefunds.map((refund) => minorUnits(refund.amountMinor))), currency: feeRefunds[0].currency }
    : null;
  const moved: ConsolidationMoved = {
    offices: offices.count,
    evidence: evidence,
    duplicateEvidence: duplicateIds.length,
    transferEntries: moving.length,
    points: moving.reduce((sum, entry) => sum + entry.net, 0),
    competencies: movedCompetencies,
    feeCredit: refunded ? { ...refunded, refunds: feeRefunds.length } : null,
  };
  await tx.consolidation.update({
    where: { id: input.consolidationId },
    data: {
      status: 'completed',
      statusReason: null,
      moved: moved as unknown as Prisma.InputJsonValue,
      completedAt: at,
      updatedAt: at,
    },
  });
  await recordAudit(tx, at, [
    {
      dedupeKey: `consolidation:${input.consolidationId}:completed`,
      actor: input.actor,
      entityType: 'consolidation',
      entityId: input.consolidationId,
      action: 'consolidation.completed',
      after: { survivorId: survivor.id, absorbedId: absorbed.id, ...moved },
    },
    {
      dedupeKey: `consolidation:${input.consolidationId}:partner`,
      actor: input.actor,
      entityType: 'partner',
      entityId: absorbed.id,
      action: 'partner.consolidated',
      before: { status: absorbed.status, level: absorbed.level },
      after: { status: 'consolidated', consolidatedIntoId: survivor.id },
    },
  ]);
  return moved;
}

/**
 * What the workflow does after the move, read from the rows the move left, so a retried
 * activity answers the same: the absorbed partner's processes to stop (verifications and grants,
 * upgrades, open invoices), the survivor's waiting verifications to wake, and the fee to refund.
 */
async function followUps(tx: TransactionClient, input: ConsolidationInput, asOf: Date): Promise<Omit<MergedPartners, 'moved'>> {
  const [competencies, upgrades, openInvoices, waitingVerificationIds, absorbed] = await Promise.all([
    tx.partnerCompetency.findMany({ where: { partnerId: input.absorbedId, status: 'consolidated' }, select: { workflowId: true } }),
    tx.upgradeRequest.findMany({ where: { partnerId: input.absorbedId, status: 'cancelled' }, select: { workflowId: true } }),
    openInvoiceWorkflowIds(tx, input.absorbedId),
    verificationsAwaitingEvidence(tx, input.survivorId),
    tx.partner.findUniqueOrThrow({ where: { id: input.absorbedId } }),
  ]);
  return {
    stopWorkflowIds: [...[...competencies, ...upgrades].map((row) => row.workflowId), ...openInvoices],
    waitingVerificationIds,
    feeRefunds: await unusedFeeRefunds(tx, absorbed, asOf),
  };
}

/**
 * The share of each membership fee the absorbed partner paid for its current term that covers
 * the days left in it, against the latest payment applied to that fee. Per the catalog policy
 * it is refunded; an invoice for part of a term (an upgrade) is shared over the days it covered.
 */
async function unusedFeeRefunds(
  tx: TransactionClient,
  partner: { id: string; activatedAt: Date | null },
  asOf: Date,
): Promise<FeeRefund[]> {
  const catalog = await findCatalogInForce(tx, asOf);
  const term = catalog && (await currentTermOf(tx, partner, catalog.rules.termMonths));
  if (!term) return [];
  const paid = await tx.invoice.findMany({
    where: { partnerId: partner.id, purpose: { in: MEMBERSHIP_FEES }, status: 'paid' },
    include: { payments: { where: { kind: 'payment', status: 'applied' }, orderBy: { receivedAt: 'desc' }, take: 1 } },
    orderBy: { issuedAt: 'desc' },
  });
  // The latest annual fee pays for this term; upgrades in it pay for the rest of it.
  const annual = paid.find((invoice) => invoice.purpose !== 'upgrade');
  const invoices = [
    ...(annual ? [annual] : []),
    ...paid.filter((invoice) => invoice.purpose === 'upgrade' && invoice.issuedAt >= term.start),
  ];
  return invoices.flatMap((invoice) => {
    const payment = invoice.payments[0];
    const amountMinor = payment ? unusedFeeShare(invoice, payment.amountMinor, term, asOf) : 0;
    return payment && amountMinor > 0 ? [{ paymentId: payment.id, amountMinor, currency: invoice.currency }] : [];
  });
}
