import { eventually } from '../support/fixtures';
import {
  bearer,
  enrollActivePartner as activePartner,
  payInvoiceFor,
  recordVerifiedEvidence as recordVerified,
  type Standing,
  standingOf,
  useApiHarness,
} from '../support/api';
import { createIsolatedDatabase, publishCatalogVariant } from '../support/isolated-database';

/** Evidence worth 50 points under the default catalog: tested solutions and business wins. */
const FIFTY_POINTS = [
  ...['T-1', 'T-2', 'T-3', 'T-4'].map((testId) => ({
    kind: 'tested-solution',
    details: { solutionName: `Solution ${testId}`, testType: 'software-certification', testId, result: 'passed' },
  })),
  ...[1, 2, 3, 4, 5].map((n) => ({
    kind: 'customer-reference',
    details: { customerName: `Customer ${n}`, contactEmail: `buyer${n}@customer.example`, projectTitle: 'Rollout', wonAt: '2026-10-01' },
  })),
];

const certified = (standing: Standing) => standing.eligibility.find((evaluation) => evaluation.level === 'certified')!;

describe('Partner Points under the default catalog', () => {
  const harness = useApiHarness();

  it('earns 50 points from verified evidence; Certified then misses only a competency', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    const empty = await standingOf(harness, partner);
    expect(empty.points.total).toBe(0);
    expect(certified(empty).missing).toEqual([
      { requirement: 'points', have: 0, need: 50 },
      { requirement: 'competencies', have: 0, need: 1 },
    ]);

    await recordVerified(harness, partner, harness.reviewerKey, FIFTY_POINTS);
    const standing = await standingOf(harness, partner);
    expect(standing.points.total).toBe(50);
    expect(standing.points.bySource.map((source) => [source.sourceCode, source.counted])).toEqual([
      ['business-win', 10],
      ['tested-solution', 40],
    ]);
    expect(certified(standing).missing).toEqual([{ requirement: 'competencies', have: 0, need: 1 }]);
    expect(standing.highestEligibleLevel).toBe('registered');

    const refused = await harness.http
      .post(`/v1/partners/${partner.partnerId}/upgrade`)
      .set(bearer(partner.apiKey))
      .send({ level: 'certified' })
      .expect(422);
    expect(refused.body).toMatchObject({
      code: 'not_eligible',
      details: { level: 'certified', missing: [{ requirement: 'competencies', have: 0, need: 1 }] },
    });
    expect(await harness.prisma.pointEntry.count({ where: { partnerId: partner.partnerId } })).toBe(9);
  });

  it('refuses duplicate evidence, bad shapes, other partners and rejected evidence without ledger entries', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    const other = await activePartner(harness, harness.reviewerKey);
    const item = FIFTY_POINTS[0];
    await harness.http.post(`/v1/partners/${partner.partnerId}/evidence`).set(bearer(partner.apiKey)).send(item).expect(202);
    const duplicate = await harness.http
      .post(`/v1/partners/${partner.partnerId}/evidence`)
      .set(bearer(partner.apiKey))
      .send(item)
      .expect(409);
    expect(duplicate.body.code).toBe('duplicate_evidence');

    const badShape = await harness.http
      .post(`/v1/partners/${partner.partnerId}/evidence`)
      .set(bearer(partner.apiKey))
      .send({ kind: 'product-sales', details: { productLine: 'Server', period: '2026-13', units: -1, extra: true } })
      .expect(400);
    expect(badShape.body.fields.map((field: { field: string }) => field.field).sort()).toEqual([
      'details.extra',
      'details.period',
      'details.units',
    ]);

    await harness.http.post(`/v1/partners/${other.partnerId}/evidence`).set(bearer(partner.apiKey)).send(FIFTY_POINTS[1]).expect(404);
    await harness.http.get(`/v1/partners/${other.partnerId}/standing`).set(bearer(partner.apiKey)).expect(404);
    const reviewerRecording = await harness.http
      .post(`/v1/partners/${partner.partnerId}/evidence`)
      .set(bearer(harness.reviewerKey))
      .send(FIFTY_POINTS[2])
      .expect(403);
    expect(reviewerRecording.body.code).toBe('forbidden');

    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { partnerId: partner.partnerId, kind: 'evidence', status: 'pending' } }),
    );
    await harness.http
      .post(`/v1/reviews/${review.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: 'no such test id' })
      .expect(200);
    await eventually(
      async () => (await harness.prisma.evidence.findFirst({ where: { partnerId: partner.partnerId } }))?.status === 'rejected',
    );
    expect(await harness.prisma.pointEntry.count({ where: { partnerId: { in: [partner.partnerId, other.partnerId] } } })).toBe(0);
    const listed = await harness.http.get(`/v1/partners/${partner.partnerId}/evidence`).set(bearer(partner.apiKey)).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ kind: 'tested-solution', status: 'rejected', points: 10 })]);
  });

  it('corrects the ledger with new entries only, never below zero', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    await recordVerified(harness, partner, harness.reviewerKey, FIFTY_POINTS.slice(4, 6));
    const award = await harness.prisma.pointEntry.findFirstOrThrow({ where: { partnerId: partner.partnerId, sourceCode: 'business-win' } });
    const path = `/v1/partners/${partner.partnerId}/points/corrections`;
    const body = { entryId: award.id, points: -1, reason: 'duplicate customer' };

    await harness.http.post(path).set(bearer(partner.apiKey)).send(body).expect(403);
    const first = await harness.http.post(path).set(bearer(harness.adminKey)).set('Idempotency-Key', 'fix-1').send(body).expect(201);
    const again = await harness.http.post(path).set(bearer(harness.adminKey)).set('Idempotency-Key', 'fix-1').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({
      kind: 'correction',
      points: -1,
      correctsEntryId: award.id,
      occurredAt: award.occurredAt.toISOString(),
    });

    const tooMuch = await harness.http
      .post(path)
      .set(bearer(harness.adminKey))
      .send({ ...body, points: -2 })
      .expect(422);
    expect(tooMuch.body.code).toBe('correction_refused');
    await harness.http
      .post(path)
      .set(bearer(harness.adminKey))
      .send({ ...body, points: 0 })
      .expect(400);

    const standing = await standingOf(harness, partner);
    expect(standing.points.total).toBe(3);
    expect(await harness.prisma.pointEntry.findUniqueOrThrow({ where: { id: award.id } })).toMatchObject({ points: 2, kind: 'award' });
  });

  it('awards Customer Satisfaction points once enough customers answered well through single-use tokens', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    const tokens: string[] = [];
    for (let n = 1; n <= 5; n++) {
      const customerEmail = `csi-${partner.partnerId.slice(0, 8)}-${n}@customer.example`;
      const invited = await harness.http
        .post(`/v1/partners/${partner.partnerId}/surveys`)
        .set(bearer(partner.apiKey))
        .send({ customerName: `Customer ${n}`, customerEmail })
        .expect(202);
      expect(Object.keys(invited.body).sort()).toEqual(['invitationId', 'status', 'workflowId']);
      const mail = await eventually(async () => harness.worker.mailer.sent.find((message) => message.to === customerEmail));
      tokens.push(/token (\S+)/.exec(mail.body)![1]);
    }
    await eventually(
      async () => (await harness.prisma.surveyInvitation.count({ where: { partnerId: partner.partnerId, status: 'sent' } })) === 5,
    );

    await harness.http
      .post('/v1/surveys/responses')
      .send({ token: tokens[0], scores: [6] })
      .expect(400);
    await harness.http
      .post('/v1/surveys/responses')
      .send({ token: 'x'.repeat(32), scores: [5] })
      .expect(404);
    for (const token of tokens.slice(0, 4))
      await harness.http
        .post('/v1/surveys/responses')
        .send({ token, scores: [5, 4] })
        .expect(200);
    expect((await standingOf(harness, partner)).points.total).toBe(0);
    await harness.http
      .post('/v1/surveys/responses')
      .send({ token: tokens[4], scores: [5, 5], comment: 'great' })
      .expect(200);
    const reused = await harness.http
      .post('/v1/surveys/responses')
      .send({ token: tokens[4], scores: [1] })
      .expect(409);
    expect(reused.body.code).toBe('survey_closed');

    const standing = await standingOf(harness, partner);
    expect(standing.points.bySource).toEqual([expect.objectContaining({ sourceCode: 'customer-satisfaction', counted: 40 })]);
    expect(await harness.prisma.pointEntry.count({ where: { partnerId: partner.partnerId } })).toBe(1);
  });
});

describe('eligibility follows the catalog version in force, with no code change', () => {
  let databaseUrl: string;
  const harness = useApiHarness({
    prepare: async () => {
      databaseUrl = await createIsolatedDatabase();
      // A program variant in which Certified asks for points only.
      await publishCatalogVariant(databaseUrl, 'test-certified-by-points', (doc) => {
        doc.levels.find((level) => level.code === 'certified')!.minCompetencies = 0;
      });
      return { DATABASE_URL: databaseUrl };
    },
  });

  it('takes a partner from 0 points to Certified through evidence, review and an upgrade', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    await recordVerified(harness, partner, harness.reviewerKey, FIFTY_POINTS);
    const standing = await standingOf(harness, partner);
    expect(standing.catalogVersionId).toBe('test-certified-by-points');
    expect(certified(standing)).toEqual({ level: 'certified', eligible: true, missing: [] });
    expect(standing.highestEligibleLevel).toBe('certified');

    const accepted = await harness.http
      .post(`/v1/partners/${partner.partnerId}/upgrade`)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', 'upgrade-1')
      .send({ level: 'certified' })
      .expect(202);
    const repeat = await harness.http
      .post(`/v1/partners/${partner.partnerId}/upgrade`)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', 'upgrade-1')
      .send({ level: 'certified' })
      .expect(202);
    expect(repeat.body).toEqual(accepted.body);

    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: accepted.body.upgradeRequestId, status: 'pending' } }),
    );
    expect(review.kind).toBe('upgrade');
    await harness.http
      .post(`/v1/reviews/${review.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'earned' })
      .expect(200);
    const awaitingPayment = await eventually(async () => {
      const response = await harness.http
        .get(`/v1/partners/${partner.partnerId}/upgrades/${accepted.body.upgradeRequestId}`)
        .set(bearer(partner.apiKey))
        .expect(200);
      return response.body.status === 'approved_payment_pending' && response.body;
    });
    expect(awaitingPayment.statusReason).toMatch(/once invoice .* is paid/);
    await payInvoiceFor(harness, accepted.body.upgradeRequestId);

    const upgraded = await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200);
      return response.body.level === 'certified' && response.body;
    });
    expect(upgraded.status).toBe('active');
    const request = await harness.http
      .get(`/v1/partners/${partner.partnerId}/upgrades/${accepted.body.upgradeRequestId}`)
      .set(bearer(partner.apiKey))
      .expect(200);
    expect(request.body).toMatchObject({
      fromLevel: 'registered',
      toLevel: 'certified',
      status: 'approved',
    });
    const audit = await harness.prisma.auditEvent.findMany({ where: { entityId: partner.partnerId, action: 'partner.level_changed' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ before: { level: 'registered' }, after: { level: 'certified' } });

    // A new catalog version raises the threshold: the same ledger no longer qualifies.
    await publishCatalogVariant(databaseUrl, 'test-certified-at-60', (doc) => {
      const level = doc.levels.find((candidate) => candidate.code === 'certified')!;
      level.minCompetencies = 0;
      level.minPoints = 60;
    });
    const raised = await standingOf(harness, partner);
    expect(raised.catalogVersionId).toBe('test-certified-at-60');
    expect(certified(raised).missing).toEqual([{ requirement: 'points', have: 50, need: 60 }]);
    const entries = await harness.prisma.pointEntry.findMany({ where: { partnerId: partner.partnerId } });
    expect(new Set(entries.map((entry) => entry.catalogVersionId))).toEqual(new Set(['test-certified-by-points']));
  });
});
