import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { MergedPartners } from '../../activities/consolidations';
import type { PrismaClient } from '../../lib/database';
import { partnerCompetencyId } from '../../lib/ids';
import { CONSOLIDATION_REFUSED, type ConsolidationInput } from '../../workflows/consolidations/definitions';
import { createActivePartner, RecordingMailer, RecordingPaymentProvider, testPrisma } from '../support/fixtures';
import { DAY_MS } from '../../domain/time';

const NOW = new Date('2026-11-25T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

describe('consolidation activities: the locked move (real Postgres)', () => {
  let prisma: PrismaClient;
  let payments: RecordingPaymentProvider;
  let activities: ReturnType<typeof createActivities>;
  const env = new MockActivityEnvironment();

  beforeAll(() => {
    prisma = testPrisma();
    payments = new RecordingPaymentProvider();
    activities = createActivities({ prisma, mailer: new RecordingMailer(), payments, clock: { now: () => NOW } });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  async function evidence(partnerId: string, naturalKey: string, points: number, occurredAt: Date) {
    const id = randomUUID();
    await prisma.evidence.create({
      data: {
        id,
        partnerId,
        kind: 'tested-solution',
        naturalKey,
        details: {},
        status: 'verified',
        points,
        workflowId: `evidence-${id}`,
        catalogVersionId: '2026.1',
        recordedBy: 'test',
        createdAt: occurredAt,
      },
    });
    return { id, award: await entry(partnerId, 'tested-solution', points, occurredAt, { evidenceId: id }) };
  }

  async function entry(partnerId: string, sourceCode: string, points: number, occurredAt: Date, extra: object = {}) {
    const id = randomUUID();
    await prisma.pointEntry.create({
      data: {
        id,
        dedupeKey: `test:${id}`,
        partnerId,
        sourceCode,
        kind: 'award',
        points,
        catalogVersionId: '2026.1',
        occurredAt,
        recordedAt: occurredAt,
        ...extra,
      },
    });
    return id;
  }

  async function consolidation(survivorId: string, absorbedId: string): Promise<ConsolidationInput & { workflowId: string }> {
    const input = { consolidationId: randomUUID(), survivorId, absorbedId, requestedBy: 'test', workflowId: `consolidation-${absorbedId}` };
    await env.run(activities.transitionConsolidation, { ...input, step: 1, status: 'in_review' as const, actor: 'test' });
    return input;
  }

  it('moves net points once, leaves duplicate evidence behind, carries a grant, and refunds the unused fee', async () => {
    const survivorId = await createActivePartner(prisma, '2026.1');
    const absorbedId = await createActivePartner(prisma, '2026.1');
    const activatedAt = daysAgo(100);
    await prisma.partner.update({ where: { id: absorbedId }, data: { level: 'certified', activatedAt } });

    await evidence(survivorId, 'tested-solution:same', 10, daysAgo(30));
    const duplicate = await evidence(absorbedId, 'tested-solution:same', 10, daysAgo(20));
    const corrected = await evidence(absorbedId, 'tested-solution:own', 10, daysAgo(10));
    await entry(absorbedId, 'tested-solution', -4, daysAgo(10), { kind: 'correction', correctsEntryId: corrected.award });
    const expired = await entry(absorbedId, 'conference', 3, daysAgo(400));
    await entry(absorbedId, 'conference', -3, daysAgo(400), { kind: 'expiry', correctsEntryId: expired, dedupeKey: `expiry:${expired}` });
    const competencyAward = await entry(absorbedId, 'competency-first', 50, daysAgo(5));
    await prisma.partnerCompetency.create({
      data: {
        id: partnerCompetencyId(absorbedId, 'security'),
        partnerId: absorbedId,
        code: 'security',
        workflowId: `competency-${absorbedId}-security`,
        runId: 'run-1',
        status: 'granted',
        catalogVersionId: '2026.1',
        requestedBy: 'test',
        awardEntryId: competencyAward,
        grantedAt: daysAgo(5),
        validUntil: new Date(NOW.getTime() + 360 * DAY_MS),
        createdAt: daysAgo(60),
        updatedAt: daysAgo(5),
      },
    });
    const invoiceId = randomUUID();
    await prisma.invoice.create({
      data: {
        id: invoiceId,
        partnerId: absorbedId,
        purpose: 'enrollment',
        subjectId: randomUUID(),
        workflowId: `fee-${invoiceId}`,
        status: 'paid',
        currency: 'USD',
        lines: [],
        subtotalMinor: 150000,
        taxRateBps: 0,
        taxMinor: 0,
        totalMinor: 150000,
        paidMinor: 150000,
        catalogVersionId: '2026.1',
        issuedAt: daysAgo(105),
        dueAt: daysAgo(75),
        paidAt: daysAgo(101),
        updatedAt: daysAgo(101),
        payments: {
          create: {
            id: randomUUID(),
            provider: 'bank_transfer',
            externalId: `bank-transfer:${invoiceId}`,
            kind: 'payment',
            amountMinor: 150000,
            currency: 'USD',
            status: 'applied',
            workflowId: 'payment-test',
            recordedBy: 'test',
            receivedAt: daysAgo(101),
            updatedAt: daysAgo(101),
          },
        },
      },
    });

    const input = await consolidation(survivorId, absorbedId);
    const merge = (): Promise<MergedPartners> =>
      env.run(activities.mergePartners, { ...input, actor: 'reviewer', asOf: NOW.toISOString() });
    const merged = await merge();
    // 150000 for 365 days, of which 265 are left: 108904.1 rounds to 108904.
    expect(merged.moved).toEqual({
      offices: 1,
      evidence: 1,
      duplicateEvidence: 1,
      transferEntries: 2,
      points: 6 + 50,
      competencies: ['security'],
      feeCredit: { amountMinor: 108904, currency: 'USD', refunds: 1 },
    });
    expect(merged.stopWorkflowIds).toEqual([`competency-${absorbedId}-security`]);

    const ledger = async (partnerId: string) =>
      (await prisma.pointEntry.aggregate({ where: { partnerId, kind: { not: 'expiry' } }, _sum: { points: true } }))._sum.points;
    expect(await ledger(survivorId)).toBe(10 + 56);
    // What stays with the absorbed partner is the duplicate's award, which the survivor's own record already counts.
    expect(await ledger(absorbedId)).toBe(10 + 3);
    const moved = await prisma.pointEntry.findMany({ where: { partnerId: survivorId, kind: 'transfer' }, orderBy: { occurredAt: 'asc' } });
    expect(moved.map((row) => [row.points, row.occurredAt.toISOString()])).toEqual([
      [6, daysAgo(10).toISOString()],
      [50, daysAgo(5).toISOString()],
    ]);
    expect(await prisma.evidence.findUniqueOrThrow({ where: { id: duplicate.id } })).toMatchObject({ partnerId: absorbedId });
    expect(await prisma.evidence.findUniqueOrThrow({ where: { id: corrected.id } })).toMatchObject({ partnerId: survivorId });
    const grant = await prisma.partnerCompetency.findUniqueOrThrow({ where: { id: partnerCompetencyId(survivorId, 'security') } });
    expect(grant).toMatchObject({ status: 'granted', awardEntryId: moved[1].id, validUntil: new Date(NOW.getTime() + 360 * DAY_MS) });

    // A retried activity finds the move done and answers the same.
    expect(await merge()).toEqual(merged);
    expect(await ledger(survivorId)).toBe(66);

    for (const refund of merged.feeRefunds)
      await env.run(activities.refundUnusedFee, { ...refund, consolidationId: input.consolidationId });
    expect(payments.refunds).toEqual([
      expect.objectContaining({ amountMinor: 108904, currency: 'USD', externalId: `bank-transfer:${invoiceId}` }),
    ]);
  });

  it('refuses under lock when a partner is no longer active or the countries differ', async () => {
    const survivorId = await createActivePartner(prisma, '2026.1');
    const withdrawnId = await createActivePartner(prisma, '2026.1');
    await prisma.partner.update({ where: { id: withdrawnId }, data: { status: 'withdrawn' } });
    const frenchId = await createActivePartner(prisma, '2026.1', 'FR');
    for (const absorbedId of [withdrawnId, frenchId]) {
      const input = await consolidation(survivorId, absorbedId);
      await expect(env.run(activities.mergePartners, { ...input, actor: 'reviewer', asOf: NOW.toISOString() })).rejects.toMatchObject({
        type: CONSOLIDATION_REFUSED,
      });
    }
    expect(await prisma.location.count({ where: { partnerId: survivorId } })).toBe(1);
  });
});
