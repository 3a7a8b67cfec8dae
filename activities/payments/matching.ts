import { randomUUID } from 'node:crypto';
import { paymentMismatch } from '../../domain/invoices';
import { formatMoney, minorUnits, subtractMinor } from '../../domain/money';
import type { TransactionClient } from '../../lib/database';
import { OPEN_INVOICE_STATUSES, toPaymentView } from '../../queries/payments';
import type { PaymentEventInput, PaymentStatus, RecordedPayment } from '../../workflows/payments/definitions';
import { recordAudit } from '../../lib/audit';
import type { ActivityDeps } from '../deps';
import { applyToInvoice, lockInvoice } from './invoices';
import { bookRefund } from './refunds';

/** What becomes of a new payment or refund, decided with its invoice locked. */
interface Match {
  status: PaymentStatus;
  reason: string | null;
  invoiceId: string | null;
  /** The fee-payment workflow whose invoice this payment covered. */
  settled: string | null;
  next: RecordedPayment['next'];
}

/**
 * The fate of a payment event, in the transaction that records it:
 * - a payment that matches the balance of an open invoice is applied;
 * - one in another currency or for another amount is held for review; one for a void invoice,
 *   or for no invoice at all, is returned;
 * - a refund returns its payment, or, arriving first, waits for it and returns it on arrival.
 */
async function matchPayment(tx: TransactionClient, input: PaymentEventInput, at: Date): Promise<Match> {
  const original =
    input.kind === 'refund' && input.refundsExternalId
      ? await tx.payment.findUnique({ where: { provider_externalId: { provider: input.provider, externalId: input.refundsExternalId } } })
      : null;
  const invoiceId = input.invoiceId ?? original?.invoiceId ?? null;
  const invoice = invoiceId ? await lockInvoice(tx, invoiceId) : null;
  const match = (status: PaymentStatus, reason: string | null = null, next: Match['next'] = 'none'): Match => ({
    status,
    reason,
    invoiceId,
    settled: null,
    next,
  });

  if (input.kind === 'refund') {
    if (!original) return match('pending_match', 'The refunded payment has not arrived yet');
    await bookRefund(tx, { payment: original, amountMinor: input.amountMinor, note: `Refunded by ${input.externalId}`, at });
    return match('applied');
  }
  const pendingRefund = await tx.payment.findFirst({
    where: { provider: input.provider, refundsExternalId: input.externalId, status: 'pending_match' },
  });
  if (pendingRefund) {
    await tx.payment.update({ where: { id: pendingRefund.id }, data: { status: 'applied', statusReason: null, invoiceId, updatedAt: at } });
    return match('refunded', `Refunded by ${pendingRefund.externalId}, which arrived first`);
  }
  if (!invoice) return match('held', 'No invoice matches this payment; it is returned', 'refund');
  if (invoice.status === 'void' || invoice.status === 'refunded') {
    return match('held', `The invoice is ${invoice.status}; the payment is returned`, 'refund');
  }
  const due = { amountMinor: subtractMinor(minorUnits(invoice.totalMinor), minorUnits(invoice.paidMinor)), currency: invoice.currency };
  const mismatch = paymentMismatch({ balanceMinor: due.amountMinor, currency: due.currency }, input);
  if (mismatch) {
    const reason =
      mismatch === 'currency'
        ? `Paid in ${input.currency}; the invoice is in ${invoice.currency}`
        : `Paid ${formatMoney(input)}; the balance due is ${formatMoney(due)}`;
    return match('held', reason, 'review');
  }
  const covered = await applyToInvoice(tx, invoice, input.amountMinor, at);
  return { ...match('applied'), settled: covered ? invoice.workflowId : null };
}

/** Payments and refunds as they arrive, each recorded once, and a reviewer's decision on a held one. */
export function createMatchingActivities({ prisma, clock }: ActivityDeps) {
  async function recorded(
    paymentId: string,
    settledInvoiceWorkflowId: string | null,
    next: RecordedPayment['next'],
  ): Promise<RecordedPayment> {
    const payment = await prisma.payment.findUniqueOrThrow({
      where: { id: paymentId },
      include: { invoice: { select: { partnerId: true } } },
    });
    return { payment: toPaymentView(payment), partnerId: payment.invoice?.partnerId ?? null, settledInvoiceWorkflowId, next };
  }

  return {
    /**
     * Records a payment or refund once (the provider's id is unique) and decides its fate in
     * the same transaction as the invoice it touches.
     */
    async recordPayment(input: PaymentEventInput & { workflowId: string }): Promise<RecordedPayment> {
      const at = clock.now();
      const paymentKey = input.kind === 'payment' ? input.externalId : (input.refundsExternalId ?? input.externalId);
      const outcome = await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`payment:${input.provider}:${paymentKey}`}))`;
        const existing = await tx.payment.findUnique({
          where: { provider_externalId: { provider: input.provider, externalId: input.externalId } },
        });
        if (existing) return { paymentId: existing.id, settled: null, next: 'none' as const };

        const id = randomUUID();
        const { status, reason, invoiceId, settled, next } = await matchPayment(tx, input, at);
        await tx.payment.create({
          data: {
            id,
            invoiceId,
            provider: input.provider,
            externalId: input.externalId,
            kind: input.kind,
            refundsExternalId: input.refundsExternalId ?? null,
            amountMinor: input.amountMinor,
            currency: input.currency,
            reference: input.reference ?? null,
            status,
            statusReason: reason,
            workflowId: input.workflowId,
            recordedBy: input.recordedBy,
            receivedAt: at,
            updatedAt: at,
          },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `payment:${id}:recorded`,
            actor: input.recordedBy,
            entityType: 'payment',
            entityId: id,
            action: `payment.${input.kind === 'refund' ? 'refund_' : ''}${status}`,
            after: { invoiceId, amount: formatMoney(input), externalId: input.externalId, ...(reason ? { reason } : {}) },
          },
        ]);
        return { paymentId: id, settled, next };
      });
      return recorded(outcome.paymentId, outcome.settled, outcome.next);
    },

    /** A reviewer's decision on a held payment: apply it to its invoice as it is, or return it. */
    async resolveHeldPayment(input: {
      paymentId: string;
      decision: 'apply' | 'refund';
      actor: string;
      reason: string;
    }): Promise<RecordedPayment> {
      const at = clock.now();
      const outcome = await prisma.$transaction(async (tx) => {
        const payment = await tx.payment.findUniqueOrThrow({ where: { id: input.paymentId } });
        if (payment.status !== 'held') return { settled: null, next: 'none' as const };
        const invoice = payment.invoiceId ? await lockInvoice(tx, payment.invoiceId) : null;
        const applicable =
          input.decision === 'apply' && invoice && OPEN_INVOICE_STATUSES.includes(invoice.status) && invoice.currency === payment.currency;
        if (!applicable) return { settled: null, next: 'refund' as const };
        const covered = await applyToInvoice(tx, invoice, payment.amountMinor, at);
        await tx.payment.update({
          where: { id: payment.id },
          data: { status: 'applied', statusReason: `Accepted on review: ${input.reason}`, updatedAt: at },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `payment:${payment.id}:accepted`,
            actor: input.actor,
            entityType: 'payment',
            entityId: payment.id,
            action: 'payment.accepted',
            before: { status: 'held' },
            after: { status: 'applied', reason: input.reason },
          },
        ]);
        return { settled: covered ? invoice.workflowId : null, next: 'none' as const };
      });
      return recorded(input.paymentId, outcome.settled, outcome.next);
    },
  };
}
