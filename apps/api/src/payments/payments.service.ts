import { HttpStatus, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { minorUnits } from '#domain/money';
import { findInvoice, findPaymentByExternalId, type InvoiceView, listInvoices, type PaymentView } from '#queries/payments';
import { type PaymentEventInput, paymentEventWorkflowId, paymentRecordedUpdate } from '#workflows/payments/definitions';
import type { paymentEventWorkflow } from '#workflows/payments/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { IdempotentRequest } from '../common/idempotent';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import type { ProcessorEventDto, RecordBankTransferDto, WebhookReceiptDto } from './payments.dto';

@Injectable()
export class PaymentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
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

  /** Answers false when the event was already taken. */
  private startPaymentEvent(workflowId: string, input: PaymentEventInput): Promise<boolean> {
    return this.temporal.startOnce<typeof paymentEventWorkflow>('paymentEventWorkflow', workflowId, [input]);
  }
}
