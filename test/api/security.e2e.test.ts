import { randomUUID } from 'node:crypto';
import { hashApiKey } from '../../lib/api-keys';
import { bearer, enrollAndAwaitReview, useApiHarness } from '../support/api';

describe('authentication and authorization', () => {
  const harness = useApiHarness();

  it('leaves health, docs and enrollment open, and closes everything else', async () => {
    const health = await harness.http.get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
    const spec = await harness.http.get('/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/enrollments',
        '/v1/enrollments/{id}',
        '/v1/reviews',
        '/v1/reviews/{id}/decision',
        '/v1/partners/{id}',
        '/v1/api-keys',
        '/health',
      ]),
    );
    await harness.http.get('/docs').expect(200);

    // Every documented operation but the public ones refuses a request without a key, routes added later included.
    // The catalog is public so that clients read the program rather than hard-code it, the Solution Finder is for
    // customers, and a partner's logo is for it to embed.
    const open = [
      'get /health',
      'get /v1/catalog',
      'get /v1/directory/partners',
      'get /v1/directory/partners/{id}',
      'get /v1/partners/{id}/logo.svg',
      'post /v1/enrollments',
      'post /v1/surveys/responses',
    ];
    const operations = Object.entries(spec.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations.filter((candidate) => !open.includes(candidate))) {
      const [method, path] = operation.split(' ') as ['get' | 'post' | 'patch' | 'delete', string];
      const response = await harness.http[method](path.replace(/\{[^}]+\}/g, randomUUID())).send({});
      expect(`${operation} -> ${response.status}`).toBe(`${operation} -> 401`);
    }

    const id = randomUUID();
    for (const path of [`/v1/partners/${id}`, `/v1/enrollments/${id}`, '/v1/reviews']) {
      const missing = await harness.http.get(path).expect(401);
      expect(missing.body).toEqual({ code: 'unauthenticated', message: expect.any(String) });
      await harness.http.get(path).set(bearer('ppk_not_a_real_key')).expect(401);
      await harness.http.get(path).set({ Authorization: 'Basic abc' }).expect(401);
    }
  });

  it('stores keys only as hashes and issues reviewer keys to admins only', async () => {
    const created = await harness.http
      .post('/v1/api-keys')
      .set(bearer(harness.adminKey))
      .send({ role: 'reviewer', name: 'Rev' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      role: 'reviewer',
      name: 'Rev',
      email: null,
      reviewKinds: [],
      apiKey: expect.any(String),
    });
    const stored = await harness.prisma.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(stored.hash).toBe(hashApiKey(created.body.apiKey));
    expect(JSON.stringify(stored)).not.toContain(created.body.apiKey);

    const forbidden = await harness.http
      .post('/v1/api-keys')
      .set(bearer(harness.reviewerKey))
      .send({ role: 'admin', name: 'escalate' })
      .expect(403);
    expect(forbidden.body.code).toBe('forbidden');
    const partnerRole = await harness.http
      .post('/v1/api-keys')
      .set(bearer(harness.adminKey))
      .send({ role: 'partner', name: 'x' })
      .expect(400);
    expect(partnerRole.body.fields).toEqual([expect.objectContaining({ field: 'role' })]);
  });

  it('scopes a partner key to its own organization and hides others behind 404', async () => {
    const mine = await enrollAndAwaitReview(harness);
    const theirs = await enrollAndAwaitReview(harness);

    await harness.http.get(`/v1/partners/${mine.partnerId}`).set(bearer(mine.apiKey)).expect(200);
    await harness.http.get(`/v1/enrollments/${mine.enrollmentId}`).set(bearer(mine.apiKey)).expect(200);

    const otherPartner = await harness.http.get(`/v1/partners/${theirs.partnerId}`).set(bearer(mine.apiKey)).expect(404);
    const unknownPartner = await harness.http.get(`/v1/partners/${randomUUID()}`).set(bearer(mine.apiKey)).expect(404);
    expect(otherPartner.body).toEqual(unknownPartner.body);
    await harness.http.get(`/v1/enrollments/${theirs.enrollmentId}`).set(bearer(mine.apiKey)).expect(404);

    await harness.http.get('/v1/reviews').set(bearer(mine.apiKey)).expect(403);
    await harness.http.post(`/v1/reviews/${mine.reviewId}/decision`).set(bearer(mine.apiKey)).send({ decision: 'approve' }).expect(403);
    await harness.http.post('/v1/api-keys').set(bearer(mine.apiKey)).send({ role: 'admin', name: 'x' }).expect(403);

    await harness.http.get(`/v1/partners/${theirs.partnerId}`).set(bearer(harness.reviewerKey)).expect(200);
  });
});
