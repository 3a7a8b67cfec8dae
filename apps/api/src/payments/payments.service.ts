import { HttpStatus, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { minorUnits } from '../../../../domain/money';
import { uuidFromKey } from '../../../../lib/ids';
import { type InvoiceView, toInvoiceView, toPaymentView } from '../../../../lib/invoice-view';
import { type PaymentEventInput, paymentEventWorkflowId, type PaymentView } from '../../../../workflows/fees/definitions';
import type { paymentEventWorkflow } from '../../../../workflows/fees/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ProcessorEventDto, RecordBankTransferDto, WebhookReceiptDto } from './payments.dto';

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

  /** Answers false when the event was already taken. */
  private async startPaymentEvent(workflowId: string, input: PaymentEventInput): Promise<boolean> {
    try {
      await this.temporal.client.workflow.start<typeof paymentEventWorkflow>('paymentEventWorkflow', {
        workflowId,
        taskQueue: this.temporal.taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }
}
