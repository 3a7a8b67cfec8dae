import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { annualFeeInvoice } from '../../domain/invoices';
import { minorUnits } from '../../domain/money';
import type { PrismaClient } from '../../lib/database';
import { invoiceNumber } from '../../queries/payments';
import { readCatalogDocuments } from '../../prisma/seed';
import {
  benefitPurchaseWorkflowId,
  feePaymentWorkflowId,
  type PaymentEventInput,
  paymentEventWorkflowId,
  paymentRecordedUpdate,
} from '../../workflows/payments/definitions';
import { benefitPurchaseWorkflow, feePaymentWorkflow, paymentEventWorkflow } from '../../workflows/payments/workflow';
import { reviewDecisionUpdate } from '../../workflows/reviews/definitions';
import { withdrawalWorkflowId } from '../../workflows/partners/definitions';
import { withdrawalWorkflow } from '../../workflows/partners/workflow';
import { createActivePartner, eventually, pendingReviewOf, testPrisma } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { createIsolatedDatabase } from '../support/isolated-database';
import { type RunningTestWorker, startTestWorker, startTimeSkippingRig, type TimeSkippingRig } from '../support/temporal';

const DAY_SECONDS = 24 * 60 * 60;
const catalog = readCatalogDocuments()[0];
const certified = catalog.levels.find((level) => level.code === 'certified')!;
/** 1,500.00 USD for Certified under the default catalog. */
const FEE = annualFeeInvoice(certified, 'GB', 0)!;

/** An upgrade fee's workflow for a new partner, once its invoice is issued. */
async function startFeeOn(client: Client, prisma: PrismaClient, taskQueue: string) {
  const partnerId = await createActivePartner(prisma, catalog.id);
  const invoiceId = randomUUID();
  const handle = await client.workflow.start(feePaymentWorkflow, {
    workflowId: feePaymentWorkflowId(invoiceId),
    taskQueue,
    args: [
      {
        invoiceId,
        partnerId,
        purpose: 'upgrade',
        subjectId: randomUUID(),
        draft: FEE,
        catalogVersionId: catalog.id,
        rules: catalog.rules.feePayment,
      },
    ],
  });
  await eventually(() => prisma.invoice.findUnique({ where: { id: invoiceId } }));
  return { partnerId, invoiceId, handle };
}

describe('fee payment (time-skipping server, real activities and Postgres)', () => {
  let rig: TimeSkippingRig;
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;
  let worker: RunningTestWorker;
  let realTime: Client;

  beforeAll(async () => {
    rig = await startTimeSkippingRig(await createIsolatedDatabase());
    ({ env, prisma, worker, realTime } = rig);
  });

  afterAll(() => rig?.stop());

  async function startFee(client: Client = realTime) {
    return startFeeOn(client, prisma, worker.taskQueue);
  }

  function pay(invoiceId: string, overrides: Partial<PaymentEventInput> = {}, eventId = randomUUID()) {
    return realTime.workflow.execute(paymentEventWorkflow, {
      workflowId: paymentEventWorkflowId('processor', eventId),
      taskQueue: worker.taskQueue,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [
        {
          provider: 'processor',
          externalId: `pay_${randomUUID()}`,
          kind: 'payment',
          invoiceId,
          amountMinor: FEE.totalMinor,
          currency: 'USD',
          recordedBy: 'payment-processor',
          ...overrides,
        },
      ],
    });
  }

  it('reminds 14 days before, on and 7 days after the due date, then voids the invoice after the grace period', async () => {
    const { partnerId, invoiceId, handle } = await startFee(env.client);
    expect(await handle.result()).toEqual({ status: 'void', invoiceId });

    const reminders = await prisma.notification.findMany({ where: { partnerId, kind: 'invoice-reminder' }, orderBy: { createdAt: 'asc' } });
    expect(reminders.map((reminder) => reminder.dedupeKey)).toEqual([
      `invoice:${invoiceId}:reminder:-14`,
      `invoice:${invoiceId}:reminder:0`,
      `invoice:${invoiceId}:reminder:7`,
    ]);
    const number = invoiceNumber(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } }));
    expect(reminders.map((reminder) => reminder.subject)).toEqual([
      `Invoice ${number} is due in 14 days`,
      `Invoice ${number} is due today`,
      `Invoice ${number} was due 7 days ago`,
    ]);
    const told = await prisma.notification.findMany({ where: { partnerId, kind: { in: ['invoice-overdue', 'invoice-void'] } } });
    expect(Object.fromEntries(told.map((notice) => [notice.kind, notice.subject]))).toEqual({
      'invoice-overdue': `Invoice ${number} is overdue`,
      'invoice-void': `Invoice ${number} is void`,
    });
    expect(told.find((notice) => notice.kind === 'invoice-void')!.body).toContain('stayed unpaid 14 days past its due date');
    // Each timer fires, in workflow time, at its offset from the due date: -14, 0, 0, +7 and +14 (void) days.
    const seconds = (duration: { seconds?: unknown; nanos?: number | null }) => Number(duration.seconds) + (duration.nanos ?? 0) / 1e9;
    const fireTimes = (await handle.fetchHistory()).events!.flatMap((event) =>
      event.timerStartedEventAttributes ? [seconds(event.eventTime!) + seconds(event.timerStartedEventAttributes.startToFireTimeout!)] : [],
    );
    const dueAt = (await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).dueAt.getTime() / 1000;
    expect(fireTimes.map((at) => Math.round((at - dueAt) / DAY_SECONDS))).toEqual([-14, 0, 0, 7, 14]);
    fireTimes.forEach((at, index) => expect(Math.abs(at - dueAt - [-14, 0, 0, 7, 14][index] * DAY_SECONDS)).toBeLessThan(2));
    const invoice = await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(invoice).toMatchObject({ status: 'void', paidMinor: 0, totalMinor: 150000, currency: 'USD' });
    expect(
      await prisma.auditEvent.count({
        where: { entityId: invoiceId, action: { in: ['invoice.issued', 'invoice.overdue', 'invoice.void'] } },
      }),
    ).toBe(3);
    await maybeRecordHistory(handle, 'fee-voided');

    // Paid after the grace period: recorded, then returned.
    const late = await pay(invoiceId);
    expect(late).toMatchObject({ status: 'refunded', statusReason: expect.stringContaining('The invoice is void') });
    expect(worker.payments.refunds.map((refund) => refund.paymentId)).toContain(late.id);
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'void', paidMinor: 0 });
    const [refunded, ...more] = await prisma.notification.findMany({ where: { partnerId, kind: 'payment-refunded' } });
    expect(more).toEqual([]);
    expect(refunded.subject).toBe('1,500.00 USD is on its way back to you');
    expect(refunded.body).toContain(`we are returning 1,500.00 USD of your payment on invoice ${number}: The invoice is void`);
    expect(refunded.body).toContain(`/v1/invoices/${invoiceId}`);
  });

  it('takes a refund that arrives before its payment, and returns the payment when it comes', async () => {
    const { invoiceId } = await startFee();
    const refund = await pay(invoiceId, { kind: 'refund', externalId: 're_1', refundsExternalId: 'pay_early' });
    expect(refund).toMatchObject({ kind: 'refund', status: 'pending_match' });
    const payment = await pay(invoiceId, { externalId: 'pay_early' });
    expect(payment).toMatchObject({ status: 'refunded', statusReason: expect.stringContaining('arrived first') });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ status: 'applied' });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'open', paidMinor: 0 });
  });

  it('holds a payment that does not match: a reviewer applies a partial payment, and returns one in another currency', async () => {
    const { invoiceId, handle } = await startFee();
    const partial = realTime.workflow.execute(paymentEventWorkflow, {
      workflowId: paymentEventWorkflowId('processor', randomUUID()),
      taskQueue: worker.taskQueue,
      args: [
        {
          provider: 'processor',
          externalId: 'pay_part',
          kind: 'payment',
          invoiceId,
          amountMinor: minorUnits(100000),
          currency: 'USD',
          recordedBy: 'payment-processor',
        },
      ],
    });
    const held = await eventually(() => prisma.payment.findFirst({ where: { invoiceId, externalId: 'pay_part', status: 'held' } }));
    expect(held.statusReason).toBe('Paid 1,000.00 USD; the balance due is 1,500.00 USD');
    const review = await pendingReviewOf(prisma, held.id);
    await realTime.workflow.getHandle(held.workflowId).executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId: review, decision: 'approve', reason: 'Customer pays in two parts', decidedBy: 'admin-key' }],
    });
    expect(await partial).toMatchObject({ status: 'applied' });
    await maybeRecordHistory(realTime.workflow.getHandle(held.workflowId), 'payment-held-approved');
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'open', paidMinor: 100000 });

    const euros = realTime.workflow.execute(paymentEventWorkflow, {
      workflowId: paymentEventWorkflowId('processor', randomUUID()),
      taskQueue: worker.taskQueue,
      args: [
        {
          provider: 'processor',
          externalId: 'pay_eur',
          kind: 'payment',
          invoiceId,
          amountMinor: minorUnits(50000),
          currency: 'EUR',
          recordedBy: 'payment-processor',
        },
      ],
    });
    const heldEuros = await eventually(() => prisma.payment.findFirst({ where: { invoiceId, externalId: 'pay_eur', status: 'held' } }));
    await realTime.workflow.getHandle(heldEuros.workflowId).executeUpdate(reviewDecisionUpdate, {
      args: [
        { reviewTaskId: await pendingReviewOf(prisma, heldEuros.id), decision: 'reject', reason: 'Wrong currency', decidedBy: 'admin-key' },
      ],
    });
    expect(await euros).toMatchObject({ status: 'refunded' });

    expect(await pay(invoiceId, { amountMinor: minorUnits(50000) })).toMatchObject({ status: 'applied' });
    expect(await handle.result()).toEqual({ status: 'paid', invoiceId });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'paid', paidMinor: 150000 });
  });

  it("answers a bank transfer through its workflow's update, with the payment as recorded", async () => {
    const { invoiceId, handle } = await startFee();
    const transfer = await realTime.workflow.start(paymentEventWorkflow, {
      workflowId: paymentEventWorkflowId('bank_transfer', randomUUID()),
      taskQueue: worker.taskQueue,
      args: [
        {
          provider: 'bank_transfer',
          externalId: `bank-transfer:${randomUUID()}`,
          kind: 'payment',
          invoiceId,
          amountMinor: FEE.totalMinor,
          currency: FEE.currency,
          reference: 'SWIFT MT103 0042',
          recordedBy: 'admin-key',
        },
      ],
    });
    const recorded = await transfer.executeUpdate(paymentRecordedUpdate);
    expect(recorded).toMatchObject({ provider: 'bank_transfer', status: 'applied', amountMinor: FEE.totalMinor, invoiceId });
    expect(await transfer.result()).toEqual(recorded);
    expect(await handle.result()).toEqual({ status: 'paid', invoiceId });
    await maybeRecordHistory(transfer, 'payment-bank-transfer-answered');
  });

  it('keeps a fee paid before the refund window on withdrawal', async () => {
    const { partnerId, invoiceId, handle } = await startFee();
    await pay(invoiceId);
    expect(await handle.result()).toEqual({ status: 'paid', invoiceId });
    await prisma.invoice.update({ where: { id: invoiceId }, data: { paidAt: new Date(Date.now() - 31 * DAY_SECONDS * 1000) } });

    const withdrawal = await realTime.workflow.start(withdrawalWorkflow, {
      workflowId: withdrawalWorkflowId(partnerId),
      taskQueue: worker.taskQueue,
      args: [{ partnerId, reason: 'Leaving', requestedBy: 'partner-key' }],
    });
    expect(await withdrawal.result()).toEqual({ status: 'withdrawn', refundedPaymentIds: [] });
    await maybeRecordHistory(withdrawal, 'withdrawal-fee-kept');
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'paid', paidMinor: 150000 });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'withdrawn' });
  });

  it('puts a paid benefit purchase on record with the subscription it gives until the term ends', async () => {
    const partnerId = await createActivePartner(prisma, catalog.id);
    // Activated now, at workflow time: its first term has all its days left, so nothing is prorated.
    const activatedAt = new Date(await env.currentTimeMs());
    await prisma.partner.update({ where: { id: partnerId }, data: { activatedAt } });
    const purchaseId = randomUUID();
    const handle = await realTime.workflow.start(benefitPurchaseWorkflow, {
      workflowId: benefitPurchaseWorkflowId(partnerId, purchaseId),
      taskQueue: worker.taskQueue,
      args: [{ purchaseId, partnerId, benefitCode: 'action-pack', requestedBy: 'partner-key' }],
    });
    const invoice = await eventually(() => prisma.invoice.findFirst({ where: { subjectId: purchaseId } }));
    // Registered's member price for the Action Pack is its list price.
    expect(invoice).toMatchObject({ purpose: 'benefit', totalMinor: 29900, currency: 'USD' });
    expect(await prisma.benefitPurchase.findUniqueOrThrow({ where: { id: purchaseId } })).toMatchObject({
      status: 'invoicing',
      invoiceId: invoice.id,
      termNumber: 1,
    });
    await pay(invoice.id, { amountMinor: minorUnits(29900) });
    expect(await handle.result()).toEqual({ status: 'paid', invoiceId: invoice.id });
    const purchase = await prisma.benefitPurchase.findUniqueOrThrow({ where: { id: purchaseId } });
    expect(purchase).toMatchObject({ status: 'paid', entitlementId: expect.any(String) });
    const entitlement = await prisma.entitlement.findUniqueOrThrow({ where: { id: purchase.entitlementId! } });
    expect(entitlement).toMatchObject({ termNumber: 1, source: 'purchase', sourceRef: purchaseId, kind: 'subscription', endedAt: null });
    expect(entitlement.validUntil).toEqual(purchase.validUntil);
    expect(await prisma.auditEvent.findFirst({ where: { entityId: partnerId, action: 'benefit.purchased' } })).toMatchObject({
      after: { benefitCode: 'action-pack', invoiceId: invoice.id, purchaseId, entitlementId: entitlement.id },
    });
    await maybeRecordHistory(handle, 'benefit-purchase-subscribed');
  });

  it('closes a purchase whose invoice goes void unpaid, which gives nothing and leaves the benefit for sale', async () => {
    const partnerId = await createActivePartner(prisma, catalog.id);
    await prisma.partner.update({ where: { id: partnerId }, data: { activatedAt: new Date(await env.currentTimeMs()) } });
    const purchaseId = randomUUID();
    const handle = await env.client.workflow.start(benefitPurchaseWorkflow, {
      workflowId: benefitPurchaseWorkflowId(partnerId, purchaseId),
      taskQueue: worker.taskQueue,
      args: [{ purchaseId, partnerId, benefitCode: 'action-pack', requestedBy: 'partner-key' }],
    });
    expect(await handle.result()).toMatchObject({ status: 'void' });
    expect(await prisma.benefitPurchase.findUniqueOrThrow({ where: { id: purchaseId } })).toMatchObject({
      status: 'void',
      entitlementId: null,
    });
    expect(await prisma.entitlement.count({ where: { partnerId } })).toBe(0);
    await maybeRecordHistory(handle, 'benefit-purchase-void');
  });

  it('voids the open invoice when its process is cancelled', async () => {
    const { invoiceId, handle } = await startFee();
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'void' });
  });
});

/**
 * A worker killed mid-process, on the real dev server (whose sticky-queue timeouts hand the
 * workflow to the next worker as in production).
 */
describe('fee payment across a worker restart (Temporal dev server, real Postgres)', () => {
  let prisma: PrismaClient;
  let connection: NativeConnection;
  let client: Client;
  let worker: RunningTestWorker | undefined;

  beforeAll(async () => {
    prisma = testPrisma(await createIsolatedDatabase());
    connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  });

  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await connection?.close();
    await prisma?.$disconnect();
  });

  it('ends with one invoice and one payment, and a redelivered event changes nothing', async () => {
    const first = await startTestWorker(connection, { prisma });
    const taskQueue = first.taskQueue;
    worker = first;
    const { invoiceId, handle } = await startFeeOn(client, prisma, taskQueue);
    await first.stop();
    worker = undefined;

    const eventId = randomUUID();
    const event: WorkflowStartOptions<typeof paymentEventWorkflow> = {
      workflowId: paymentEventWorkflowId('processor', eventId),
      taskQueue,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [
        {
          provider: 'processor',
          externalId: `pay_${eventId}`,
          kind: 'payment',
          invoiceId,
          amountMinor: FEE.totalMinor,
          currency: 'USD',
          recordedBy: 'payment-processor',
        },
      ],
    };
    await client.workflow.start(paymentEventWorkflow, event);
    worker = await startTestWorker(connection, { prisma }, 'default', taskQueue);

    expect(await handle.result()).toEqual({ status: 'paid', invoiceId });
    await expect(client.workflow.start(paymentEventWorkflow, event)).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(await prisma.invoice.count({ where: { workflowId: feePaymentWorkflowId(invoiceId) } })).toBe(1);
    expect(await prisma.payment.findMany({ where: { invoiceId } })).toEqual([
      expect.objectContaining({ status: 'applied', amountMinor: 150000 }),
    ]);
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoiceId } })).toMatchObject({ status: 'paid', paidMinor: 150000 });
    await maybeRecordHistory(handle, 'fee-paid');
  });
});
