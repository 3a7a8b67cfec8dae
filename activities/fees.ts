import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { LevelCode, LevelFee } from '../domain/catalog';
import {
  annualFeeInvoice,
  benefitInvoice,
  type FeePaymentRules,
  type InvoiceDraft,
  type InvoicePurpose,
  paymentMismatch,
  upgradeInvoice,
} from '../domain/invoices';
import { formatMoney, minorUnits, subtractMinor, sumMinor } from '../domain/money';
import { daysOfTerm } from '../domain/terms';
import { findCatalogInForce } from '../lib/catalog';
import { currentTermOf } from '../lib/terms';
import type { Prisma, TransactionClient } from '../lib/database';
import { toPaymentView } from '../lib/invoice-view';
import {
  BENEFIT_NOT_OFFERED,
  type BenefitPurchaseInput,
  type FeePaymentInput,
  type PaymentEventInput,
  type PaymentStatus,
  type PaymentView,
} from '../workflows/fees/definitions';
import { recordAudit } from './audit';
import type { ActivityDeps } from './deps';

const OPEN_INVOICE = ['open', 'overdue'];

export interface FeeQuote {
  draft: InvoiceDraft | null;
  catalogVersionId: string;
  rules: FeePaymentRules;
}

/** Where a recorded payment leaves things, and what its workflow does next. */
export interface RecordedPayment {
  payment: PaymentView;
  /** The partner the payment's invoice bills. */
  partnerId: string | null;
  /** The fee-payment workflow to tell when the invoice is now covered. */
  settledInvoiceWorkflowId: string | null;
  next: 'none' | 'review' | 'refund';
}

async function lockInvoice(tx: TransactionClient, invoiceId: string) {
  await tx.$queryRaw`SELECT id FROM "Invoice" WHERE id = ${invoiceId}::uuid FOR UPDATE`;
  return tx.invoice.findUnique({ where: { id: invoiceId } });
}

/** Adds applied money to an open invoice; answers whether that covered it. */
async function applyToInvoice(
  tx: TransactionClient,
  invoice: { id: string; paidMinor: number; totalMinor: number; status: string },
  amountMinor: number,
  at: Date,
): Promise<boolean> {
  const paidMinor = sumMinor(minorUnits(invoice.paidMinor), minorUnits(amountMinor));
  const covered = paidMinor >= invoice.totalMinor;
  await tx.invoice.update({
    where: { id: invoice.id },
    data: { paidMinor, updatedAt: at, ...(covered ? { status: 'paid', paidAt: at } : {}) },
  });
  return covered;
}

export function createFeeActivities({ prisma, clock, payments }: ActivityDeps) {
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
     * The payments a withdrawing partner gets back: applied to invoices paid within the
     * catalog's refund window before `asOf`.
     */
    async listRefundablePayments(input: { partnerId: string; asOf: string; refundWindowDays: number }): Promise<string[]> {
      const asOf = new Date(input.asOf);
      const since = new Date(asOf.getTime() - input.refundWindowDays * 24 * 60 * 60 * 1000);
      const refundable = await prisma.payment.findMany({
        where: {
          kind: 'payment',
          status: 'applied',
          invoice: { partnerId: input.partnerId, status: 'paid', paidAt: { gte: since, lte: asOf } },
        },
        select: { id: true },
        orderBy: { receivedAt: 'asc' },
      });
      return refundable.map((payment) => payment.id);
    },

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
      const benefit =
        catalog &&
        (await prisma.benefit.findUnique({
          where: { catalogVersionId_code: { catalogVersionId: catalog.catalogVersionId, code: input.benefitCode } },
        }));
      if (!catalog || !partner || !benefit)
        throw ApplicationFailure.nonRetryable(`No benefit ${input.benefitCode} for this partner`, BENEFIT_NOT_OFFERED);
      const draft = benefitInvoice({
        ...benefit,
        levels: benefit.levels as LevelCode[],
        price: (benefit.price ?? undefined) as unknown as LevelFee | undefined,
      });
      if (!draft || partner.status !== 'active' || !benefit.levels.includes(partner.level)) {
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

    async issueInvoice(input: FeePaymentInput & { workflowId: string; dueAt: string }): Promise<{ invoiceId: string }> {
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.invoice.createMany({
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
        });
        if (count === 0) return;
        await recordAudit(tx, at, [
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
        ]);
      });
      return { invoiceId: input.invoiceId };
    },

    async markInvoiceOverdue(invoiceId: string): Promise<void> {
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.invoice.updateMany({
          where: { id: invoiceId, status: 'open' },
          data: { status: 'overdue', updatedAt: at },
        });
        if (count === 0) return;
        await recordAudit(tx, at, [
          {
            dedupeKey: `invoice:${invoiceId}:overdue`,
            actor: 'system',
            entityType: 'invoice',
            entityId: invoiceId,
            action: 'invoice.overdue',
            after: { status: 'overdue' },
          },
        ]);
      });
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
        if (!OPEN_INVOICE.includes(invoice.status)) return 'void';
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

    /**
     * Records a payment or refund once (the provider's id is unique) and decides its fate in
     * the same transaction as the invoice it touches:
     * - a payment that matches the balance of an open invoice is applied;
     * - one in another currency or for another amount, or with no open invoice to match, is
     *   held for review; one for a void invoice, or for no invoice at all, is returned;
     * - a refund returns its payment, or, arriving first, waits for it and returns it on arrival.
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
        const original =
          input.kind === 'refund' && input.refundsExternalId
            ? await tx.payment.findUnique({
                where: { provider_externalId: { provider: input.provider, externalId: input.refundsExternalId } },
              })
            : null;
        const invoiceId = input.invoiceId ?? original?.invoiceId ?? null;
        const invoice = invoiceId ? await lockInvoice(tx, invoiceId) : null;
        let status: PaymentStatus;
        let reason: string | null = null;
        let settled: string | null = null;
        let next: RecordedPayment['next'] = 'none';

        if (input.kind === 'refund') {
          if (!original) {
            status = 'pending_match';
            reason = 'The refunded payment has not arrived yet';
          } else {
            status = 'applied';
            await tx.payment.update({
              where: { id: original.id },
              data: { status: 'refunded', statusReason: `Refunded by ${input.externalId}`, updatedAt: at },
            });
            if (invoice && original.status === 'applied') {
              const paidMinor = subtractMinor(minorUnits(invoice.paidMinor), input.amountMinor);
              await tx.invoice.update({
                where: { id: invoice.id },
                data: {
                  paidMinor,
                  updatedAt: at,
                  ...(invoice.status === 'paid' && paidMinor <= 0 ? { status: 'refunded', closedAt: at } : {}),
                },
              });
            }
          }
        } else {
          const pendingRefund = await tx.payment.findFirst({
            where: { provider: input.provider, refundsExternalId: input.externalId, status: 'pending_match' },
          });
          if (pendingRefund) {
            status = 'refunded';
            reason = `Refunded by ${pendingRefund.externalId}, which arrived first`;
            await tx.payment.update({
              where: { id: pendingRefund.id },
              data: { status: 'applied', statusReason: null, invoiceId, updatedAt: at },
            });
          } else if (!invoice) {
            status = 'held';
            reason = 'No invoice matches this payment; it is returned';
            next = 'refund';
          } else if (invoice.status === 'void' || invoice.status === 'refunded') {
            status = 'held';
            reason = `The invoice is ${invoice.status}; the payment is returned`;
            next = 'refund';
          } else {
            const due = {
              amountMinor: subtractMinor(minorUnits(invoice.totalMinor), minorUnits(invoice.paidMinor)),
              currency: invoice.currency,
            };
            const mismatch = paymentMismatch({ balanceMinor: due.amountMinor, currency: due.currency }, input);
            if (mismatch) {
              status = 'held';
              reason =
                mismatch === 'currency'
                  ? `Paid in ${input.currency}; the invoice is in ${invoice.currency}`
                  : `Paid ${formatMoney(input)}; the balance due is ${formatMoney(due)}`;
              next = 'review';
            } else {
              status = 'applied';
              if (await applyToInvoice(tx, invoice, input.amountMinor, at)) settled = invoice.workflowId;
            }
          }
        }
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
          input.decision === 'apply' && invoice && OPEN_INVOICE.includes(invoice.status) && invoice.currency === payment.currency;
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

    /**
     * Returns a payment through the provider, then records it as refunded; money that was
     * applied comes off its invoice, which reads `refunded` once nothing paid is left.
     */
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
        const { count } = await tx.payment.updateMany({
          where: { id: payment.id, status: payment.status },
          data: { status: 'refunded', statusReason: `${input.reason} (${refundReference})`, updatedAt: at },
        });
        const invoice = payment.invoiceId ? await lockInvoice(tx, payment.invoiceId) : null;
        if (count === 1 && invoice && payment.status === 'applied') {
          const paidMinor = subtractMinor(minorUnits(invoice.paidMinor), minorUnits(payment.amountMinor));
          await tx.invoice.update({
            where: { id: invoice.id },
            data: { paidMinor, updatedAt: at, ...(paidMinor <= 0 ? { status: 'refunded', closedAt: at } : {}) },
          });
        }
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
  };
}
