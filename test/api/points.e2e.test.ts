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
    expect(listed.body).toEqual({
      items: [expect.objectContaining({ kind: 'tested-solution', status: 'rejected', points: 10 })],
      nextCursor: null,
    });
  });

  it('takes a rejected or expired submission again as a new attempt, and refuses a true duplicate in the same period', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    const professional = {
      kind: 'certified-professional',
      details: { personName: 'Grace Hopper', email: `grace-${partner.partnerId}@partner.example`, certificationIds: ['MCSD'] },
    };
    const evidencePath = `/v1/partners/${partner.partnerId}/evidence`;
    const first = await harness.http.post(evidencePath).set(bearer(partner.apiKey)).send(professional).expect(202);
    const firstReview = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: first.body.evidenceId, status: 'pending' } }),
    );
    // Pending: the same professional this year is a duplicate.
    expect((await harness.http.post(evidencePath).set(bearer(partner.apiKey)).send(professional).expect(409)).body.code).toBe(
      'duplicate_evidence',
    );
    await harness.http
      .post(`/v1/reviews/${firstReview.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: 'certificate not found' })
      .expect(200);
    await eventually(
      async () => (await harness.prisma.evidence.findUnique({ where: { id: first.body.evidenceId } }))?.status === 'rejected',
    );

    const second = await harness.http.post(evidencePath).set(bearer(partner.apiKey)).send(professional).expect(202);
    expect(second.body.evidenceId).not.toBe(first.body.evidenceId);
    const secondReview = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: second.body.evidenceId, status: 'pending' } }),
    );
    await harness.http
      .post(`/v1/reviews/${secondReview.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    await eventually(async () => (await harness.prisma.pointEntry.count({ where: { partnerId: partner.partnerId } })) === 1);
    const listed = (await harness.http.get(evidencePath).set(bearer(partner.apiKey)).expect(200)).body.items as Array<{
      id: string;
      attempt: number;
      status: string;
    }>;
    expect(listed.map(({ id, attempt, status }) => ({ id, attempt, status })).sort((a, b) => a.attempt - b.attempt)).toEqual([
      { id: first.body.evidenceId, attempt: 1, status: 'rejected' },
      { id: second.body.evidenceId, attempt: 2, status: 'verified' },
    ]);
    // Verified: the same professional again this year is refused; the natural key carries the year.
    expect((await harness.http.post(evidencePath).set(bearer(partner.apiKey)).send(professional).expect(409)).body.code).toBe(
      'duplicate_evidence',
    );
    const [row] = await harness.prisma.evidence.findMany({ where: { id: second.body.evidenceId } });
    expect(row.naturalKey).toBe(`certified-professional|${professional.details.email}|${new Date().getUTCFullYear()}`);
  });

  it('dates each award by the activity it proves, and refuses an activity already outside the window', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    const evidencePath = `/v1/partners/${partner.partnerId}/evidence`;
    const reference = (wonAt: string, customerName: string) => ({
      kind: 'customer-reference',
      details: { customerName, contactEmail: 'buyer@customer.example', projectTitle: 'Data platform', wonAt },
    });
    const old = await harness.http.post(evidencePath).set(bearer(partner.apiKey)).send(reference('2010-03-01', 'Northwind')).expect(422);
    expect(old.body).toMatchObject({
      code: 'evidence_not_accepted',
      fields: [{ field: 'details.wonAt', code: 'activity_outside_window' }],
    });
    const conference = await harness.http
      .post(evidencePath)
      .set(bearer(partner.apiKey))
      .send({ kind: 'conference', details: { conferenceYear: 2023, staffAttending: 6 } })
      .expect(422);
    expect(conference.body.fields).toEqual([expect.objectContaining({ field: 'details.conferenceYear', code: 'activity_outside_window' })]);
    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (await harness.http.post(evidencePath).set(bearer(partner.apiKey)).send(reference(future, 'Fabrikam')).expect(422)).body.fields,
    ).toEqual([expect.objectContaining({ field: 'details.wonAt', code: 'activity_in_future' })]);

    const wonAt = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await recordVerified(harness, partner, harness.reviewerKey, [reference(wonAt, 'Tailspin')]);
    const award = await eventually(() => harness.prisma.pointEntry.findFirst({ where: { partnerId: partner.partnerId } }));
    expect(award.occurredAt.toISOString()).toBe(`${wonAt}T00:00:00.000Z`);
    expect(award.recordedAt.getTime() - award.occurredAt.getTime()).toBeGreaterThan(39 * 86_400_000);
    const standing = await standingOf(harness, partner);
    expect(standing.points.bySource).toEqual([expect.objectContaining({ sourceCode: 'business-win', counted: 2 })]);
    const listed = (await harness.http.get(evidencePath).set(bearer(partner.apiKey)).expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ activityAt: `${wonAt}T00:00:00.000Z`, status: 'verified' })]);
  });

  it('refuses a competency the catalog does not have and a certification it does not count, naming each', async () => {
    const partner = await activePartner(harness, harness.reviewerKey);
    const evidencePath = `/v1/partners/${partner.partnerId}/evidence`;
    const unknownCompetency = await harness.http
      .post(evidencePath)
      .set(bearer(partner.apiKey))
      .send({
        kind: 'tested-solution',
        details: {
          solutionName: 'Tool',
          testType: 'software-certification',
          testId: `T-${partner.partnerId}`,
          result: 'passed',
          competencyCode: 'quantum',
        },
      })
      .expect(422);
    expect(unknownCompetency.body.fields).toEqual([
      expect.objectContaining({ field: 'details.competencyCode', code: 'unknown_competency' }),
    ]);
    const unknownCertification = await harness.http
      .post(evidencePath)
      .set(bearer(partner.apiKey))
      .send({
        kind: 'certified-professional',
        details: {
          personName: 'Alan Turing',
          email: `alan-${partner.partnerId}@partner.example`,
          certificationIds: ['MCSE-Security', 'XYZ-999'],
        },
      })
      .expect(422);
    expect(unknownCertification.body.fields).toEqual([
      expect.objectContaining({
        field: 'details.certificationIds[1]',
        code: 'unknown_certification',
        reason: expect.stringContaining('XYZ-999'),
      }),
    ]);
    expect(await harness.prisma.evidence.count({ where: { partnerId: partner.partnerId } })).toBe(0);
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
