import { sampleApplication } from '../support/fixtures';
import { bearer, useApiHarness } from '../support/api';

type Problem = { field: string; reason: string; code: string };

describe('bad input', () => {
  const harness = useApiHarness();

  async function expectRejected(body: unknown, status = 400) {
    const before = await harness.prisma.idempotencyRecord.count();
    const response = await harness.http
      .post('/v1/enrollments')
      .set('Idempotency-Key', `bad-${Math.random()}`)
      .send(body as object)
      .expect(status);
    expect(response.body).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
    expect(await harness.prisma.idempotencyRecord.count()).toBe(before);
    return response.body as { code: string; fields?: Problem[] };
  }

  const fieldsOf = (body: { fields?: Problem[] }) => (body.fields ?? []).map((problem) => problem.field).sort();

  it('names every invalid field with a reason and a code, and persists nothing', async () => {
    const application = sampleApplication();
    const body = await expectRejected({
      ...application,
      organization: { ...application.organization, country: 'XX', website: 'not a url', industries: 'retail' },
      contact: { name: '', email: 'nope' },
      requestedLevel: 'platinum',
    });
    expect(body.code).toBe('validation_failed');
    expect(fieldsOf(body)).toEqual(
      expect.arrayContaining([
        'contact.email',
        'contact.name',
        'organization.country',
        'organization.industries',
        'organization.website',
        'requestedLevel',
      ]),
    );
    for (const problem of body.fields!) {
      expect(problem.reason.length).toBeGreaterThan(0);
      expect(problem.code.length).toBeGreaterThan(0);
    }
  });

  it('rejects missing objects, unknown fields and lower-case countries', async () => {
    expect(fieldsOf(await expectRejected({ requestedLevel: 'registered' }))).toEqual(
      expect.arrayContaining(['contact', 'organization', 'primaryLocation']),
    );
    const application = sampleApplication();
    const unknown = await expectRejected({ ...application, discount: 100, organization: { ...application.organization, admin: true } });
    expect(unknown.fields).toEqual(
      expect.arrayContaining([
        { field: 'discount', reason: 'is not a known field', code: 'unknown_field' },
        { field: 'organization.admin', reason: 'is not a known field', code: 'unknown_field' },
      ]),
    );
    const lower = await expectRejected({ ...application, primaryLocation: { ...application.primaryLocation, country: 'gb' } });
    expect(fieldsOf(lower)).toEqual(['primaryLocation.country']);
  });

  it('requires the primary office to be in the organization country: a well-formed application the rules refuse (422)', async () => {
    const application = sampleApplication();
    const body = await expectRejected({ ...application, primaryLocation: { ...application.primaryLocation, country: 'FR' } }, 422);
    expect(body.code).toBe('application_refused');
    expect(body.fields).toEqual([expect.objectContaining({ field: 'primaryLocation.country', code: 'country_mismatch' })]);
    expect(await harness.prisma.partner.count({ where: { legalName: application.organization.legalName } })).toBe(0);
  });

  it('answers malformed JSON with 400, an oversized body with 413 and a bad Idempotency-Key with 400', async () => {
    const malformed = await harness.http
      .post('/v1/enrollments')
      .set('Content-Type', 'application/json')
      .send('{"organization":')
      .expect(400);
    expect(malformed.body).toEqual({ code: 'malformed_request', message: expect.stringMatching(/JSON/) });

    const huge = { ...sampleApplication(), padding: 'x'.repeat(200 * 1024) };
    const tooLarge = await harness.http.post('/v1/enrollments').send(huge).expect(413);
    expect(tooLarge.body.code).toBe('payload_too_large');

    const badKey = await harness.http.post('/v1/enrollments').set('Idempotency-Key', 'x'.repeat(201)).send(sampleApplication()).expect(400);
    expect(badKey.body.fields).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('refuses a body nested thousands deep with 400 and a charset other than UTF-8 with 415, before validation', async () => {
    const deep = `${'{"organization":'.repeat(3000)}1${'}'.repeat(3000)}`;
    const tooDeep = await harness.http.post('/v1/enrollments').set('Content-Type', 'application/json').send(deep).expect(400);
    expect(tooDeep.body).toEqual({ code: 'body_too_deep', message: expect.stringMatching(/32 levels/) });

    const latin1 = await harness.http
      .post('/v1/enrollments')
      .set('Content-Type', 'application/json; charset=latin1')
      .send(JSON.stringify(sampleApplication()))
      .expect(415);
    expect(latin1.body.code).toBe('unsupported_charset');
  });

  it('refuses U+0000 anywhere in a body or query, naming each field, as Postgres text cannot hold it', async () => {
    const application = sampleApplication();
    const body = await expectRejected({
      ...application,
      organization: { ...application.organization, legalName: 'Contoso\u0000 Ltd', technologies: ['sql', '\u0000'] },
      contact: { ...application.contact, 'na\u0000me': 'x' },
    });
    expect(body.fields).toEqual(
      ['contact.na\u0000me', 'organization.legalName', 'organization.technologies.1'].map((field) => ({
        field,
        code: 'nul_character',
        reason: 'must not contain the NUL character (U+0000)',
      })),
    );
    // Written by the API itself: refused before it reaches the database, not a 500.
    const key = await harness.http
      .post('/v1/api-keys')
      .set(bearer(harness.adminKey))
      .send({ role: 'reviewer', name: 'Jane\u0000' })
      .expect(400);
    expect(key.body.fields).toEqual([expect.objectContaining({ field: 'name', code: 'nul_character' })]);
    const query = await harness.http.get('/v1/reviews?status=%00').set(bearer(harness.adminKey)).expect(400);
    expect(query.body.fields).toEqual([expect.objectContaining({ field: 'status', code: 'nul_character' })]);
  });

  it('validates path and query parameters', async () => {
    const notUuid = await harness.http.get('/v1/partners/123').set(bearer(harness.adminKey)).expect(400);
    expect(notUuid.body.fields).toEqual([expect.objectContaining({ field: 'id', code: 'isUuid' })]);
    const query = await harness.http.get('/v1/reviews?status=done&limit=0&extra=1').set(bearer(harness.adminKey)).expect(400);
    expect(fieldsOf(query.body)).toEqual(['extra', 'limit', 'status']);
    const malformedCursor = await harness.http.get('/v1/reviews?cursor=a.b').set(bearer(harness.adminKey)).expect(400);
    expect(malformedCursor.body.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
    // Of the form the document states, but handed out by no list: refused as unprocessable.
    const cursor = await harness.http.get('/v1/reviews?cursor=abc').set(bearer(harness.adminKey)).expect(422);
    expect(cursor.body).toMatchObject({ code: 'invalid_cursor', fields: [expect.objectContaining({ field: 'cursor' })] });
    const unknownRoute = await harness.http.get('/v1/nothing-here').set(bearer(harness.adminKey)).expect(404);
    expect(unknownRoute.body.code).toBe('not_found');
  });
});
