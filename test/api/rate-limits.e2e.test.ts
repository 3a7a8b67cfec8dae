import type { Response } from 'supertest';
import { type ApiHarness, bearer, createKey, startApiHarness } from '../support/api';

/** Anything that fails validation: enough to be counted, nothing enrolled. */
const invalidEnrollment = { requestedLevel: 'registered' };

function expectLimited(response: Response): void {
  expect(response.status).toBe(429);
  expect(response.body.code).toBe('rate_limited');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
}

describe('rate limits', () => {
  describe('in one API instance, behind a trusted proxy', () => {
    let harness: ApiHarness;
    beforeAll(async () => {
      harness = await startApiHarness({ RATE_LIMIT_PER_MINUTE: '3', PUBLIC_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' });
    });
    afterAll(() => harness.stop());

    it('counts every route against the key, with RateLimit headers, and leaves other keys alone', async () => {
      const reviewerKey = await createKey(harness, 'reviewer');
      const reviews = await harness.http.get('/v1/reviews').set(bearer(harness.adminKey)).expect(200);
      expect(reviews.headers['ratelimit-limit']).toBe('3');
      expect(reviews.headers['ratelimit-remaining']).toBe('1');
      expect(Number(reviews.headers['ratelimit-reset'])).toBeGreaterThan(0);
      await harness.http.get('/v1/api-keys').set(bearer(harness.adminKey)).expect(200);
      expectLimited(await harness.http.get('/v1/reviews').set(bearer(harness.adminKey)));

      const other = await harness.http.get('/v1/reviews').set(bearer(reviewerKey)).expect(200);
      expect(other.headers['ratelimit-remaining']).toBe('2');
      for (let probe = 0; probe < 5; probe++) await harness.http.get('/health').expect(200);
    });

    it('counts refused keys before authentication, so guessing is limited too', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await harness.http.get('/v1/reviews').set(bearer('ppk_0000000000000000_guess')).expect(401);
      }
      expectLimited(await harness.http.get('/v1/reviews').set(bearer('ppk_0000000000000000_guess')));
    });

    it('limits public writes per client IP, taken from X-Forwarded-For through the trusted proxy', async () => {
      const first = await harness.http.post('/v1/enrollments').set('X-Forwarded-For', '203.0.113.7').send(invalidEnrollment).expect(400);
      // The tighter public limit is the one announced.
      expect(first.headers['ratelimit-limit']).toBe('2');
      expect(first.headers['ratelimit-remaining']).toBe('1');
      await harness.http.post('/v1/enrollments').set('X-Forwarded-For', '203.0.113.7').send(invalidEnrollment).expect(400);
      expectLimited(await harness.http.post('/v1/enrollments').set('X-Forwarded-For', '203.0.113.7').send(invalidEnrollment));

      // Another client, and each public route with its own per-IP budget.
      for (let attempt = 0; attempt < 2; attempt++) {
        await harness.http.post('/v1/enrollments').set('X-Forwarded-For', '203.0.113.8').send(invalidEnrollment).expect(400);
      }
      await harness.http.post('/v1/surveys/responses').set('X-Forwarded-For', '203.0.113.8').send({}).expect(400);
    });
  });

  describe('shared in Postgres by two API instances, with no proxy trusted', () => {
    const limits = { RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_PER_MINUTE: '3', PUBLIC_RATE_LIMIT_PER_MINUTE: '2' };
    let first: ApiHarness;
    let second: ApiHarness;
    beforeAll(async () => {
      [first, second] = await Promise.all([startApiHarness(limits), startApiHarness(limits)]);
    });
    afterAll(() => Promise.all([first.stop(), second.stop()]));

    it('gives a key one budget across instances', async () => {
      await first.http.get('/v1/reviews').set(bearer(first.adminKey)).expect(200);
      await second.http.get('/v1/reviews').set(bearer(second.adminKey)).expect(200);
      const third = await first.http.get('/v1/reviews').set(bearer(first.adminKey)).expect(200);
      expect(third.headers['ratelimit-remaining']).toBe('0');
      expectLimited(await second.http.get('/v1/reviews').set(bearer(second.adminKey)));
      expectLimited(await first.http.get('/v1/reviews').set(bearer(first.adminKey)));
    });

    it('ignores X-Forwarded-For from an untrusted client, so rotating it does not escape the limit', async () => {
      await first.http.post('/v1/enrollments').set('X-Forwarded-For', '198.51.100.1').send(invalidEnrollment).expect(400);
      await second.http.post('/v1/enrollments').set('X-Forwarded-For', '198.51.100.2').send(invalidEnrollment).expect(400);
      expectLimited(await first.http.post('/v1/enrollments').set('X-Forwarded-For', '198.51.100.3').send(invalidEnrollment));
    });
  });
});
