import { entitlementKey, entitlementsFor } from '../domain/benefits';
import type { LevelCode } from '../domain/catalog';
import { scheduleDayMs, termTiming } from '../domain/renewal';
import type { CatalogInForce } from '../queries/catalog';
import type { Prisma, TransactionClient } from '../lib/database';
import { uuidFromKey } from '../lib/ids';

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
