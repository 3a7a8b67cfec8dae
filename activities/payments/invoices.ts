import { ApplicationFailure } from '@temporalio/activity';
import { minorUnits, formatMoney, sumMinor } from '../../domain/money';
import type { Prisma, TransactionClient } from '../../lib/database';
import { OPEN_INVOICE_STATUSES } from '../../queries/payments';
import type { FeePaymentInput } from '../../workflows/payments/definitions';
import { recordAudit, recordChange } from '../../lib/audit';
import type { ActivityDeps } from '../deps';

/** Locks an invoice's row for the rest of the transaction and reads it. */
export async function lockInvoice(tx: TransactionClient, invoiceId: string) {
  await tx.$queryRaw`SELECT id FROM "Invoice" WHERE id = ${invoiceId}::uuid FOR UPDATE`;
  return tx.invoice.findUnique({ where: { id: invoiceId } });
}

/** The audit event of an invoice settled by money moving: paid in full, or refunded in full. */
export function recordInvoiceSettled(
  tx: TransactionClient,
  at: Date,
  settled: { invoiceId: string; status: 'paid' | 'refunded'; paidMinor: number },
): Promise<void> {
  return recordAudit(tx, at, [
    {
      dedupeKey: `invoice:${settled.invoiceId}:${settled.status}`,
      actor: 'system',
      entityType: 'invoice',
      entityId: settled.invoiceId,
      action: `invoice.${settled.status}`,
      after: { status: settled.status, paidMinor: settled.paidMinor },
    },
  ]);
}

/** Adds applied money to an open invoice; answers whether that covered it. */
export async function applyToInvoice(
  tx: TransactionClient,
  invoice: { id: string; paidMinor: number; totalMinor: number },
  amountMinor: number,
  at: Date,
): Promise<boolean> {
  const paidMinor = sumMinor(minorUnits(invoice.paidMinor), minorUnits(amountMinor));
  const covered = paidMinor >= invoice.totalMinor;
  await tx.invoice.update({
    where: { id: invoice.id },
    data: { paidMinor, updatedAt: at, ...(covered ? { status: 'paid', paidAt: at } : {}) },
  });
  if (covered) await recordInvoiceSettled(tx, at, { invoiceId: invoice.id, status: 'paid', paidMinor });
  return covered;
}

/** An invoice's life: issued once, overdue at its due date, void when nobody paid it. */
export function createInvoiceActivities({ prisma, clock }: ActivityDeps) {
  return {
    async issueInvoice(input: FeePaymentInput & { workflowId: string; dueAt: string }): Promise<{ invoiceId: string }> {
      const at = clock.now();
      await recordChange(
        prisma,
        at,
        (tx) =>
          tx.invoice.createMany({
            data: [
              {
                id: input.invoiceId,
                partnerId: input.partnerId,
                purpose: input.purpose,
                subjectId: input.subjectId,
                workflowId: input.workflowId,
                status: 'open',
                currency: input.draft.currency,
                lines: input.draft.lines as unknown as Prisma.InputJsonValue,
                subtotalMinor: input.draft.subtotalMinor,
                taxRateBps: input.draft.taxRateBps,
                taxMinor: input.draft.taxMinor,
                totalMinor: input.draft.totalMinor,
                catalogVersionId: input.catalogVersionId,
                issuedAt: at,
                dueAt: new Date(input.dueAt),
                updatedAt: at,
              },
            ],
            skipDuplicates: true,
          }),
        {
          dedupeKey: `invoice:${input.invoiceId}:issued`,
          actor: 'system',
          entityType: 'invoice',
          entityId: input.invoiceId,
          action: 'invoice.issued',
          after: {
            partnerId: input.partnerId,
            purpose: input.purpose,
            total: formatMoney({ amountMinor: input.draft.totalMinor, currency: input.draft.currency }),
            dueAt: input.dueAt,
          },
        },
      );
      return { invoiceId: input.invoiceId };
    },

    async markInvoiceOverdue(invoiceId: string): Promise<void> {
      const at = clock.now();
      await recordChange(
        prisma,
        at,
        (tx) =>
          tx.invoice.updateMany({
            where: { id: invoiceId, status: 'open' },
            data: { status: 'overdue', updatedAt: at },
          }),
        {
          dedupeKey: `invoice:${invoiceId}:overdue`,
          actor: 'system',
          entityType: 'invoice',
          entityId: invoiceId,
          action: 'invoice.overdue',
          after: { status: 'overdue' },
        },
      );
    },

    /**
     * Voids an invoice nobody paid (grace period over, or its process cancelled). A payment that
     * landed first wins: the answer is then `paid`.
     */
    async closeUnpaidInvoice(input: { invoiceId: string; reason: string }): Promise<'paid' | 'void'> {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const invoice = await lockInvoice(tx, input.invoiceId);
        if (!invoice) throw ApplicationFailure.nonRetryable(`Invoice ${input.invoiceId} not found`, 'InvoiceNotFound');
        if (invoice.status === 'paid') return 'paid';
        if (!OPEN_INVOICE_STATUSES.includes(invoice.status)) return 'void';
        await tx.invoice.update({ where: { id: invoice.id }, data: { status: 'void', closedAt: at, updatedAt: at } });
        await recordAudit(tx, at, [
          {
            dedupeKey: `invoice:${invoice.id}:void`,
            actor: 'system',
            entityType: 'invoice',
            entityId: invoice.id,
            action: 'invoice.void',
            before: { status: invoice.status },
            after: { status: 'void', reason: input.reason, paidMinor: invoice.paidMinor },
          },
        ]);
        return 'void';
      });
    },
  };
}
