import { eventually, sampleApplication } from '../support/fixtures';
import { bearer, enrollAndAwaitReview, useApiHarness } from '../support/api';

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

  it('answers a repeated Idempotency-Key with the first result and starts nothing new', async () => {
    const application = sampleApplication();
    const key = `enroll-${Date.now()}`;
    const [first, second] = await Promise.all([
      harness.http.post('/v1/enrollments').set('Idempotency-Key', key).send(application).expect(202),
      harness.http.post('/v1/enrollments').set('Idempotency-Key', key).send(application).expect(202),
    ]);
    const third = await harness.http.post('/v1/enrollments').set('Idempotency-Key', key).send(application).expect(202);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);

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

  it('records a rejection and refuses a second decision with 409', async () => {
    const enrolled = await enrollAndAwaitReview(harness);
    await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: 'incomplete company details' })
      .expect(200);
    const again = await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'changed my mind' })
      .expect(409);
    expect(again.body.code).toBe('review_already_decided');

    const partner = await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(200);
      return response.body.status === 'rejected' && response.body;
    });
    expect(partner.level).toBe('registered');
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

  it('keeps a Gold enrollment pending at the requirements step, saying why', async () => {
    const enrolled = await enrollAndAwaitReview(harness, sampleApplication('gold'));
    await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    const enrollment = await eventually(async () => {
      const response = await harness.http.get(`/v1/enrollments/${enrolled.enrollmentId}`).set(bearer(harness.reviewerKey)).expect(200);
      return response.body.status === 'awaiting_requirements' && response.body;
    });
    expect(enrollment.statusReason).toBe('gold needs points 0/120, competencies 0/1');
    expect(enrollment.steps).toContainEqual(expect.objectContaining({ name: 'requirements', status: 'pending' }));
    const partner = await harness.http.get(`/v1/partners/${enrolled.partnerId}`).set(bearer(enrolled.apiKey)).expect(200);
    expect(partner.body).toMatchObject({ status: 'pending', level: 'registered' });
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
