import { formatMoney, type MinorUnits, minorUnits, subtractMinor } from '../../domain/money';
import { DAY_MS } from '../../domain/time';
import type { Payment, TransactionClient } from '../../lib/database';
import { paymentsOnInvoicesPaidBetween, type PaymentView, toPaymentView } from '../../queries/payments';
import { recordAudit } from '../../lib/audit';
import type { ActivityDeps } from '../deps';
import { lockInvoice } from './invoices';

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
    await tx.invoice.update({
      where: { id: invoice.id },
      data: { paidMinor, updatedAt: at, ...(invoice.status === 'paid' && paidMinor <= 0 ? { status: 'refunded', closedAt: at } : {}) },
    });
  }
  return true;
}

/** Money going back through the payment provider: whole payments, and the unused part of a fee. */
export function createRefundActivities({ prisma, clock, payments }: ActivityDeps) {
  return {
    /**
     * The payments a withdrawing partner gets back: applied to invoices paid within the
     * catalog's refund window before `asOf`.
     */
    async listRefundablePayments(input: { partnerId: string; asOf: string; refundWindowDays: number }): Promise<string[]> {
      const asOf = new Date(input.asOf);
      return paymentsOnInvoicesPaidBetween(prisma, input.partnerId, new Date(asOf.getTime() - input.refundWindowDays * DAY_MS), asOf);
    },

    /** Returns a payment through the provider, then books it as refunded. */
    async refundPayment(input: { paymentId: string; reason: string }): Promise<PaymentView> {
      const payment = await prisma.payment.findUniqueOrThrow({ where: { id: input.paymentId } });
      if (payment.status === 'refunded') return toPaymentView(payment);
      const { refundReference } = await payments.refund({
        paymentId: payment.id,
        provider: payment.provider,
        externalId: payment.externalId,
        amountMinor: minorUnits(payment.amountMinor),
        currency: payment.currency,
        reason: input.reason,
      });
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        await bookRefund(tx, { payment, amountMinor: minorUnits(payment.amountMinor), note: `${input.reason} (${refundReference})`, at });
        await recordAudit(tx, at, [
          {
            dedupeKey: `payment:${payment.id}:refunded`,
            actor: 'system',
            entityType: 'payment',
            entityId: payment.id,
            action: 'payment.refunded',
            before: { status: payment.status },
            after: { status: 'refunded', reason: input.reason, refundReference },
          },
        ]);
      });
      return toPaymentView(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } }));
    },

    /** Returns part of a paid fee through the payment provider, once per consolidation and payment. */
    async refundUnusedFee(input: { paymentId: string; amountMinor: number; currency: string; consolidationId: string }): Promise<void> {
      const dedupeKey = `consolidation:${input.consolidationId}:refund:${input.paymentId}`;
      const reason = `Unused membership fee after consolidation ${input.consolidationId}`;
      const amountMinor = minorUnits(input.amountMinor);
      const payment = await prisma.payment.findUniqueOrThrow({ where: { id: input.paymentId } });
      const { refundReference } = await payments.refund({
        paymentId: payment.id,
        provider: payment.provider,
        externalId: payment.externalId,
        amountMinor,
        currency: input.currency,
        reason,
      });
      const at = clock.now();
      const amount = formatMoney({ amountMinor, currency: input.currency });
      await prisma.$transaction(async (tx) => {
        if (await tx.auditEvent.findUnique({ where: { dedupeKey }, select: { id: true } })) return;
        const current = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
        await bookRefund(tx, { payment: current, amountMinor, note: `${reason}: ${amount} returned (${refundReference})`, at });
        await recordAudit(tx, at, [
          {
            dedupeKey,
            actor: 'system',
            entityType: 'payment',
            entityId: payment.id,
            action: 'payment.partially_refunded',
            after: { amount, reason, refundReference },
          },
        ]);
      });
    },
  };
}
