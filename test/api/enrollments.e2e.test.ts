import { eventually, sampleApplication } from '../support/fixtures';
import {
  bearer,
  enrollAndAwaitReview,
  payInvoiceFor,
  recordVerifiedEvidence,
  securityEvidence,
  standingOf,
  useApiHarness,
} from '../support/api';

describe('enrollment through the API (real Postgres, Temporal dev server and worker)', () => {
  const harness = useApiHarness({ reviewerName: 'Rita Reviewer' });

  it('takes an organization from enrollment to active Registered partner', async () => {
    const application = sampleApplication();
    const accepted = await harness.http.post('/v1/enrollments').send(application).expect(202);
    expect(accepted.body).toEqual({
      enrollmentId: expect.any(String),
      partnerId: expect.any(String),
      workflowId: `enrollment-${accepted.body.enrollmentId}`,
      status: 'submitted',
      recorded: true,
      apiKey: expect.stringMatching(/^ppk_/),
    });
    const { enrollmentId, partnerId, apiKey } = accepted.body;

    const review = await eventually(async () => {
      const page = await harness.http
        .get('/v1/reviews?status=pending&kind=enrollment&limit=200')
        .set(bearer(harness.reviewerKey))
        .expect(200);
      return (page.body.items as Array<{ id: string; enrollmentId: string }>).find((item) => item.enrollmentId === enrollmentId);
    });
    expect(review).toMatchObject({
      kind: 'enrollment',
      partnerId,
      status: 'pending',
      summary: expect.stringContaining(application.organization.legalName),
    });
    expect(Object.keys(review).sort()).toEqual(
      expect.arrayContaining(['id', 'kind', 'partnerId', 'enrollmentId', 'status', 'createdAt', 'summary']),
    );

    const decided = await harness.http
      .post(`/v1/reviews/${review.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'meets the program terms' })
      .expect(200);
    expect(decided.body).toMatchObject({ status: 'approved', decision: 'approve', reason: 'meets the program terms' });

    const partner = await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${partnerId}`).set(bearer(apiKey)).expect(200);
      return response.body.status === 'active' && response.body;
    });
    expect(partner).toMatchObject({
      id: partnerId,
      legalName: application.organization.legalName,
      country: 'GB',
      level: 'registered',
      status: 'active',
      locations: [expect.objectContaining({ isPrimary: true, city: 'London', country: 'GB' })],
    });

    const enrollment = await harness.http.get(`/v1/enrollments/${enrollmentId}`).set(bearer(apiKey)).expect(200);
    expect(enrollment.body.status).toBe('active');
    expect(enrollment.body.steps.map((step: { name: string; status: string }) => `${step.name}:${step.status}`)).toEqual([
      'validate:completed',
      'record:completed',
      'review:approved',
      'requirements:completed',
      'activation:completed',
    ]);
    for (const step of enrollment.body.steps) expect(Date.parse(step.at)).not.toBeNaN();
  });

  it('answers a repeated Idempotency-Key with the first enrollment, its key to one request only, and starts nothing new', async () => {
    const application = sampleApplication();
    const key = `enroll-${Date.now()}`;
    const concurrent = await Promise.all([
      harness.http.post('/v1/enrollments').set('Idempotency-Key', key).send(application).expect(202),
      harness.http.post('/v1/enrollments').set('Idempotency-Key', key).send(application).expect(202),
    ]);
    const [first, second] = concurrent.sort((a, b) => Number('apiKey' in b.body) - Number('apiKey' in a.body));
    expect(first.body.apiKey).toMatch(/^ppk_/);
    const { apiKey: _shownOnce, ...enrollment } = first.body;
    const third = await harness.http.post('/v1/enrollments').set('Idempotency-Key', key).send(application).expect(202);
    // A repeat tells where the enrollment stands now, which may be past `submitted`.
    const now = { ...enrollment, status: expect.stringMatching(/^(submitted|in_review)$/) };
    expect(second.body).toEqual(now);
    expect(third.body).toEqual(now);

    await eventually(() => harness.prisma.reviewTask.findFirst({ where: { enrollmentId: first.body.enrollmentId } }));
    expect(await harness.prisma.partner.count({ where: { legalName: application.organization.legalName } })).toBe(1);
    expect(await harness.prisma.reviewTask.count({ where: { partnerId: first.body.partnerId } })).toBe(1);

    const changed = await harness.http
      .post('/v1/enrollments')
      .set('Idempotency-Key', key)
      .send({ ...application, requestedLevel: 'gold' })
      .expect(422);
    expect(changed.body.code).toBe('idempotency_key_reused');
  });

  it('records a rejection, answers its retry with the same record, and refuses a different decision with 409', async () => {
    const enrolled = await enrollAndAwaitReview(harness);
    const decision = { decision: 'reject', reason: 'incomplete company details' };
    const first = await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send(decision)
      .expect(200);
    // A client retrying after a lost answer (a 503 whose first attempt went through) gets the decision it made.
    const retried = await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send(decision)
      .expect(200);
    expect(retried.body).toEqual(expect.objectContaining({ id: enrolled.reviewId, status: 'rejected', decidedBy: first.body.decidedBy }));
    expect(retried.body.decidedAt).toBe(first.body.decidedAt);
    const again = await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'changed my mind' })
      .expect(409);
    expect(again.body.code).toBe('review_already_decided');

    const partner = await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(harness.reviewerKey)).expect(200);
      return response.body.status === 'rejected' && response.body;
    });
    expect(partner.level).toBe('registered');
    // The rejected partner's key no longer works.
    const refused = await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(401);
    expect(refused.body.code).toBe('partner_rejected');
  });

  it('keeps a pending partner that withdrew withdrawn: its review closes and a later approval is refused', async () => {
    const enrolled = await enrollAndAwaitReview(harness);
    await harness.http
      .post(`/v1/partners/${enrolled.partnerId}/withdraw`)
      .set(bearer(enrolled.apiKey))
      .send({ reason: 'Joined another program' })
      .expect(202);
    const closed = await eventually(async () => {
      const response = await harness.http.get(`/v1/enrollments/${enrolled.enrollmentId}`).set(bearer(enrolled.apiKey)).expect(200);
      return response.body.status === 'withdrawn' && response.body;
    });
    expect(closed.steps).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'review', status: 'cancelled' })]));

    const late = await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(409);
    expect(late.body.code).toBe('review_already_decided');
    const partner = await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(200);
    expect(partner.body.status).toBe('withdrawn');
  });

  it('answers 404 for an unknown review and 400 for a rejection without a reason', async () => {
    const unknown = await harness.http
      .post('/v1/reviews/00000000-0000-4000-8000-000000000000/decision')
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(404);
    expect(unknown.body.code).toBe('not_found');

    const enrolled = await enrollAndAwaitReview(harness);
    const noReason = await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: '  ' })
      .expect(400);
    expect(noReason.body.fields).toEqual([expect.objectContaining({ field: 'reason' })]);
  });

  it('activates an organization below the level it asked for, keeps that level as its target, and takes it there by upgrades and their fees', async () => {
    const enrolled = await enrollAndAwaitReview(harness, sampleApplication('gold'));
    await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    const partnerView = async () =>
      (await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(200)).body;
    const joined = await eventually(async () => {
      const view = await partnerView();
      return view.status === 'active' && view.membership && view;
    });
    expect(joined).toMatchObject({
      level: 'registered',
      target: {
        level: 'gold',
        missing: [
          { requirement: 'points', have: 0, need: 120 },
          { requirement: 'competencies', have: 0, need: 1 },
        ],
      },
      membership: { termNumber: 1, level: 'registered', status: 'active' },
    });
    const enrollment = (await harness.http.get(`/v1/enrollments/${enrolled.enrollmentId}`).set(bearer(enrolled.apiKey)).expect(200)).body;
    expect(enrollment).toMatchObject({
      status: 'active',
      statusReason: 'Activated at registered: gold needs points 0/120, competencies 0/1, and stays the target',
    });

    // Security (2 professionals, 3 references, the first competency's 50 points): 58 points, Certified is offered.
    await harness.http
      .post(`/v1/partners/${enrolled.partnerId}/competencies`)
      .set(bearer(enrolled.apiKey))
      .send({ code: 'security' })
      .expect(202);
    await recordVerifiedEvidence(harness, enrolled, harness.reviewerKey, securityEvidence('target'));
    const competencyReview = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { kind: 'competency', partnerId: enrolled.partnerId, status: 'pending' } }),
    );
    await harness.http
      .post(`/v1/reviews/${competencyReview.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    const offered = await eventually(async () => {
      const standing = (await harness.http.get(`/v1/partners/${enrolled.partnerId}/standing`).set(bearer(enrolled.apiKey)).expect(200))
        .body;
      return standing.upgradeOffered === 'certified' && standing;
    });
    expect(offered).toMatchObject({ points: { total: 58 }, targetLevel: 'gold', level: 'registered' });

    const upgradeTo = async (level: 'certified' | 'gold') => {
      const requested = await harness.http
        .post(`/v1/partners/${enrolled.partnerId}/upgrade`)
        .set(bearer(enrolled.apiKey))
        .send({ level })
        .expect(202);
      const review = await eventually(() =>
        harness.prisma.reviewTask.findFirst({ where: { subjectId: requested.body.upgradeRequestId, status: 'pending' } }),
      );
      await harness.http
        .post(`/v1/reviews/${review.id}/decision`)
        .set(bearer(harness.reviewerKey))
        .send({ decision: 'approve' })
        .expect(200);
      const paid = await payInvoiceFor(harness, requested.body.upgradeRequestId);
      await eventually(async () => (await partnerView()).membership?.level === level);
      return harness.prisma.invoice.findUniqueOrThrow({ where: { id: paid.id } });
    };
    // From Registered (no fee) the fee difference for the rest of the term is Certified's whole fee.
    expect(await upgradeTo('certified')).toMatchObject({ purpose: 'upgrade', totalMinor: 150000, currency: 'USD', status: 'paid' });
    expect(await partnerView()).toMatchObject({
      level: 'certified',
      target: { level: 'gold', missing: [{ requirement: 'points', have: 58, need: 120 }] },
    });

    // Seven tested solutions (70 points) reach Gold's 120.
    const solutions = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
      kind: 'tested-solution',
      details: {
        solutionName: `Target solution ${n}`,
        testType: 'software-certification',
        testId: `TGT-${enrolled.partnerId}-${n}`,
        result: 'passed',
      },
    }));
    await recordVerifiedEvidence(harness, enrolled, harness.reviewerKey, solutions);
    await eventually(async () => (await standingOf(harness, enrolled)).eligibility.find((level) => level.level === 'gold')?.eligible);
    // Gold costs 2,500.00 USD, Certified 1,500.00: the difference for the rest of the term.
    expect(await upgradeTo('gold')).toMatchObject({ purpose: 'upgrade', totalMinor: 100000, status: 'paid' });
    expect(await partnerView()).toMatchObject({ level: 'gold', target: null, membership: { level: 'gold' } });
    expect(await harness.prisma.invoice.count({ where: { partnerId: enrolled.partnerId, status: 'paid' } })).toBe(2);
  });

  it('asks for the program terms in force, records their acceptance, and takes a new acceptance by POST /terms', async () => {
    const { acceptedTermsVersion, ...unsigned } = sampleApplication();
    const missing = await harness.http.post('/v1/enrollments').send(unsigned).expect(422);
    expect(missing.body.fields).toEqual([expect.objectContaining({ field: 'acceptedTermsVersion', code: 'terms_not_accepted' })]);
    const stale = await harness.http
      .post('/v1/enrollments')
      .send({ ...unsigned, acceptedTermsVersion: 'PPA-2020-01' })
      .expect(422);
    expect(stale.body).toMatchObject({
      code: 'terms_version_stale',
      fields: [{ field: 'acceptedTermsVersion', code: 'terms_version_stale' }],
    });

    const enrolled = await enrollAndAwaitReview(harness, { ...unsigned, acceptedTermsVersion });
    const recorded = await harness.prisma.partner.findUniqueOrThrow({ where: { id: enrolled.partnerId } });
    expect(recorded.termsVersion).toBe(acceptedTermsVersion);
    expect(recorded.termsAcceptedAt).toBeInstanceOf(Date);
    const timeline = (await harness.http.get(`/v1/enrollments/${enrolled.enrollmentId}`).set(bearer(enrolled.apiKey)).expect(200)).body;
    expect(timeline.steps[0]).toMatchObject({
      name: 'validate',
      status: 'completed',
      detail: `program terms ${acceptedTermsVersion} accepted`,
    });

    await harness.http
      .post(`/v1/partners/${enrolled.partnerId}/terms`)
      .set(bearer(enrolled.apiKey))
      .send({ version: 'PPA-2020-01' })
      .expect(422);
    const accepted = await harness.http
      .post(`/v1/partners/${enrolled.partnerId}/terms`)
      .set(bearer(enrolled.apiKey))
      .send({ version: acceptedTermsVersion })
      .expect(200);
    expect(accepted.body).toEqual({ termsVersion: acceptedTermsVersion, acceptedAt: recorded.termsAcceptedAt!.toISOString() });
    const view = (await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(200)).body;
    expect(view).toMatchObject({ termsVersion: acceptedTermsVersion, termsAcceptedAt: recorded.termsAcceptedAt!.toISOString() });
  });

  it('enrolls all the offices of an organization in one request, and names an office abroad', async () => {
    const application = sampleApplication('registered', 'GB');
    const offices = [
      { addressLine1: '2 Mill Lane', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
      { addressLine1: '9 Dock Road', city: 'Bristol', postalCode: 'BS1 5UH', country: 'GB' },
    ];
    const abroad = await harness.http
      .post('/v1/enrollments')
      .send({ ...application, locations: [offices[0], { ...offices[1], country: 'FR' }] })
      .expect(422);
    expect(abroad.body.fields).toEqual([expect.objectContaining({ field: 'locations[1].country', code: 'country_mismatch' })]);

    const enrolled = await enrollAndAwaitReview(harness, { ...application, locations: offices });
    await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    const partner = await eventually(async () => {
      const view = (await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(200)).body;
      return view.membership && view;
    });
    expect(partner.locations.map((office: { city: string; isPrimary: boolean }) => `${office.city}:${office.isPrimary}`)).toEqual([
      'London:true',
      'Leeds:false',
      'Bristol:false',
    ]);
    // One organization: one membership, one set of benefits for its term.
    expect(await harness.prisma.membership.count({ where: { partnerId: enrolled.partnerId } })).toBe(1);
    const started = await eventually(() =>
      harness.prisma.auditEvent.findFirst({ where: { entityId: enrolled.partnerId, action: 'membership.term_started' } }),
    );
    expect(started.after).toMatchObject({ level: 'registered', entitlements: expect.arrayContaining([expect.any(String)]) });
    expect(await harness.prisma.auditEvent.count({ where: { entityId: enrolled.partnerId, action: 'membership.term_started' } })).toBe(1);
  });

  it('pages through reviews with a cursor, oldest first', async () => {
    await enrollAndAwaitReview(harness);
    await enrollAndAwaitReview(harness);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await harness.http
        .get('/v1/reviews')
        .query({ kind: 'enrollment', limit: 1, ...(cursor ? { cursor } : {}) })
        .set(bearer(harness.reviewerKey))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await harness.prisma.reviewTask.findMany({ where: { kind: 'enrollment' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(seen).toEqual(all.map((task) => task.id));
  });
});
