import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { findCatalogInForce } from '../../../../lib/catalog';
import { minorUnits } from '../../../../domain/money';
import { uuidFromKey } from '../../../../lib/ids';
import { type InvoiceView, toInvoiceView, toPaymentView } from '../../../../lib/invoice-view';
import {
  benefitPurchaseWorkflowId,
  type PaymentEventInput,
  paymentEventWorkflowId,
  type PaymentView,
} from '../../../../workflows/fees/definitions';
import type { benefitPurchaseWorkflow, paymentEventWorkflow } from '../../../../workflows/fees/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { BenefitPurchaseAcceptedDto, ProcessorEventDto, RecordBankTransferDto, WebhookReceiptDto } from './payments.dto';

const RECORDING_WAIT_MS = 10_000;

@Injectable()
export class PaymentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  async listInvoices(principal: Principal, partnerId: string): Promise<InvoiceView[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    if (!(await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { id: true } }))) throw notFound('Partner');
    const invoices = await this.prisma.invoice.findMany({
      where: { partnerId },
      include: { payments: { orderBy: { receivedAt: 'asc' } } },
      orderBy: [{ issuedAt: 'desc' }, { sequence: 'desc' }],
    });
    return invoices.map((invoice) => toInvoiceView(invoice, invoice.payments));
  }

  async getInvoice(principal: Principal, invoiceId: string): Promise<InvoiceView> {
    const invoice = await this.prisma.invoice.findUnique({
      where: { id: invoiceId },
      include: { payments: { orderBy: { receivedAt: 'asc' } } },
    });
    if (!invoice) throw notFound('Invoice');
    assertPartnerAccess(principal, invoice.partnerId, 'Invoice');
    return toInvoiceView(invoice, invoice.payments);
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

  /** An admin records a bank transfer; the Idempotency-Key makes a retried request the same payment. */
  async recordBankTransfer(
    principal: Principal,
    invoiceId: string,
    body: RecordBankTransferDto,
    idempotencyKey: string,
  ): Promise<PaymentView> {
    const invoice = await this.prisma.invoice.findUnique({ where: { id: invoiceId }, select: { id: true } });
    if (!invoice) throw notFound('Invoice');
    const externalId = `bank-transfer:${uuidFromKey(`${invoiceId}|${idempotencyKey}`)}`;
    await this.startPaymentEvent(paymentEventWorkflowId('bank_transfer', uuidFromKey(`${invoiceId}|${idempotencyKey}`)), {
      provider: 'bank_transfer',
      externalId,
      kind: 'payment',
      invoiceId,
      amountMinor: minorUnits(body.amountMinor),
      currency: body.currency,
      reference: body.reference,
      recordedBy: principal.keyId,
    });
    // The workflow records it first thing; answer with the record, whatever its review needs later.
    const deadline = Date.now() + RECORDING_WAIT_MS;
    for (;;) {
      const payment = await this.prisma.payment.findUnique({ where: { provider_externalId: { provider: 'bank_transfer', externalId } } });
      if (payment) return toPaymentView(payment);
      if (Date.now() > deadline)
        throw new ApiError(
          HttpStatus.SERVICE_UNAVAILABLE,
          'payment_not_recorded_yet',
          'The payment is accepted but not recorded yet; repeat the request with the same Idempotency-Key',
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
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
    idempotencyKey?: string,
  ): Promise<BenefitPurchaseAcceptedDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const partner = await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { level: true, status: true } });
    if (!partner) throw notFound('Partner');
    const catalog = await findCatalogInForce(this.prisma, new Date());
    const benefit =
      catalog &&
      (await this.prisma.benefit.findUnique({
        where: { catalogVersionId_code: { catalogVersionId: catalog.catalogVersionId, code: benefitCode } },
      }));
    if (!benefit) throw notFound('Benefit');
    if (!benefit.optional || !benefit.price || partner.status !== 'active' || !benefit.levels.includes(partner.level)) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'benefit_not_offered',
        `${benefit.name} is not for sale to an ${partner.status} ${partner.level} partner`,
        undefined,
        {
          optional: benefit.optional,
          levels: benefit.levels,
        },
      );
    }
    const purchaseId = idempotencyKey ? uuidFromKey(`benefit|${partnerId}|${benefitCode}|${idempotencyKey}`) : randomUUID();
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
