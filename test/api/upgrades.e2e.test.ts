import { randomUUID } from 'node:crypto';
import { DAY_MS } from '../../domain/time';
import { bearer, payInvoiceFor, useApiHarness } from '../support/api';
import { createActivePartner, eventually } from '../support/fixtures';

describe('upgrades through the API, under the default catalog', () => {
  const harness = useApiHarness();

  /** An active Registered partner that meets Certified: 60 points and a competency granted for the year. */
  async function qualifiedPartner(): Promise<string> {
    const partnerId = await createActivePartner(harness.prisma, '2026.2');
    const now = new Date();
    await harness.prisma.pointEntry.create({
      data: {
        id: randomUUID(),
        dedupeKey: `test:${randomUUID()}`,
        partnerId,
        sourceCode: 'competency-first',
        kind: 'award',
        points: 60,
        catalogVersionId: '2026.2',
        occurredAt: now,
        recordedAt: now,
      },
    });
    await harness.prisma.partnerCompetency.create({
      data: {
        id: randomUUID(),
        partnerId,
        code: 'security',
        workflowId: `competency-${partnerId}-security`,
        runId: randomUUID(),
        status: 'granted',
        catalogVersionId: '2026.2',
        requestedBy: 'test',
        grantedAt: now,
        validUntil: new Date(now.getTime() + 365 * DAY_MS),
        createdAt: now,
        updatedAt: now,
      },
    });
    return partnerId;
  }

  const requestUpgrade = (partnerId: string, key: string) =>
    harness.http
      .post(`/v1/partners/${partnerId}/upgrade`)
      .set(bearer(harness.adminKey))
      .set('Idempotency-Key', key)
      .send({ level: 'certified' });

  it('takes one upgrade at a time: requests at once leave one in flight and refuse the rest', async () => {
    const partnerId = await qualifiedPartner();
    const answers = await Promise.all(['a', 'b', 'c'].map((key) => requestUpgrade(partnerId, key)));
    expect(answers.every((answer) => answer.status === 202 || (answer.status === 409 && answer.body.code === 'upgrade_in_progress'))).toBe(
      true,
    );
    const accepted = answers.filter((answer) => answer.status === 202).map((answer) => answer.body.upgradeRequestId as string);
    const settled = await eventually(async () => {
      const rows = await harness.prisma.upgradeRequest.findMany({ where: { partnerId } });
      return rows.length === accepted.length && rows.every((row) => row.status !== 'checking') && rows;
    });
    expect(settled.filter((row) => row.status === 'in_review')).toHaveLength(1);
    expect(settled.filter((row) => row.status === 'refused').every((row) => row.statusReason?.endsWith('is in progress'))).toBe(true);
    // Once one is in flight, a new request is refused at once.
    expect((await requestUpgrade(partnerId, 'd').expect(409)).body.code).toBe('upgrade_in_progress');
    // The same request again (its Idempotency-Key) still answers the one in flight.
    const inFlight = settled.find((row) => row.status === 'in_review')!;
    expect(accepted).toContain(inFlight.id);
  });

  it('leaves the level of a partner that withdrew while its upgrade waited for payment as it was', async () => {
    const partnerId = await qualifiedPartner();
    const requested = await requestUpgrade(partnerId, 'only').expect(202);
    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: requested.body.upgradeRequestId, status: 'pending' } }),
    );
    await harness.http.post(`/v1/reviews/${review.id}/decision`).set(bearer(harness.reviewerKey)).send({ decision: 'approve' }).expect(200);
    await eventually(() => harness.prisma.invoice.findFirst({ where: { subjectId: requested.body.upgradeRequestId, status: 'open' } }));
    await harness.http.post(`/v1/partners/${partnerId}/withdraw`).set(bearer(harness.adminKey)).send({ reason: 'leaving' }).expect(202);
    await eventually(async () => (await harness.prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).status === 'withdrawn');

    await payInvoiceFor(harness, requested.body.upgradeRequestId);
    const upgrade = await eventually(async () => {
      const row = await harness.prisma.upgradeRequest.findUniqueOrThrow({ where: { id: requested.body.upgradeRequestId } });
      return row.status === 'approved' && row;
    });
    expect(upgrade.toLevel).toBe('certified');
    expect(await harness.prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({
      status: 'withdrawn',
      level: 'registered',
    });
    expect(await harness.prisma.auditEvent.count({ where: { entityId: partnerId, action: 'partner.level_changed' } })).toBe(0);
  });
});
