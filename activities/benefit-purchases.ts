import { ApplicationFailure } from '@temporalio/activity';
import { entitlementKey } from '../domain/benefits';
import { benefitOffered } from '../domain/invoices';
import { scheduleDayMs, termTiming } from '../domain/renewal';
import { quoteBenefitPurchase } from '../queries/benefits';
import { findBenefit, findCatalogInForce } from '../queries/catalog';
import {
  BENEFIT_NOT_OFFERED,
  type BenefitPurchaseInput,
  type BenefitPurchaseRenewal,
  type BenefitPurchaseReservation,
  SUBSCRIPTION_ACTIVE,
} from '../workflows/payments/definitions';
import { recordAudit } from '../lib/audit';
import type { TransactionClient } from '../lib/database';
import { uuidFromKey } from '../lib/ids';
import { entitlementId } from './benefits';
import type { ActivityDeps } from './deps';

/** Memberships in these statuses give nothing any more. */
const ENDED_MEMBERSHIPS = ['withdrawn', 'lapsed', 'consolidated'];

/** Purchases of one benefit by one partner queue on this lock: the duplicate check and the record it guards are one step. */
const lockPurchasesOf = (tx: TransactionClient, partnerId: string, benefitCode: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`benefit-purchase:${partnerId}:${benefitCode}`}))`;

/** The id of the purchase that renews `purchaseId` for the next term: one per purchase, whatever retries or replays. */
export const renewalPurchaseId = (purchaseId: string): string => uuidFromKey(`benefit-purchase-renewal|${purchaseId}`);

/**
 * The auto-renewing purchases of the term before `termNumber` that its start renews: paid, bought
 * with auto-renew, not renewed yet, and still for sale to the partner under the catalog in force.
 * Read inside the term start's transaction; the membership workflow starts one purchase for each.
 */
export async function purchaseRenewalsDue(
  tx: TransactionClient,
  input: { partnerId: string; termNumber: number; asOf: Date },
): Promise<BenefitPurchaseRenewal[]> {
  const due = await tx.benefitPurchase.findMany({
    where: { partnerId: input.partnerId, termNumber: input.termNumber - 1, status: 'paid', autoRenew: true },
    orderBy: [{ benefitCode: 'asc' }, { id: 'asc' }],
  });
  if (!due.length) return [];
  const [catalog, partner, renewed] = await Promise.all([
    findCatalogInForce(tx, input.asOf),
    tx.partner.findUnique({ where: { id: input.partnerId }, select: { status: true, level: true } }),
    tx.benefitPurchase.findMany({ where: { renewalOf: { in: due.map((row) => row.id) } }, select: { renewalOf: true } }),
  ]);
  if (!catalog || !partner) return [];
  const done = new Set(renewed.map((row) => row.renewalOf));
  return due.flatMap((purchase) => {
    const benefit = catalog.benefits.find((candidate) => candidate.code === purchase.benefitCode);
    if (done.has(purchase.id) || !benefit || !benefitOffered(benefit, partner)) return [];
    return [
      { purchaseId: renewalPurchaseId(purchase.id), benefitCode: purchase.benefitCode, requestedBy: 'system', renewalOf: purchase.id },
    ];
  });
}

/**
 * Purchases of optional benefits: reserved (priced and checked) before they are invoiced, then
 * completed once paid, in one transaction each and keyed by the purchase id, so a retry answers what
 * the first attempt did.
 */
export function createBenefitPurchaseActivities({ prisma, clock, membershipTermMinutes }: ActivityDeps) {
  return {
    /**
     * Prices the purchase under the catalog in force (member price, competency saving, proration
     * for the days left in the term in force) and puts it on record as `invoicing`, under the lock
     * of the partner's purchases of the benefit: a second purchase while one is in flight, or while
     * the term's subscription runs, is refused (`SubscriptionActive`), as is a benefit not for sale
     * to it (`BenefitNotOffered`). A retry finds its reservation and answers it.
     */
    async reserveBenefitPurchase(
      input: BenefitPurchaseInput & { invoiceId: string; workflowId: string; asOf: string },
    ): Promise<BenefitPurchaseReservation> {
      const asOf = new Date(input.asOf);
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        await lockPurchasesOf(tx, input.partnerId, input.benefitCode);
        const reserved = await tx.benefitPurchase.findUnique({ where: { id: input.purchaseId } });
        if (reserved) {
          // The record keeps the price beside what the workflow was answered; a retry answers the same.
          const { price: _price, ...answered } = reserved.pricing as unknown as BenefitPurchaseReservation & { price: unknown };
          return answered;
        }
        const quote = await quoteBenefitPurchase(tx, input.partnerId, input.benefitCode, asOf);
        if (quote.outcome === 'not_offered') {
          throw ApplicationFailure.nonRetryable(`${input.benefitCode} is not for sale to this partner`, BENEFIT_NOT_OFFERED);
        }
        if (quote.outcome === 'subscription_active') {
          throw ApplicationFailure.nonRetryable(
            `${quote.benefit.name} is already subscribed for this term, or being bought`,
            SUBSCRIPTION_ACTIVE,
          );
        }
        const reservation: BenefitPurchaseReservation = {
          draft: quote.draft,
          catalogVersionId: quote.catalog.catalogVersionId,
          rules: quote.catalog.rules.feePayment,
          termNumber: quote.term.termNumber,
          validUntil: quote.term.end.toISOString(),
        };
        await tx.benefitPurchase.create({
          data: {
            id: input.purchaseId,
            partnerId: input.partnerId,
            benefitCode: input.benefitCode,
            workflowId: input.workflowId,
            termNumber: quote.term.termNumber,
            status: 'invoicing',
            autoRenew: input.autoRenew ?? false,
            renewalOf: input.renewalOf ?? null,
            invoiceId: input.invoiceId,
            priceMinor: quote.price.amountMinor,
            currency: quote.price.currency,
            pricing: { ...reservation, price: quote.price } as object,
            validUntil: quote.term.end,
            catalogVersionId: quote.catalog.catalogVersionId,
            requestedBy: input.requestedBy,
            createdAt: at,
            updatedAt: at,
          },
        });
        return reservation;
      });
    },

    /**
     * The purchase paid: in one transaction it is recorded `paid` with its audit event, and its
     * subscription entitlement (source `purchase`, its id the purchase's) is granted from `asOf` until
     * the end of the term it was bought for (online access: through the grace period after it). A
     * membership that ended meanwhile gets it ended at once. A retry finds it done.
     */
    async completeBenefitPurchase(input: { purchaseId: string; asOf: string }): Promise<{ entitlementId: string }> {
      const asOf = new Date(input.asOf);
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const { partnerId, benefitCode } = await tx.benefitPurchase.findUniqueOrThrow({ where: { id: input.purchaseId } });
        await lockPurchasesOf(tx, partnerId, benefitCode);
        const purchase = await tx.benefitPurchase.findUniqueOrThrow({ where: { id: input.purchaseId } });
        if (purchase.status === 'paid' && purchase.entitlementId) return { entitlementId: purchase.entitlementId };
        const [catalog, benefit, membership] = await Promise.all([
          findCatalogInForce(tx, asOf),
          findBenefit(tx, purchase.catalogVersionId!, benefitCode),
          tx.membership.findUnique({ where: { partnerId }, select: { status: true } }),
        ]);
        const validUntil = purchase.validUntil!;
        const online = benefit?.online ?? false;
        const graceDays = catalog?.rules.onlineBenefitsGraceDays ?? 0;
        const dayMs = catalog ? scheduleDayMs(termTiming(catalog.rules.termMonths, membershipTermMinutes)) : 0;
        const ended = membership && ENDED_MEMBERSHIPS.includes(membership.status) ? membership.status : null;
        const id = entitlementId(
          partnerId,
          purchase.termNumber,
          entitlementKey({ benefitCode, source: 'purchase', sourceRef: purchase.id }),
        );
        await tx.entitlement.createMany({
          data: [
            {
              id,
              partnerId,
              termNumber: purchase.termNumber,
              benefitCode,
              stage: benefit?.stage ?? 'enable',
              kind: benefit?.kind ?? 'subscription',
              source: 'purchase',
              sourceRef: purchase.id,
              quantity: null,
              online,
              validFrom: asOf,
              validUntil,
              graceUntil: online ? new Date(validUntil.getTime() + graceDays * dayMs) : null,
              endedAt: ended ? asOf : null,
              endReason: ended,
              catalogVersionId: purchase.catalogVersionId!,
              createdAt: asOf,
            },
          ],
          skipDuplicates: true,
        });
        await tx.benefitPurchase.update({
          where: { id: purchase.id },
          data: { status: 'paid', paidAt: asOf, entitlementId: id, updatedAt: at },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `benefit-purchase:${purchase.id}`,
            actor: purchase.requestedBy,
            entityType: 'partner',
            entityId: partnerId,
            action: 'benefit.purchased',
            after: {
              benefitCode,
              invoiceId: purchase.invoiceId,
              purchaseId: purchase.id,
              entitlementId: id,
              termNumber: purchase.termNumber,
              validUntil: validUntil.toISOString(),
              priceMinor: purchase.priceMinor,
              autoRenew: purchase.autoRenew,
              ...(purchase.renewalOf ? { renewalOf: purchase.renewalOf } : {}),
            },
          },
        ]);
        return { entitlementId: id };
      });
    },

    /** The purchase's invoice went void unpaid: it is no longer in flight, and gives nothing. */
    async closeBenefitPurchase(input: { purchaseId: string }): Promise<void> {
      const at = clock.now();
      await prisma.benefitPurchase.updateMany({
        where: { id: input.purchaseId, status: 'invoicing' },
        data: { status: 'void', closedAt: at, updatedAt: at },
      });
    },
  };
}
