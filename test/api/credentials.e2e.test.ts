import { randomUUID } from 'node:crypto';
import { hashApiKey } from '../../lib/api-keys';
import { eventually, sampleApplication } from '../support/fixtures';
import { bearer, enrollActivePartner, enrollAndAwaitReview, startApiHarness, useApiHarness } from '../support/api';
import { startTcpProxy, throughProxy } from '../support/tcp-proxy';
import { TemporalService } from '../../apps/api/src/temporal/temporal.module';

/** A key's secret part: all after `ppk_<id>_` (base64url, so it may itself hold underscores). */
const secretOf = (key: string) => key.slice(key.indexOf('_', 'ppk_'.length) + 1);

describe('API keys: shown once, listed masked, rotated and revoked', () => {
  const harness = useApiHarness({ reviewerName: 'Key Reviewer' });

  it('shows the partner key only to the request that enrolled, and the key works at once', async () => {
    const application = sampleApplication();
    const idempotencyKey = `enroll-once-${randomUUID()}`;
    const first = await harness.http.post('/v1/enrollments').set('Idempotency-Key', idempotencyKey).send(application).expect(202);
    expect(first.body).toEqual({
      enrollmentId: expect.any(String),
      partnerId: expect.any(String),
      workflowId: `enrollment-${first.body.enrollmentId}`,
      status: 'submitted',
      recorded: true,
      apiKey: expect.stringMatching(/^ppk_[0-9a-f]{16}_/),
    });
    // Read your own writes: no wait between the answer and the first use of its key.
    await harness.http.get(`/v1/partners/${first.body.partnerId}`).set(bearer(first.body.apiKey)).expect(200);

    const repeat = await harness.http.post('/v1/enrollments').set('Idempotency-Key', idempotencyKey).send(application).expect(202);
    const { apiKey, ...enrollment } = first.body;
    expect(repeat.body).toEqual({ ...enrollment, status: expect.any(String) });
    expect(JSON.stringify(repeat.body)).not.toContain(secretOf(apiKey));

    const stored = await harness.prisma.apiKey.findFirstOrThrow({ where: { partnerId: first.body.partnerId } });
    expect(stored.hash).toBe(hashApiKey(apiKey));
    expect(await harness.prisma.auditEvent.count({ where: { entityId: stored.id, action: 'api_key.issued' } })).toBe(1);
  });

  it('lists keys masked: every key for an admin, only its own for a partner or a reviewer', async () => {
    const [mine, theirs] = await Promise.all([enrollAndAwaitReview(harness), enrollAndAwaitReview(harness)]);

    const own = await harness.http.get('/v1/api-keys').set(bearer(mine.apiKey)).expect(200);
    expect(own.body.items).toEqual([
      expect.objectContaining({
        role: 'partner',
        partnerId: mine.partnerId,
        state: 'active',
        masked: expect.stringMatching(/^ppk_[0-9a-f]{16}_…$/),
      }),
    ]);
    // A partner asking for another's keys gets its own scope, so nothing about others shows.
    const foreign = await harness.http.get(`/v1/api-keys?partnerId=${theirs.partnerId}`).set(bearer(mine.apiKey)).expect(200);
    expect(foreign.body.items).toEqual([]);

    const reviewer = await harness.http.get('/v1/api-keys').set(bearer(harness.reviewerKey)).expect(200);
    expect(reviewer.body.items).toEqual([expect.objectContaining({ role: 'reviewer', name: 'Key Reviewer', partnerId: null })]);

    const admin = await harness.http.get(`/v1/api-keys?partnerId=${theirs.partnerId}&limit=5`).set(bearer(harness.adminKey)).expect(200);
    expect(admin.body.items).toEqual([expect.objectContaining({ partnerId: theirs.partnerId })]);
    const firstPage = await harness.http.get('/v1/api-keys?limit=2').set(bearer(harness.adminKey)).expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
    for (const body of [own.body, admin.body, firstPage.body, reviewer.body]) {
      for (const key of [mine.apiKey, theirs.apiKey, harness.reviewerKey]) expect(JSON.stringify(body)).not.toContain(secretOf(key));
    }
    await harness.http.get('/v1/api-keys?limit=201').set(bearer(harness.adminKey)).expect(400);
  });

  it('revokes a key at once: a partner its own, an admin any; others see 404 or 403', async () => {
    const [mine, theirs] = await Promise.all([enrollAndAwaitReview(harness), enrollAndAwaitReview(harness)]);
    const [theirKey] = (await harness.http.get('/v1/api-keys').set(bearer(theirs.apiKey)).expect(200)).body.items;
    const [myKey] = (await harness.http.get('/v1/api-keys').set(bearer(mine.apiKey)).expect(200)).body.items;

    await harness.http.post(`/v1/api-keys/${theirKey.id}/revoke`).set(bearer(mine.apiKey)).expect(404);
    await harness.http.post(`/v1/api-keys/${theirKey.id}/revoke`).set(bearer(harness.reviewerKey)).expect(403);
    await harness.http.post('/v1/api-keys/not%20an%20id/revoke').set(bearer(harness.adminKey)).expect(400);
    const bootstrap = await harness.http.post('/v1/api-keys/bootstrap-admin/revoke').set(bearer(harness.adminKey)).expect(409);
    expect(bootstrap.body.code).toBe('bootstrap_key');

    const revoked = await harness.http.post(`/v1/api-keys/${myKey.id}/revoke`).set(bearer(mine.apiKey)).expect(200);
    expect(revoked.body).toMatchObject({ id: myKey.id, state: 'revoked', revokedAt: expect.any(String) });
    const refused = await harness.http.get(`/v1/partners/${mine.partnerId}`).set(bearer(mine.apiKey)).expect(401);
    expect(refused.body.code).toBe('api_key_revoked');
    await harness.http.post(`/v1/api-keys/${myKey.id}/revoke`).set(bearer(harness.adminKey)).expect(200);

    await harness.http.post(`/v1/api-keys/${theirKey.id}/revoke`).set(bearer(harness.adminKey)).expect(200);
    await harness.http.get(`/v1/partners/${theirs.partnerId}`).set(bearer(theirs.apiKey)).expect(401);
    const audit = await harness.prisma.auditEvent.findMany({
      where: { entityId: { in: [myKey.id, theirKey.id] }, action: 'api_key.revoked' },
    });
    expect(audit.map((event) => event.actor).sort()).toEqual(['bootstrap-admin', myKey.id].sort());
  });

  it('rotates a partner key: the new one works, the old ones work for the grace period and then stop', async () => {
    const partner = await enrollAndAwaitReview(harness);
    const rotated = await harness.http.post(`/v1/partners/${partner.partnerId}/api-keys/rotate`).set(bearer(partner.apiKey)).expect(201);
    expect(rotated.body).toEqual({
      id: expect.any(String),
      partnerId: partner.partnerId,
      apiKey: expect.stringMatching(/^ppk_/),
      previousKeys: [expect.objectContaining({ state: 'expiring', expiresAt: expect.any(String) })],
    });
    const graceHours = (Date.parse(rotated.body.previousKeys[0].expiresAt) - Date.now()) / 3_600_000;
    expect(graceHours).toBeGreaterThan(23.9);
    expect(graceHours).toBeLessThanOrEqual(24);

    await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(rotated.body.apiKey)).expect(200);
    await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200);
    // An admin rotates too (a partner that lost its keys); the first key's grace is not extended.
    const byAdmin = await harness.http.post(`/v1/partners/${partner.partnerId}/api-keys/rotate`).set(bearer(harness.adminKey)).expect(201);
    expect(byAdmin.body.previousKeys.map((key: { id: string }) => key.id)).toEqual([rotated.body.previousKeys[0].id, rotated.body.id]);
    expect(byAdmin.body.previousKeys[0].expiresAt).toBe(rotated.body.previousKeys[0].expiresAt);

    // The grace period passes.
    await harness.prisma.apiKey.updateMany({
      where: { partnerId: partner.partnerId, expiresAt: { not: null } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(401);
    expect(expired.body.code).toBe('api_key_expired');
    await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(byAdmin.body.apiKey)).expect(200);

    const other = await enrollAndAwaitReview(harness);
    await harness.http.post(`/v1/partners/${other.partnerId}/api-keys/rotate`).set(bearer(byAdmin.body.apiKey)).expect(404);
    await harness.http.post(`/v1/partners/${partner.partnerId}/api-keys/rotate`).set(bearer(harness.reviewerKey)).expect(403);
    expect(
      await harness.prisma.auditEvent.count({ where: { entityId: { in: [rotated.body.id, byAdmin.body.id] }, action: 'api_key.rotated' } }),
    ).toBe(2);
  });

  it('stops a rejected partner’s key, and leaves a withdrawn partner reading but changing nothing', async () => {
    const rejected = await enrollAndAwaitReview(harness);
    await harness.http
      .post(`/v1/reviews/${rejected.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: 'not a software business' })
      .expect(200);
    const refused = await eventually(async () => {
      const response = await harness.http.get(`/v1/enrollments/${rejected.enrollmentId}`).set(bearer(rejected.apiKey));
      return response.status === 401 && response;
    });
    expect(refused.body.code).toBe('partner_rejected');

    const leaving = await enrollActivePartner(harness, harness.reviewerKey);
    await harness.http
      .post(`/v1/partners/${leaving.partnerId}/withdraw`)
      .set(bearer(leaving.apiKey))
      .send({ reason: 'Leaving the channel business' })
      .expect(202);
    await eventually(async () => (await harness.prisma.partner.findUnique({ where: { id: leaving.partnerId } }))?.status === 'withdrawn');
    await harness.http.get(`/v1/partners/${leaving.partnerId}`).set(bearer(leaving.apiKey)).expect(200);
    const readOnly = await harness.http.post(`/v1/partners/${leaving.partnerId}/api-keys/rotate`).set(bearer(leaving.apiKey)).expect(403);
    expect(readOnly.body.code).toBe('partner_read_only');
    await harness.http
      .post(`/v1/partners/${leaving.partnerId}/evidence`)
      .set(bearer(leaving.apiKey))
      .send({ kind: 'certified-professional', details: {} })
      .expect(403);
  });
});

describe('dependencies down', () => {
  it('answers 503 with Retry-After when Temporal is unreachable, and health says so without the raw error', async () => {
    const stranded = await startApiHarness({ TEMPORAL_ADDRESS: '127.0.0.1:1', TEMPORAL_CALL_TIMEOUT_MS: '2000' });
    try {
      const enrollment = await stranded.http.post('/v1/enrollments').send(sampleApplication()).expect(503);
      expect(enrollment.body.code).toBe('temporal_unavailable');
      expect(enrollment.headers['retry-after']).toBe('5');
      const health = await stranded.http.get('/health').expect(503);
      expect(health.body.details).toMatchObject({
        postgres: { status: 'up' },
        temporal: { status: 'down', message: 'not reachable' },
        worker: { status: 'down' },
      });
      expect(JSON.stringify(health.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await stranded.stop();
    }
  });

  it('answers an enrollment in bounded time when no worker takes it, and health reports the missing worker', async () => {
    const idle = await startApiHarness({ TEMPORAL_TASK_QUEUE: `no-worker-${randomUUID()}`, TEMPORAL_CALL_TIMEOUT_MS: '1500' });
    try {
      const started = Date.now();
      const accepted = await idle.http.post('/v1/enrollments').send(sampleApplication()).expect(202);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(accepted.body).toMatchObject({ status: 'submitted', recorded: false, apiKey: expect.stringMatching(/^ppk_/) });
      const health = await idle.http.get('/health').expect(503);
      expect(health.body.details).toMatchObject({
        temporal: { status: 'up' },
        worker: { status: 'down', message: 'no worker polls the task queue' },
      });
      await idle.app.get(TemporalService).client.workflow.getHandle(accepted.body.workflowId).terminate('test cleanup');
    } finally {
      await idle.stop();
    }
  });

  it('answers 503 with Retry-After while Postgres is away, and serves again by itself when it is back', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(process.env.DATABASE_URL!).port));
    const cutOff = await startApiHarness({ DATABASE_URL: throughProxy(process.env.DATABASE_URL!, proxy) });
    try {
      await cutOff.http.get('/v1/reviews').set(bearer(cutOff.adminKey)).expect(200);
      await proxy.cut();
      const read = await cutOff.http.get('/v1/reviews').set(bearer(cutOff.adminKey)).expect(503);
      expect(read).toMatchObject({ body: { code: 'postgres_unavailable' }, headers: { 'retry-after': '5' } });
      const enroll = await cutOff.http.post('/v1/enrollments').send(sampleApplication()).expect(503);
      expect(enroll.body.code).toBe('postgres_unavailable');
      const health = await cutOff.http.get('/health').expect(503);
      expect(health.body.details.postgres).toEqual({ status: 'down', message: 'not reachable' });

      await proxy.restore();
      await eventually(async () => (await cutOff.http.get('/health')).status === 200);
      await cutOff.http.get('/v1/reviews').set(bearer(cutOff.adminKey)).expect(200);
      await enrollAndAwaitReview(cutOff);
    } finally {
      await cutOff.stop();
      await proxy.cut();
    }
  });

  it('answers 503 with Retry-After while Temporal is away, and starts workflows again by itself when it is back', async () => {
    const [host, port] = process.env.TEMPORAL_ADDRESS!.split(':');
    const proxy = await startTcpProxy(host, Number(port));
    // Only the API goes through the proxy; the harness's worker keeps its own connection.
    const cutOff = await startApiHarness({ TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`, TEMPORAL_CALL_TIMEOUT_MS: '2000' });
    try {
      await enrollAndAwaitReview(cutOff);
      await proxy.cut();
      const refused = await cutOff.http.post('/v1/enrollments').send(sampleApplication()).expect(503);
      expect(refused).toMatchObject({ body: { code: 'temporal_unavailable' }, headers: { 'retry-after': '5' } });
      expect((await cutOff.http.get('/health').expect(503)).body.details.temporal).toEqual({ status: 'down', message: 'not reachable' });

      await proxy.restore();
      await eventually(async () => (await cutOff.http.get('/health')).status === 200, 30_000);
      await enrollAndAwaitReview(cutOff);
    } finally {
      await cutOff.stop();
      await proxy.cut();
    }
  });
});
