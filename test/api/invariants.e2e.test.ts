import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TransactionClient } from '../../lib/database';
import { repoRoot } from '../../lib/paths';
import { checkInvariants, INVARIANTS, type Violation } from '../../queries/invariants';
import { bearer, enrollActivePartner, enrollAndAwaitReview, type Enrolled, payInvoiceFor, useApiHarness } from '../support/api';
import { eventually, sampleApplication } from '../support/fixtures';
import { createGoldByFeeDatabase } from '../support/isolated-database';

const run = promisify(execFile);
const ROLLBACK = new Error('rolled back on purpose');

describe('the invariant checker over a database the processes wrote (real API, worker, Temporal and Postgres)', () => {
  let databaseUrl: string;
  const harness = useApiHarness({
    prepare: async () => {
      // Gold asks for nothing but its fee, so a journey pays, withdraws and is refunded quickly.
      databaseUrl = await createGoldByFeeDatabase('test-invariants-gold-by-fee');
      return { DATABASE_URL: databaseUrl };
    },
  });
  let registered: Enrolled;
  let gold: Enrolled;
  let rejected: Enrolled;

  beforeAll(async () => {
    // Journeys that touch every table a check reads: an active member that buys a benefit, a
    // Gold member that pays its fee, buys, leaves within the refund window, and a rejection.
    registered = await enrollActivePartner(harness, harness.reviewerKey);
    const purchase = await harness.http
      .post(`/v1/partners/${registered.partnerId}/benefits/msdn-subscription/purchases`)
      .set(bearer(registered.apiKey))
      .set('Idempotency-Key', 'invariants-msdn')
      .expect(202);
    await payInvoiceFor(harness, purchase.body.purchaseId);

    const goldApplicant = await enrollAndAwaitReview(harness, sampleApplication('gold', 'GB'));
    await harness.http
      .post(`/v1/reviews/${goldApplicant.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' });
    await payInvoiceFor(harness, goldApplicant.enrollmentId);
    gold = goldApplicant;
    await eventually(async () => (await harness.prisma.partner.findUnique({ where: { id: gold.partnerId } }))?.status === 'active');
    await harness.http
      .post(`/v1/partners/${gold.partnerId}/withdraw`)
      .set(bearer(gold.apiKey))
      .send({ reason: 'Leaving the channel business' })
      .expect(202);
    await eventually(
      async () => (await harness.prisma.invoice.findFirst({ where: { subjectId: gold.enrollmentId } }))?.status === 'refunded',
    );

    const applicant = await enrollAndAwaitReview(harness, sampleApplication('registered', 'DE'));
    await harness.http
      .post(`/v1/reviews/${applicant.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: 'incomplete company details' })
      .expect(200);
    rejected = applicant;
    await eventually(
      async () => (await harness.prisma.enrollment.findUnique({ where: { id: applicant.enrollmentId } }))?.status === 'rejected',
    );
    await eventually(
      async () => (await harness.prisma.membership.findUnique({ where: { partnerId: gold.partnerId } }))?.status === 'withdrawn',
    );
  });

  /** Writes a bad row, checks inside the same transaction and rolls it all back. */
  async function violationsAfter(invariant: string, write: (tx: TransactionClient) => Promise<unknown>): Promise<Violation[]> {
    let found: Violation[] = [];
    await harness.prisma
      .$transaction(async (tx) => {
        await write(tx);
        found = (await checkInvariants(tx, { only: [invariant] })).violations;
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    return found;
  }

  const awardOf = (tx: TransactionClient, partnerId: string) =>
    tx.pointEntry.create({
      data: {
        id: randomUUID(),
        dedupeKey: `invariants-test:${randomUUID()}`,
        partnerId,
        sourceCode: 'customer-reference',
        kind: 'award',
        points: 5,
        catalogVersionId: 'test-invariants-gold-by-fee',
        occurredAt: new Date(),
        recordedAt: new Date(),
      },
    });

  it('finds nothing wrong after enrollments, approvals, a rejection, payments, a purchase, a withdrawal and its refund', async () => {
    const report = await checkInvariants(harness.prisma);
    expect(report.checked).toEqual(INVARIANTS.map((invariant) => invariant.name));
    expect(report.violations).toEqual([]);
    // The journeys did reach the rows the checks read.
    expect(await harness.prisma.refundOrder.count({ where: { status: 'booked' } })).toBe(1);
    expect(await harness.prisma.invoice.count({ where: { status: 'paid' } })).toBe(1);
    expect((await harness.prisma.partner.findUniqueOrThrow({ where: { id: rejected.partnerId } })).status).toBe('rejected');
  });

  it('reports a missing unique key', async () => {
    const found = await violationsAfter('unique-keys-in-place', (tx) => tx.$executeRawUnsafe('DROP INDEX "Invoice_workflowId_key"'));
    expect(found).toEqual([expect.objectContaining({ subject: 'index:Invoice_workflowId_key' })]);
  });

  it('reports a second live invoice for the same enrollment', async () => {
    const found = await violationsAfter('one-live-invoice-per-subject', async (tx) => {
      const invoice = await tx.invoice.findFirstOrThrow({ where: { partnerId: registered.partnerId, purpose: 'benefit' } });
      const { id: _id, sequence: _sequence, lines, ...copy } = invoice;
      await tx.invoice.create({
        data: { ...copy, lines: lines as object, id: randomUUID(), workflowId: `fee-${randomUUID()}`, status: 'open' },
      });
    });
    expect(found).toEqual([
      expect.objectContaining({ partnerId: registered.partnerId, detail: expect.stringMatching(/^2 live benefit invoices/) }),
    ]);
  });

  it('reports two payments recorded by one processor event', async () => {
    const found = await violationsAfter('one-payment-per-processor-event', async (tx) => {
      const invoice = await tx.invoice.findFirstOrThrow({ where: { partnerId: registered.partnerId, purpose: 'benefit' } });
      for (const externalId of ['pay_a', 'pay_b']) {
        await tx.payment.create({
          data: {
            id: randomUUID(),
            invoiceId: invoice.id,
            provider: 'processor',
            externalId,
            kind: 'payment',
            amountMinor: 1,
            currency: invoice.currency,
            status: 'held',
            workflowId: 'payment-processor-evt_same',
            recordedBy: 'test',
            receivedAt: new Date(),
            updatedAt: new Date(),
          },
        });
      }
    });
    expect(found).toEqual([expect.objectContaining({ detail: '2 payments recorded by payment-processor-evt_same' })]);
  });

  it('reports an invoice whose paid amount is not what its payments net', async () => {
    const found = await violationsAfter('invoice-paid-equals-payments', (tx) =>
      tx.invoice.updateMany({ where: { partnerId: registered.partnerId, purpose: 'benefit' }, data: { paidMinor: { increment: 100 } } }),
    );
    expect(found).toEqual([
      expect.objectContaining({ partnerId: registered.partnerId, detail: expect.stringMatching(/^paid \d+ but its payments net \d+$/) }),
    ]);
  });

  it('reports a refund of a payment not on record, and one returning more than was paid', async () => {
    const found = await violationsAfter('refund-has-its-payment', async (tx) => {
      const payment = await tx.payment.findFirstOrThrow({ where: { invoice: { partnerId: gold.partnerId } } });
      const order = { amountMinor: payment.amountMinor, currency: 'GBP', reason: 'test', status: 'booked', orderedAt: new Date() };
      await tx.refundOrder.create({ data: { ...order, id: randomUUID(), idempotencyKey: randomUUID(), paymentId: randomUUID() } });
      await tx.refundOrder.create({ data: { ...order, id: randomUUID(), idempotencyKey: randomUUID(), paymentId: payment.id } });
    });
    expect(found.map((violation) => violation.detail)).toEqual([
      expect.stringMatching(/^returned 360000 of 180000$/),
      expect.stringMatching(/^refunds unknown payment /),
    ]);
  });

  it('reports an active partner whose level is not its term’s', async () => {
    const found = await violationsAfter('partner-level-is-term-level', (tx) =>
      tx.membership.update({ where: { partnerId: registered.partnerId }, data: { level: 'gold' } }),
    );
    expect(found).toEqual([expect.objectContaining({ partnerId: registered.partnerId, detail: 'level registered but term 1 is gold' })]);
  });

  it('reports an active partner without a running membership, and a withdrawn one with one', async () => {
    const found = await violationsAfter('one-open-membership-per-active-partner', async (tx) => {
      await tx.membership.delete({ where: { partnerId: registered.partnerId } });
      await tx.membership.update({ where: { partnerId: gold.partnerId }, data: { status: 'active' } });
    });
    expect(found.map((violation) => [violation.partnerId, violation.detail]).sort()).toEqual(
      [
        [registered.partnerId, 'active with membership missing'],
        [gold.partnerId, 'withdrawn with membership active'],
      ].sort(),
    );
  });

  it('reports an expiry that amends nothing and a correction of another partner’s entry', async () => {
    const found = await violationsAfter('ledger-entries-chain', async (tx) => {
      const award = await awardOf(tx, registered.partnerId);
      const expiry = { ...award, id: randomUUID(), dedupeKey: randomUUID(), kind: 'expiry', points: -5 };
      await tx.pointEntry.create({ data: { ...expiry, correctsEntryId: null } });
      await tx.pointEntry.create({
        data: {
          ...expiry,
          id: randomUUID(),
          dedupeKey: randomUUID(),
          kind: 'correction',
          partnerId: gold.partnerId,
          correctsEntryId: award.id,
        },
      });
    });
    expect(found.map((violation) => violation.detail).sort()).toEqual([
      "correction amends another partner's entry",
      'expiry amends nothing',
    ]);
  });

  it('reports an award taken below zero by its corrections', async () => {
    const found = await violationsAfter('ledger-entries-not-negative', async (tx) => {
      const award = await awardOf(tx, registered.partnerId);
      await tx.pointEntry.create({
        data: { ...award, id: randomUUID(), dedupeKey: randomUUID(), kind: 'correction', points: -8, correctsEntryId: award.id },
      });
    });
    expect(found).toEqual([expect.objectContaining({ partnerId: registered.partnerId, detail: 'award of 5 stands at -3' })]);
  });

  it('reports a consolidation whose transfers make points', async () => {
    const consolidationId = randomUUID();
    const found = await violationsAfter('ledger-transfers-balance', async (tx) => {
      const award = await awardOf(tx, registered.partnerId);
      await tx.pointEntry.create({
        data: { ...award, id: randomUUID(), dedupeKey: `consolidation:${consolidationId}:in:${award.id}`, kind: 'transfer', points: 7 },
      });
    });
    expect(found).toEqual([expect.objectContaining({ subject: `consolidation:${consolidationId}`, detail: 'transfers sum to 7' })]);
  });

  it('reports a decided review without its decision, and an approval event twice over', async () => {
    const found = await violationsAfter('one-decision-per-decided-review', async (tx) => {
      const task = await tx.reviewTask.findFirstOrThrow({ where: { partnerId: registered.partnerId, status: 'approved' } });
      await tx.reviewTask.update({ where: { id: task.id }, data: { decision: null } });
      const other = await tx.reviewTask.findFirstOrThrow({ where: { partnerId: gold.partnerId, status: 'approved' } });
      const event = await tx.auditEvent.findFirstOrThrow({ where: { entityId: other.id, action: 'review.decided' } });
      await tx.auditEvent.create({
        data: { ...event, before: event.before ?? undefined, after: event.after ?? undefined, id: randomUUID(), dedupeKey: randomUUID() },
      });
    });
    expect(found.map((violation) => violation.detail).sort()).toEqual([
      'approved with decision approve, 2 decision events',
      'approved with decision none, 1 decision events',
    ]);
  });

  it('reports a consolidated partner with a process still open', async () => {
    const found = await violationsAfter('consolidated-partner-has-no-open-process', async (tx) => {
      await tx.partner.update({ where: { id: registered.partnerId }, data: { status: 'consolidated' } });
      await tx.reviewTask.create({
        data: {
          id: randomUUID(),
          kind: 'evidence',
          workflowId: 'test',
          partnerId: registered.partnerId,
          status: 'pending',
          summary: 'test',
          dueAt: new Date(),
        },
      });
    });
    expect(found).toEqual([
      expect.objectContaining({ partnerId: registered.partnerId, detail: 'ReviewTask still pending after consolidation' }),
    ]);
  });

  it('reports a status reached with no audit event saying so', async () => {
    const found = await violationsAfter('status-changes-audited', (tx) =>
      tx.partner.update({ where: { id: registered.partnerId }, data: { status: 'withdrawn' } }),
    );
    expect(found).toEqual([
      expect.objectContaining({ partnerId: registered.partnerId, detail: 'partner is withdrawn with no audit event saying so' }),
    ]);
  });

  it('scopes a report to some partners', async () => {
    const found = await violationsAfter('partner-level-is-term-level', async (tx) => {
      await tx.membership.update({ where: { partnerId: registered.partnerId }, data: { level: 'gold' } });
      const scoped = await checkInvariants(tx, { only: ['partner-level-is-term-level'], partnerIds: [gold.partnerId] });
      expect(scoped.violations).toEqual([]);
    });
    expect(found).toHaveLength(1);
  });

  it('runs as `npm run verify`: every check on its own line, exit 0 on a sound database and 1 with the violation printed', async () => {
    const verify = join(repoRoot(), 'dist', 'scripts', 'verify.js');
    const env = { ...process.env, DATABASE_URL: databaseUrl };
    const sound = await run(process.execPath, [verify], { env });
    expect(sound.stdout).toContain(`${INVARIANTS.length} invariants checked`);
    expect(sound.stdout.split('\n').filter((line) => line.startsWith('ok   '))).toHaveLength(INVARIANTS.length);

    await harness.prisma.membership.update({ where: { partnerId: registered.partnerId }, data: { level: 'gold' } });
    try {
      const broken = await run(process.execPath, [verify, '--only', 'partner-level-is-term-level'], { env }).catch(
        (error: { code: number; stdout: string }) => error,
      );
      expect(broken).toMatchObject({ code: 1 });
      expect(broken.stdout).toContain('FAIL partner-level-is-term-level: 1 violation(s)');
      expect(broken.stdout).toContain(`partner:${registered.partnerId}: level registered but term 1 is gold`);
    } finally {
      await harness.prisma.membership.update({ where: { partnerId: registered.partnerId }, data: { level: 'registered' } });
    }
    const unknown = await run(process.execPath, [verify, '--only', 'no-such-check'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown invariant no-such-check') });
  });
});
