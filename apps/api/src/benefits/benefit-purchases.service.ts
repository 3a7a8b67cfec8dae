import { HttpStatus, Injectable } from '@nestjs/common';
import { type BenefitQuote, quoteBenefitPurchase } from '#queries/benefits';
import { benefitPurchaseWorkflowId } from '#workflows/payments/definitions';
import type { benefitPurchaseWorkflow } from '#workflows/payments/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, notFound } from '../common/api-error';
import type { IdempotentRequest } from '../common/idempotent';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { BenefitPurchaseAcceptedDto, BenefitPurchaseRequestDto, BenefitQuoteDto } from './benefits.dto';

@Injectable()
export class BenefitPurchasesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * Buys an optional benefit for the term in force, at the partner's price: refused at once when
   * it is not for sale to the partner (422) or its subscription is held or being bought this term
   * (409 `subscription_active`); otherwise a purchase workflow reserves, invoices and, once paid,
   * grants it (re-checking under a lock). The Idempotency-Key makes a retry the same purchase.
   */
  async purchase(
    principal: Principal,
    partnerId: string,
    benefitCode: string,
    body: BenefitPurchaseRequestDto,
    idempotency: IdempotentRequest,
  ): Promise<BenefitPurchaseAcceptedDto> {
    const quote = await this.offered(principal, partnerId, benefitCode);
    const purchaseId = await idempotency.requestId();
    const autoRenew = body.autoRenew ?? false;
    const workflowId = benefitPurchaseWorkflowId(partnerId, purchaseId);
    if (quote.outcome === 'subscription_active') {
      // A repeat of the purchase that holds it answers that purchase.
      const repeated = await this.prisma.benefitPurchase.findUnique({ where: { id: purchaseId } });
      if (!repeated || repeated.partnerId !== partnerId) throw subscriptionActive(quote.benefit.name, benefitCode);
      return { purchaseId, workflowId, status: repeated.status, autoRenew: repeated.autoRenew };
    }
    await this.temporal.startOnce<typeof benefitPurchaseWorkflow>('benefitPurchaseWorkflow', workflowId, [
      { purchaseId, partnerId, benefitCode, requestedBy: principal.keyId, autoRenew },
    ]);
    return { purchaseId, workflowId, status: 'invoicing', autoRenew };
  }

  /** What buying it would cost now, and the invoice lines that would state it; refused as a purchase would be. */
  async quote(principal: Principal, partnerId: string, benefitCode: string): Promise<BenefitQuoteDto> {
    const quote = await this.offered(principal, partnerId, benefitCode);
    if (quote.outcome === 'subscription_active') throw subscriptionActive(quote.benefit.name, benefitCode);
    const { draft } = quote;
    return {
      benefitCode,
      name: quote.benefit.name,
      termNumber: quote.term.termNumber,
      validUntil: quote.term.end.toISOString(),
      price: quote.price,
      currency: draft.currency,
      lines: draft.lines,
      subtotalMinor: draft.subtotalMinor,
      taxRateBps: draft.taxRateBps,
      taxMinor: draft.taxMinor,
      totalMinor: draft.totalMinor,
      purchase: `/v1/partners/${partnerId}/benefits/${benefitCode}/purchases`,
    };
  }

  /** The partner's quote for the benefit: 404 for an unknown benefit, 422 for one not for sale to it. */
  private async offered(
    principal: Principal,
    partnerId: string,
    benefitCode: string,
  ): Promise<Exclude<BenefitQuote, { outcome: 'not_offered' }>> {
    const partner = await this.access.requirePartner(principal, partnerId);
    await this.catalog.inForce();
    const quote = await quoteBenefitPurchase(this.prisma, partnerId, benefitCode, new Date());
    if (quote.outcome !== 'not_offered') return quote;
    if (!quote.benefit) throw notFound('Benefit');
    throw new ApiError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'benefit_not_offered',
      `${quote.benefit.name} is not for sale to an ${partner.status} ${partner.level} partner`,
      undefined,
      { optional: quote.benefit.optional, levels: quote.benefit.levels },
    );
  }
}

const subscriptionActive = (name: string, benefitCode: string) =>
  new ApiError(
    HttpStatus.CONFLICT,
    'subscription_active',
    `The partner already holds ${name} for its current term, or is buying it`,
    undefined,
    { benefitCode },
  );
