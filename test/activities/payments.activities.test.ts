import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { annualFeeInvoice } from '../../domain/invoices';
import { minorUnits } from '../../domain/money';
import type { PrismaClient } from '../../lib/database';
import { findCatalogInForce } from '../../queries/catalog';
import { BENEFIT_NOT_OFFERED, type PaymentEventInput } from '../../workflows/payments/definitions';
import type { PaymentProvider, RefundOrder } from '../../activities/payment-provider';
import { createActivePartner, RecordingMailer, RecordingPaymentProvider, testPrisma } from '../support/fixtures';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('payment activities: quotes, invoices, matching and refunds (real Postgres)', () => {
  let prisma: PrismaClient;
  let provider: RecordingPaymentProvider;
  let activities: ReturnType<typeof createActivities>;
  const env = new MockActivityEnvironment();
  /** Runs an activity as a worker would, keeping its result's type. */
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run(activity, ...args) as Promise<R>;

  beforeAll(() => {
    prisma = testPrisma();
    provider = new RecordingPaymentProvider();
    activities = createActivities({ prisma, mailer: new RecordingMailer(), payments: provider, clock: { now: () => NOW } });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  /** An open Certified annual-fee invoice (1,500.00 USD under the default catalog) of a new active partner. */
  async function openInvoice(): Promise<{ partnerId: string; invoiceId: string }> {
    const partnerId = await createActivePartner(prisma, '2026.1');
    const catalog = (await findCatalogInForce(prisma, NOW))!;
    const draft = annualFeeInvoice(
      catalog.levels.find((level) => level.code === 'certified')!,
      'GB',
      0,
    )!;
    const invoiceId = randomUUID();
    const input = {
      invoiceId,
      partnerId,
      purpose: 'enrollment' as const,
      subjectId: randomUUID(),
      draft,
      catalogVersionId: catalog.catalogVersionId,
      rules: catalog.rules.feePayment,
      workflowId: `fee-${invoiceId}`,
      dueAt: '2026-12-25T12:00:00.000Z',
    };
    await run(activities.issueInvoice, input);
    await run(activities.issueInvoice, input);
    return { partnerId, invoiceId };
  }

  function processorPayment(invoiceId: string, amountMinor = 150000, currency = 'USD'): PaymentEventInput & { workflowId: string } {
    const externalId = `pay_${randomUUID()}`;
    return {
      provider: 'processor',
      externalId,
      kind: 'payment',
      invoiceId,
      amountMinor: minorUnits(amountMinor),
      currency,
      recordedBy: 'payment-processor',
      workflowId: `payment-processor-evt-${externalId}`,
    };
  }

  it('quotes the annual fee, and an upgrade as the difference for the days left in the current term', async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    const annual = await run(activities.quoteFee, {
      partnerId,
      purpose: 'enrollment' as const,
      level: 'certified' as const,
      asOf: NOW.toISOString(),
    });
    expect(annual.draft).toMatchObject({ currency: 'USD', totalMinor: 150000 });
    expect(annual).toMatchObject({ catalogVersionId: '2026.1', rules: { dueDays: 30 } });

    // A Registered partner whose term started 73 days ago (of 365) pays for the remaining 292 days.
    const termStart = new Date(NOW.getTime() - 73 * 24 * 60 * 60 * 1000);
    await prisma.membership.create({
      data: {
        partnerId,
        workflowId: `membership-${partnerId}`,
        termNumber: 1,
        termStart,
        termEnd: new Date(Date.UTC(2027, 8, 13, 12)),
        level: 'registered',
        status: 'active',
        catalogVersionId: '2026.1',
        updatedAt: NOW,
      },
    });
    const upgrade = await run(activities.quoteFee, {
      partnerId,
      purpose: 'upgrade' as const,
      level: 'certified' as const,
      asOf: NOW.toISOString(),
    });
    expect(upgrade.draft).toMatchObject({ totalMinor: 120000, lines: [{ description: expect.stringContaining('292 of 365 days') }] });
  });

  it('refuses to quote a benefit the partner cannot buy, and quotes one it can', async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    const quote = await run(activities.quoteBenefit, { partnerId, benefitCode: 'action-pack', asOf: NOW.toISOString() });
    expect(quote.draft).toMatchObject({ totalMinor: 29900, currency: 'USD' });
    await prisma.partner.update({ where: { id: partnerId }, data: { status: 'withdrawn' } });
    const refused = run(activities.quoteBenefit, { partnerId, benefitCode: 'action-pack', asOf: NOW.toISOString() });
    await expect(refused).rejects.toMatchObject({ type: BENEFIT_NOT_OFFERED });
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
  });

  it('issues an invoice once, marks it overdue once and voids it; a paid invoice stays paid', async () => {
    const { invoiceId } = await openInvoice();
    expect(await prisma.invoice.count({ where: { id: invoiceId } })).toBe(1);
    await run(activities.markInvoiceOverdue, invoiceId);
    await run(activities.markInvoiceOverdue, invoiceId);
    expect(await prisma.auditEvent.count({ where: { entityId: invoiceId, action: 'invoice.overdue' } })).toBe(1);
    expect(await run(activities.closeUnpaidInvoice, { invoiceId, reason: 'grace over' })).toBe('void');
    expect(await run(activities.closeUnpaidInvoice, { invoiceId, reason: 'grace over' })).toBe('void');
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'void' });

    const paid = await openInvoice();
    await run(activities.recordPayment, processorPayment(paid.invoiceId));
    expect(await run(activities.closeUnpaidInvoice, { invoiceId: paid.invoiceId, reason: 'cancelled' })).toBe('paid');
  });

  it('applies the exact balance once, however often the event is recorded, and names the fee workflow to tell', async () => {
    const { partnerId, invoiceId } = await openInvoice();
    const event = processorPayment(invoiceId);
    const first = await run(activities.recordPayment, event);
    const again = await run(activities.recordPayment, event);
    expect(first).toMatchObject({ partnerId, settledInvoiceWorkflowId: `fee-${invoiceId}`, next: 'none', payment: { status: 'applied' } });
    expect(again).toMatchObject({ settledInvoiceWorkflowId: null, next: 'none', payment: { id: first.payment.id } });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'paid', paidMinor: 150000 });
  });

  it('holds a payment that does not match for review; applied on review it pays the invoice in part', async () => {
    const { invoiceId } = await openInvoice();
    const held = await run(activities.recordPayment, processorPayment(invoiceId, 100000));
    expect(held).toMatchObject({ next: 'review', payment: { status: 'held', statusReason: expect.stringContaining('balance due') } });
    const otherCurrency = await run(activities.recordPayment, processorPayment(invoiceId, 150000, 'EUR'));
    expect(otherCurrency.payment.statusReason).toBe('Paid in EUR; the invoice is in USD');

    const applied = await run(activities.resolveHeldPayment, {
      paymentId: held.payment.id,
      decision: 'apply' as const,
      actor: 'r',
      reason: 'ok',
    });
    expect(applied).toMatchObject({ next: 'none', settledInvoiceWorkflowId: null, payment: { status: 'applied' } });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'open', paidMinor: 100000 });
    const returned = await run(activities.resolveHeldPayment, {
      paymentId: otherCurrency.payment.id,
      decision: 'apply' as const,
      actor: 'r',
      reason: 'ok',
    });
    expect(returned.next).toBe('refund');
  });

  it('matches a refund that arrives before its payment once the payment comes', async () => {
    const { invoiceId } = await openInvoice();
    const payment = processorPayment(invoiceId);
    const refund = await run(activities.recordPayment, {
      ...payment,
      externalId: `re_${randomUUID()}`,
      kind: 'refund' as const,
      refundsExternalId: payment.externalId,
      invoiceId: undefined,
      workflowId: `payment-processor-refund-${payment.externalId}`,
    });
    expect(refund.payment.status).toBe('pending_match');
    const arrived = await run(activities.recordPayment, payment);
    expect(arrived.payment).toMatchObject({ status: 'refunded', statusReason: expect.stringContaining('arrived first') });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: refund.payment.id } })).toMatchObject({ status: 'applied', invoiceId });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'open', paidMinor: 0 });
  });

  it('refunds a paid fee in full through the provider once: the invoice reads refunded', async () => {
    const { invoiceId } = await openInvoice();
    const { payment } = await run(activities.recordPayment, processorPayment(invoiceId));
    const refunded = await run(activities.refundPayment, { paymentId: payment.id, reason: 'Withdrawal' });
    await run(activities.refundPayment, { paymentId: payment.id, reason: 'Withdrawal' });
    expect(refunded).toMatchObject({ status: 'refunded', statusReason: `Withdrawal (refund-${payment.id})` });
    expect(provider.refunds.filter((order) => order.paymentId === payment.id)).toHaveLength(1);
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'refunded', paidMinor: 0 });
  });

  it('returns the unused part of a fee once, taking it off the invoice; the payment stays applied', async () => {
    const { invoiceId } = await openInvoice();
    const { payment } = await run(activities.recordPayment, processorPayment(invoiceId));
    const share = { paymentId: payment.id, amountMinor: 60000, currency: 'USD', consolidationId: randomUUID() };
    await run(activities.refundUnusedFee, share);
    await run(activities.refundUnusedFee, share);
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'paid', paidMinor: 90000 });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      status: 'applied',
      statusReason: expect.stringContaining('600.00 USD returned'),
    });
    expect(await prisma.auditEvent.count({ where: { entityId: payment.id, action: 'payment.partially_refunded' } })).toBe(1);
  });

  it('refunds once when an activity is retried after the provider took the refund but its answer was lost', async () => {
    const recording = new RecordingPaymentProvider();
    const flaky = new AnswerLostOnce(recording);
    const retried = createActivities({ prisma, mailer: new RecordingMailer(), payments: flaky, clock: { now: () => NOW } });
    const inWorkflow = new MockActivityEnvironment({
      workflowExecution: { workflowId: `withdrawal-${randomUUID()}`, runId: randomUUID() },
    });

    const whole = await run(activities.recordPayment, processorPayment((await openInvoice()).invoiceId));
    await expect(inWorkflow.run(retried.refundPayment, { paymentId: whole.payment.id, reason: 'Withdrawal' })).rejects.toThrow(/lost/);
    expect(await prisma.refundOrder.findFirst({ where: { paymentId: whole.payment.id } })).toMatchObject({ status: 'ordered' });
    await inWorkflow.run(retried.refundPayment, { paymentId: whole.payment.id, reason: 'Withdrawal' });

    flaky.loseNext();
    const part = await run(activities.recordPayment, processorPayment((await openInvoice()).invoiceId));
    const share = { paymentId: part.payment.id, amountMinor: 60000, currency: 'USD', consolidationId: randomUUID() };
    await expect(inWorkflow.run(retried.refundUnusedFee, share)).rejects.toThrow(/lost/);
    await inWorkflow.run(retried.refundUnusedFee, share);

    expect(recording.requests).toBe(4);
    expect(recording.refunds.map((order) => [order.paymentId, order.amountMinor])).toEqual([
      [whole.payment.id, 150000],
      [part.payment.id, 60000],
    ]);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: whole.payment.id } })).toMatchObject({ status: 'refunded' });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: part.payment.invoiceId! } })).toMatchObject({ paidMinor: 90000 });
    const orders = await prisma.refundOrder.findMany({ where: { paymentId: { in: [whole.payment.id, part.payment.id] } } });
    expect(orders.map((order) => order.status)).toEqual(['booked', 'booked']);
    const audit = await prisma.auditEvent.count({
      where: { entityId: { in: [whole.payment.id, part.payment.id] }, action: { in: ['payment.refunded', 'payment.partially_refunded'] } },
    });
    expect(audit).toBe(2);
  });
});

/** A provider whose answer is lost on the way back (a timeout, a dropped connection) after it took the refund. */
class AnswerLostOnce implements PaymentProvider {
  private losing = true;

  constructor(private readonly inner: PaymentProvider) {}

  loseNext(): void {
    this.losing = true;
  }

  async refund(order: RefundOrder): Promise<{ refundReference: string }> {
    const answer = await this.inner.refund(order);
    if (this.losing) {
      this.losing = false;
      throw new Error('the provider answer was lost');
    }
    return answer;
  }
}
