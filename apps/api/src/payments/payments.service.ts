import { HttpStatus, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { benefitOffered } from '#domain/invoices';
import { minorUnits } from '#domain/money';
import { findBenefit } from '#queries/catalog';
import { findInvoice, findPaymentByExternalId, type InvoiceView, listInvoices, type PaymentView } from '#queries/payments';
import {
  benefitPurchaseWorkflowId,
  type PaymentEventInput,
  paymentEventWorkflowId,
  paymentRecordedUpdate,
} from '#workflows/payments/definitions';
import type { benefitPurchaseWorkflow, paymentEventWorkflow } from '#workflows/payments/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { IdempotentRequest } from '../common/idempotent';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import type { BenefitPurchaseAcceptedDto, ProcessorEventDto, RecordBankTransferDto, WebhookReceiptDto } from './payments.dto';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  async listInvoices(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<InvoiceView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listInvoices(this.prisma, partnerId, pageRequest(query)));
  }

  async getInvoice(principal: Principal, invoiceId: string): Promise<InvoiceView> {
    const invoice = await findInvoice(this.prisma, invoiceId);
    if (!invoice) throw notFound('Invoice');
    assertPartnerAccess(principal, invoice.partnerId, 'Invoice');
    return invoice;
  }

  /** Starts one workflow per event id; a redelivery finds it and records nothing new. */
  async receiveProcessorEvent(event: ProcessorEventDto): Promise<WebhookReceiptDto> {
    if (event.type === 'payment.refunded' && !event.data.refundId) {
      throw badRequest('The event is not valid', [
        { field: 'data.refundId', reason: 'is required for payment.refunded', code: 'required' },
      ]);
    }
    const refund = event.type === 'payment.refunded';
    const input: PaymentEventInput = {
      provider: 'processor',
      externalId: refund ? event.data.refundId! : event.data.paymentId,
      kind: refund ? 'refund' : 'payment',
      ...(refund ? { refundsExternalId: event.data.paymentId } : {}),
      ...(event.data.invoiceId ? { invoiceId: event.data.invoiceId } : {}),
      amountMinor: minorUnits(event.data.amountMinor),
      currency: event.data.currency,
      ...(event.data.reference ? { reference: event.data.reference } : {}),
      recordedBy: 'payment-processor',
    };
    const duplicate = !(await this.startPaymentEvent(paymentEventWorkflowId('processor', event.id), input));
    return { eventId: event.id, duplicate };
  }

  /**
   * An admin records a bank transfer; the Idempotency-Key makes a retried request the same
   * payment. Its workflow answers with the payment as recorded (applied, held or returned),
   * whatever its review needs later; once that workflow has ended, the record answers.
   */
  async recordBankTransfer(
    principal: Principal,
    invoiceId: string,
    body: RecordBankTransferDto,
    idempotency: IdempotentRequest,
  ): Promise<PaymentView> {
    if (!(await findInvoice(this.prisma, invoiceId))) throw notFound('Invoice');
    const transferKey = await idempotency.requestId();
    const externalId = `bank-transfer:${transferKey}`;
    const workflowId = paymentEventWorkflowId('bank_transfer', transferKey);
    await this.startPaymentEvent(workflowId, {
      provider: 'bank_transfer',
      externalId,
      kind: 'payment',
      invoiceId,
      amountMinor: minorUnits(body.amountMinor),
      currency: body.currency,
      reference: body.reference,
      recordedBy: principal.keyId,
    });
    try {
      return await this.temporal.update(workflowId, paymentRecordedUpdate, []);
    } catch (error) {
      // The workflow ended before it could answer (a repeat of a settled transfer): the record answers.
      if (!(error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError)) throw error;
      const payment = await findPaymentByExternalId(this.prisma, 'bank_transfer', externalId);
      if (!payment)
        throw new ApiError(
          HttpStatus.SERVICE_UNAVAILABLE,
          'payment_not_recorded',
          'The transfer could not be recorded; repeat the request',
        );
      return payment;
    }
  }

  /**
   * Buys an optional benefit for a year: refused at once unless the partner's level may buy it;
   * otherwise a purchase workflow invoices it. The Idempotency-Key makes a retry the same purchase.
   */
  async purchaseBenefit(
    principal: Principal,
    partnerId: string,
    benefitCode: string,
    idempotency: IdempotentRequest,
  ): Promise<BenefitPurchaseAcceptedDto> {
    const partner = await this.access.requirePartner(principal, partnerId);
    const catalog = await this.catalog.inForce();
    const benefit = await findBenefit(this.prisma, catalog.catalogVersionId, benefitCode);
    if (!benefit) throw notFound('Benefit');
    if (!benefitOffered(benefit, partner)) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'benefit_not_offered',
        `${benefit.name} is not for sale to an ${partner.status} ${partner.level} partner`,
        undefined,
        { optional: benefit.optional, levels: benefit.levels },
      );
    }
    const purchaseId = await idempotency.requestId();
    const workflowId = benefitPurchaseWorkflowId(partnerId, purchaseId);
    await this.temporal.startOnce<typeof benefitPurchaseWorkflow>('benefitPurchaseWorkflow', workflowId, [
      { purchaseId, partnerId, benefitCode, requestedBy: principal.keyId },
    ]);
    return { purchaseId, workflowId, status: 'invoicing' };
  }

  /** Answers false when the event was already taken. */
  private startPaymentEvent(workflowId: string, input: PaymentEventInput): Promise<boolean> {
    return this.temporal.startOnce<typeof paymentEventWorkflow>('paymentEventWorkflow', workflowId, [input]);
  }
}
