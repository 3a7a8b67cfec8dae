import { consumptionOrder, entitlementKey, entitlementsFor, type UseRefusal, useRefusal } from '../domain/benefits';
import type { LevelCode } from '../domain/catalog';
import { scheduleDayMs, termTiming } from '../domain/renewal';
import { entitlementsToUse, toIssuedLicenseKeyView, toSupportIncidentView } from '../queries/benefits';
import type { CatalogInForce } from '../queries/catalog';
import type {
  LicenseKeyInput,
  LicenseKeyIssue,
  SupportIncidentInput,
  SupportIncidentOpening,
  SupportIncidentTransition,
} from '../workflows/benefits/definitions';
import { recordAudit } from '../lib/audit';
import type { Prisma, TransactionClient } from '../lib/database';
import { uuidFromKey } from '../lib/ids';
import type { ActivityDeps } from './deps';

/** Memberships in these statuses give nothing any more. */
const ENDED_MEMBERSHIPS = ['withdrawn', 'lapsed', 'consolidated'];

export const entitlementId = (partnerId: string, termNumber: number, key: string): string =>
  uuidFromKey(`entitlement|${partnerId}|${termNumber}|${key}`);

/**
 * The entitlement rows of a membership term, written inside the transactions of the activities
 * that change what the partner holds (a term start, a level change, a competency or designation
 * granted). Every row is keyed by term, benefit and source, so a retried or replayed step grants
 * nothing twice; usage lives on the row, so a new term starts from zero.
 */
export function createEntitlementGrants(membershipTermMinutes?: number) {
  return {
    /**
     * Brings the current term's entitlements in line with what the partner holds at `asOf`: what
     * its level, competencies and designations include and it does not hold yet is granted, valid
     * from `asOf` to the term end (online access: through the grace period after it); what they no
     * longer include ends (a level left, a competency revoked). A counted benefit a higher level
     * gives more of is raised, never lowered. Rows of earlier terms end here, with their license
     * keys. Purchases are left alone: they end with their term. Answers the grants' keys.
     */
    async syncTermEntitlements(
      tx: TransactionClient,
      input: { partnerId: string; asOf: Date; catalog: CatalogInForce },
    ): Promise<string[]> {
      const { partnerId, asOf, catalog } = input;
      const membership = await tx.membership.findUnique({ where: { partnerId } });
      if (!membership || ENDED_MEMBERSHIPS.includes(membership.status)) return [];
      const [competencies, designations] = await Promise.all([
        tx.partnerCompetency.findMany({
          where: { partnerId, status: 'granted', validUntil: { gt: asOf } },
          select: { code: true },
        }),
        tx.partnerDesignation.findMany({
          where: { partnerId, status: 'granted', validUntil: { gt: asOf } },
          select: { code: true },
        }),
      ]);
      const grants = entitlementsFor(catalog.benefits, {
        level: membership.level as LevelCode,
        competencies: competencies.map((row) => row.code),
        designations: designations.map((row) => row.code),
      });
      const dayMs = scheduleDayMs(termTiming(catalog.rules.termMonths, membershipTermMinutes));
      const graceUntil = new Date(membership.termEnd.getTime() + catalog.rules.onlineBenefitsGraceDays * dayMs);
      const { termNumber } = membership;
      await endEntitlements(tx, { partnerId, at: asOf, reason: 'term-ended', where: { termNumber: { lt: termNumber } } });
      const granted = new Set(grants.map((grant) => entitlementId(partnerId, termNumber, entitlementKey(grant))));
      const held = await tx.entitlement.findMany({
        where: { partnerId, termNumber, endedAt: null, source: { not: 'purchase' } },
        select: { id: true },
      });
      const noLongerIncluded = held.filter((row) => !granted.has(row.id)).map((row) => row.id);
      if (noLongerIncluded.length) {
        await endEntitlements(tx, { partnerId, at: asOf, reason: 'no-longer-included', where: { id: { in: noLongerIncluded } } });
      }
      await tx.entitlement.createMany({
        data: grants.map((grant) => ({
          id: entitlementId(partnerId, termNumber, entitlementKey(grant)),
          partnerId,
          termNumber,
          ...grant,
          validFrom: asOf,
          validUntil: membership.termEnd,
          graceUntil: grant.online ? graceUntil : null,
          catalogVersionId: catalog.catalogVersionId,
          createdAt: asOf,
        })),
        skipDuplicates: true,
      });
      for (const grant of grants) {
        if (grant.quantity === null) continue;
        await tx.entitlement.updateMany({
          where: { id: entitlementId(partnerId, termNumber, entitlementKey(grant)), quantity: { lt: grant.quantity } },
          data: { quantity: grant.quantity },
        });
      }
      return grants.map(entitlementKey);
    },
  };
}

/** Ends what is still running among a partner's entitlements, and revokes the license keys issued from them. */
export async function endEntitlements(
  tx: TransactionClient,
  input: { partnerId: string; at: Date; reason: string; where?: Prisma.EntitlementWhereInput },
): Promise<void> {
  const where = { partnerId: input.partnerId, endedAt: null, ...input.where };
  const ending = await tx.entitlement.findMany({ where, select: { id: true } });
  if (!ending.length) return;
  const ids = ending.map((row) => row.id);
  await tx.entitlement.updateMany({ where: { id: { in: ids } }, data: { endedAt: input.at, endReason: input.reason } });
  await tx.licenseKey.updateMany({ where: { entitlementId: { in: ids }, revokedAt: null }, data: { revokedAt: input.at } });
}

/**
 * Takes one unit of a benefit for a use, inside the caller's transaction: from the first of the
 * partner's entitlements to it in the term in force that is usable and has units left (the level's,
 * then the competencies'). The UPDATE itself is guarded by `used < quantity` (and the table's CHECK
 * backs it), so concurrent uses queue on the row and never take more units than there are.
 */
async function takeUnit(
  tx: TransactionClient,
  input: { partnerId: string; benefitCode: string },
  asOf: Date,
): Promise<{ entitlementId: string } | { refusal: UseRefusal }> {
  const rows = await entitlementsToUse(tx, input.partnerId, input.benefitCode, asOf);
  for (const row of consumptionOrder(rows, asOf)) {
    const { count } = await tx.entitlement.updateMany({
      where: { id: row.id, endedAt: null, used: { lt: tx.entitlement.fields.quantity } },
      data: { used: { increment: 1 } },
    });
    if (count === 1) return { entitlementId: row.id };
  }
  return { refusal: useRefusal(rows, asOf) };
}

/**
 * Uses of counted and license benefits: each takes its unit and records what it produced in one
 * transaction, keyed by the use's id, so a retry answers what the first attempt did and never
 * takes a second unit.
 */
export function createBenefitUseActivities({ prisma, clock }: ActivityDeps) {
  return {
    /** Opens a support incident on one unit of a counted benefit, or answers why there is none. */
    async openSupportIncident(input: SupportIncidentInput & { workflowId: string }): Promise<SupportIncidentOpening> {
      const at = clock.now();
      return prisma.$transaction(async (tx): Promise<SupportIncidentOpening> => {
        const opened = await tx.supportIncident.findUnique({ where: { id: input.incidentId } });
        if (opened) return { outcome: 'used', produced: toSupportIncidentView(opened) };
        const taken = await takeUnit(tx, input, at);
        if ('refusal' in taken) return { outcome: taken.refusal };
        const incident = await tx.supportIncident.create({
          data: {
            id: input.incidentId,
            partnerId: input.partnerId,
            entitlementId: taken.entitlementId,
            benefitCode: input.benefitCode,
            workflowId: input.workflowId,
            subject: input.subject,
            description: input.description,
            product: input.product,
            status: 'open',
            openedBy: input.requestedBy,
            createdAt: at,
            updatedAt: at,
          },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `support-incident:${incident.id}:opened`,
            actor: input.requestedBy,
            entityType: 'support_incident',
            entityId: incident.id,
            action: 'support_incident.opened',
            after: { partnerId: input.partnerId, benefitCode: input.benefitCode, entitlementId: taken.entitlementId },
          },
        ]);
        return { outcome: 'used', produced: toSupportIncidentView(incident) };
      });
    },

    /** Moves an incident one step (open to in_progress, in_progress to resolved); a retry finds it moved. */
    async transitionSupportIncident(transition: SupportIncidentTransition) {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const moved = transition.to === 'in_progress' ? { startedAt: at } : { resolvedAt: at, resolution: transition.resolution ?? null };
        const { count } = await tx.supportIncident.updateMany({
          where: { id: transition.incidentId, status: transition.from },
          data: { status: transition.to, updatedAt: at, ...moved },
        });
        if (count) {
          await recordAudit(tx, at, [
            {
              dedupeKey: `support-incident:${transition.incidentId}:${transition.to}`,
              actor: transition.actor,
              entityType: 'support_incident',
              entityId: transition.incidentId,
              action: transition.to === 'in_progress' ? 'support_incident.started' : 'support_incident.resolved',
              before: { status: transition.from },
              after: { status: transition.to, ...(transition.resolution ? { resolution: transition.resolution } : {}) },
            },
          ]);
        }
        return toSupportIncidentView(await tx.supportIncident.findUniqueOrThrow({ where: { id: transition.incidentId } }));
      });
    },

    /** Puts a license key on record (its hash, never the key) on one unit of a license benefit, or answers why there is none. */
    async issueLicenseKey(input: LicenseKeyInput): Promise<LicenseKeyIssue> {
      const at = clock.now();
      return prisma.$transaction(async (tx): Promise<LicenseKeyIssue> => {
        const issued = await tx.licenseKey.findUnique({ where: { id: input.licenseKeyId } });
        if (issued) return { outcome: 'used', produced: { ...toIssuedLicenseKeyView(issued), keyHash: issued.hash } };
        const taken = await takeUnit(tx, input, at);
        if ('refusal' in taken) return { outcome: taken.refusal };
        const key = await tx.licenseKey.create({
          data: {
            id: input.licenseKeyId,
            partnerId: input.partnerId,
            entitlementId: taken.entitlementId,
            benefitCode: input.benefitCode,
            hash: input.keyHash,
            lastChars: input.lastChars,
            note: input.note,
            issuedBy: input.requestedBy,
            issuedAt: at,
          },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `license-key:${key.id}:issued`,
            actor: input.requestedBy,
            entityType: 'license_key',
            entityId: key.id,
            action: 'license_key.issued',
            after: {
              partnerId: input.partnerId,
              benefitCode: input.benefitCode,
              entitlementId: taken.entitlementId,
              lastChars: key.lastChars,
            },
          },
        ]);
        return { outcome: 'used', produced: { ...toIssuedLicenseKeyView(key), keyHash: key.hash } };
      });
    },
  };
}
