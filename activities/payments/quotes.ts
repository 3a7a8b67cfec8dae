import { ApplicationFailure } from '@temporalio/activity';
import type { FeePaymentRules, LevelCode } from '../../domain/catalog';
import {
  annualFeeInvoice,
  benefitInvoice,
  benefitOffered,
  type InvoiceDraft,
  type InvoicePurpose,
  upgradeInvoice,
} from '../../domain/invoices';
import { daysOfTerm } from '../../domain/terms';
import { findBenefit, findCatalogInForce } from '../../queries/catalog';
import { currentTermOf } from '../../queries/terms';
import { BENEFIT_NOT_OFFERED, type BenefitPurchaseInput } from '../../workflows/payments/definitions';
import { recordAudit } from '../../lib/audit';
import type { ActivityDeps } from '../deps';

export interface FeeQuote {
  draft: InvoiceDraft | null;
  catalogVersionId: string;
  rules: FeePaymentRules;
}

/** What a partner owes, under the catalog in force: a level's fee, an upgrade's difference, an optional benefit. */
export function createQuoteActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * What the partner owes for a level under the catalog in force: the annual fee, or for an
     * upgrade the prorated difference for the days left in its current term.
     */
    async quoteFee(input: { partnerId: string; purpose: InvoicePurpose; level: LevelCode; asOf: string }): Promise<FeeQuote> {
      const asOf = new Date(input.asOf);
      const catalog = await findCatalogInForce(prisma, asOf);
      const partner = await prisma.partner.findUnique({
        where: { id: input.partnerId },
        include: { locations: { where: { removedAt: null }, select: { isPrimary: true } } },
      });
      if (!catalog || !partner)
        throw ApplicationFailure.nonRetryable(`Partner ${input.partnerId} or the catalog is missing`, 'PartnerNotFound');
      const level = catalog.levels.find((candidate) => candidate.code === input.level)!;
      const additionalOffices = partner.locations.filter((location) => !location.isPrimary).length;
      let draft = annualFeeInvoice(level, partner.country, additionalOffices);
      const current = catalog.levels.find((candidate) => candidate.code === partner.level);
      const term = input.purpose === 'upgrade' && current ? await currentTermOf(prisma, partner, catalog.rules.termMonths) : null;
      if (current && term) draft = upgradeInvoice(current, level, partner.country, daysOfTerm(term, asOf));
      return { draft, catalogVersionId: catalog.catalogVersionId, rules: catalog.rules.feePayment };
    },

    /** The invoice for an optional benefit the partner's level may buy; refused otherwise. */
    async quoteBenefit(input: { partnerId: string; benefitCode: string; asOf: string }): Promise<FeeQuote & { draft: InvoiceDraft }> {
      const catalog = await findCatalogInForce(prisma, new Date(input.asOf));
      const partner = await prisma.partner.findUnique({ where: { id: input.partnerId }, select: { level: true, status: true } });
      const benefit = catalog && (await findBenefit(prisma, catalog.catalogVersionId, input.benefitCode));
      if (!catalog || !partner || !benefit)
        throw ApplicationFailure.nonRetryable(`No benefit ${input.benefitCode} for this partner`, BENEFIT_NOT_OFFERED);
      const draft = benefitInvoice(benefit);
      if (!draft || !benefitOffered(benefit, partner)) {
        throw ApplicationFailure.nonRetryable(
          `${benefit.name} is not for sale to an ${partner.status} ${partner.level} partner`,
          BENEFIT_NOT_OFFERED,
        );
      }
      return { draft, catalogVersionId: catalog.catalogVersionId, rules: catalog.rules.feePayment };
    },

    /** The purchase on record once paid; its paid invoice is the proof of the year's entitlement. */
    async recordBenefitPurchase(input: BenefitPurchaseInput & { invoiceId: string }): Promise<void> {
      const at = clock.now();
      await prisma.$transaction((tx) =>
        recordAudit(tx, at, [
          {
            dedupeKey: `benefit-purchase:${input.purchaseId}`,
            actor: input.requestedBy,
            entityType: 'partner',
            entityId: input.partnerId,
            action: 'benefit.purchased',
            after: { benefitCode: input.benefitCode, invoiceId: input.invoiceId, purchaseId: input.purchaseId },
          },
        ]),
      );
    },
  };
}
