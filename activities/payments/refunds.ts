import { formatMoney, type MinorUnits, minorUnits, subtractMinor } from '../../domain/money';
import { DAY_MS } from '../../domain/time';
import type { Payment, TransactionClient } from '../../lib/database';
import { paymentsOnInvoicesPaidBetween, type PaymentView, toPaymentView } from '../../queries/payments';
import { Context } from '@temporalio/activity';
import { type AuditEntry, recordAudit } from '../../lib/audit';
import { uuidFromKey } from '../../lib/ids';
import type { ActivityDeps } from '../deps';
import { createNotificationActivities } from '../notifications';
import { lockInvoice, recordInvoiceSettled } from './invoices';

/**
 * The one way money goes back on the books, in the caller's transaction: a payment refunded in
 * full reads `refunded` (one refunded in part keeps its status, with the note), and money that
 * was applied comes off its invoice, which reads `refunded` once a paid invoice has nothing paid
 * left. Answers false, changing nothing, when the payment moved on since the caller read it.
 */
export async function bookRefund(
  tx: TransactionClient,
  refund: { payment: Payment; amountMinor: MinorUnits; note: string; at: Date },
): Promise<boolean> {
  const { payment, amountMinor, note, at } = refund;
  const inFull = amountMinor >= payment.amountMinor;
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: payment.status },
    data: { ...(inFull ? { status: 'refunded' } : {}), statusReason: note, updatedAt: at },
  });
  if (count === 0) return false;
  const invoice = payment.status === 'applied' && payment.invoiceId ? await lockInvoice(tx, payment.invoiceId) : null;
  if (invoice) {
    const paidMinor = subtractMinor(minorUnits(invoice.paidMinor), amountMinor);
    const refundedInFull = invoice.status === 'paid' && paidMinor <= 0;
    await tx.invoice.update({
      where: { id: invoice.id },
      data: { paidMinor, updatedAt: at, ...(refundedInFull ? { status: 'refunded', closedAt: at } : {}) },
    });
    if (refundedInFull) await recordInvoiceSettled(tx, at, { invoiceId: invoice.id, status: 'refunded', paidMinor });
  }
  return true;
}

/** What a refund decided by a workflow returns, and how it shows on the books once returned. */
interface RefundDecision {
  payment: Payment;
  amountMinor: MinorUnits;
  currency: string;
  reason: string;
  /** The payment's note once returned, naming the provider's reference. */
  note(refundReference: string): string;
  audit(refundReference: string): AuditEntry;
}

/** Money going back through the payment provider: whole payments, and the unused part of a fee. */
export function createRefundActivities(deps: ActivityDeps) {
  const { prisma, clock, payments } = deps;
  const { noticePartner } = createNotificationActivities(deps);

  /**
   * The partner hears of money going back once it is booked, from here rather than from each
   * workflow that refunds: a retry of the refund after its booking still sends it, once (the
   * notice is keyed by the order). A payment matched to no invoice has no partner to tell.
   */
  const noticeRefund = async (
    order: { id: string; amountMinor: number; currency: string; reason: string; refundReference: string | null },
    invoiceId: string | null,
  ) => {
    const invoice = invoiceId ? await prisma.invoice.findUnique({ where: { id: invoiceId }, select: { partnerId: true } }) : null;
    if (!invoice) return;
    await noticePartner({
      dedupeKey: `refund:${order.id}`,
      kind: 'payment-refunded',
      partnerId: invoice.partnerId,
      invoiceId: invoiceId!,
      facts: {
        amount: formatMoney({ amountMinor: minorUnits(order.amountMinor), currency: order.currency }),
        reason: order.reason,
        refundReference: order.refundReference,
      },
    });
  };

  /**
   * Records the refund before asking the provider for it, under a key from the workflow and the
   * payment; asks under that key (the provider honours a key once), then books it once. A retry
   * after the provider was asked, whatever it answered, asks again under the same key.
   */
  const refundOnce = async (decision: RefundDecision): Promise<void> => {
    const { payment, amountMinor, currency, reason } = decision;
    const { workflowExecution, activityId } = Context.current().info;
    // Our refunds always run in a workflow; the activity id keys one run outside any.
    const idempotencyKey = `${workflowExecution?.workflowId ?? activityId}:refund:${payment.id}`;
    await prisma.refundOrder.createMany({
      data: [
        {
          id: uuidFromKey(idempotencyKey),
          idempotencyKey,
          paymentId: payment.id,
          amountMinor,
          currency,
          reason,
          status: 'ordered',
          orderedAt: clock.now(),
        },
      ],
      skipDuplicates: true,
    });
    const order = await prisma.refundOrder.findUniqueOrThrow({ where: { idempotencyKey } });
    if (order.status === 'booked') return noticeRefund(order, payment.invoiceId);
    const { refundReference } = await payments.refund({
      idempotencyKey,
      paymentId: payment.id,
      provider: payment.provider,
      externalId: payment.externalId,
      amountMinor: minorUnits(order.amountMinor),
      currency: order.currency,
      reason: order.reason,
    });
    const at = clock.now();
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.refundOrder.updateMany({
        where: { id: order.id, status: 'ordered' },
        data: { status: 'booked', refundReference, bookedAt: at },
      });
      if (count === 0) return;
      const current = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
      await bookRefund(tx, { payment: current, amountMinor: minorUnits(order.amountMinor), note: decision.note(refundReference), at });
      await recordAudit(tx, at, [decision.audit(refundReference)]);
    });
    await noticeRefund({ ...order, refundReference }, payment.invoiceId);
  };

  return {
    /**
     * The payments a withdrawing partner gets back: applied to invoices paid within the
     * catalog's refund window before `asOf`.
     */
    async listRefundablePayments(input: { partnerId: string; asOf: string; refundWindowDays: number }): Promise<string[]> {
      const asOf = new Date(input.asOf);
      return paymentsOnInvoicesPaidBetween(prisma, input.partnerId, new Date(asOf.getTime() - input.refundWindowDays * DAY_MS), asOf);
    },

    /** Returns a payment in full through the provider, once, and books it as refunded. */
    async refundPayment(input: { paymentId: string; reason: string }): Promise<PaymentView> {
      const payment = await prisma.payment.findUniqueOrThrow({ where: { id: input.paymentId } });
      if (payment.status === 'refunded') return toPaymentView(payment);
      await refundOnce({
        payment,
        amountMinor: minorUnits(payment.amountMinor),
        currency: payment.currency,
        reason: input.reason,
        note: (refundReference) => `${input.reason} (${refundReference})`,
        audit: (refundReference) => ({
          dedupeKey: `payment:${payment.id}:refunded`,
          actor: 'system',
          entityType: 'payment',
          entityId: payment.id,
          action: 'payment.refunded',
          before: { status: payment.status },
          after: { status: 'refunded', reason: input.reason, refundReference },
        }),
      });
      return toPaymentView(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } }));
    },

    /** Returns part of a paid fee through the provider, once per consolidation and payment. */
    async refundUnusedFee(input: { paymentId: string; amountMinor: number; currency: string; consolidationId: string }): Promise<void> {
      const reason = `Unused membership fee after consolidation ${input.consolidationId}`;
      const amountMinor = minorUnits(input.amountMinor);
      const amount = formatMoney({ amountMinor, currency: input.currency });
      await refundOnce({
        payment: await prisma.payment.findUniqueOrThrow({ where: { id: input.paymentId } }),
        amountMinor,
        currency: input.currency,
        reason,
        note: (refundReference) => `${reason}: ${amount} returned (${refundReference})`,
        audit: (refundReference) => ({
          dedupeKey: `consolidation:${input.consolidationId}:refund:${input.paymentId}`,
          actor: 'system',
          entityType: 'payment',
          entityId: input.paymentId,
          action: 'payment.partially_refunded',
          after: { amount, reason, refundReference },
        }),
      });
    },
  };
}
