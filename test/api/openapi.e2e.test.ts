import { randomUUID } from 'node:crypto';
import { EVIDENCE_KINDS } from '../../domain/points';
import { sampleApplication } from '../support/fixtures';
import { bearer, enrollActivePartner, enrollAndAwaitReview, useApiHarness } from '../support/api';

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  security?: Array<Record<string, string[]>>;
}
interface Document {
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, Record<string, unknown>> };
}

const ERROR_BODY = '#/components/schemas/ApiErrorBody';

describe('the OpenAPI document tells the truth', () => {
  const harness = useApiHarness();
  let document: Document;
  let operations: Array<{ label: string; method: Method; path: string; operation: Operation }>;

  beforeAll(async () => {
    document = (await harness.http.get('/docs-json').expect(200)).body as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (Object.entries(item) as Array<[Method, Operation]>).map(([method, operation]) => ({
        label: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operation,
      })),
    );
  });

  it('declares a success and the errors every operation can answer, each error in the one error shape', () => {
    expect(operations.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const { label, path, operation } of operations) {
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((status) => status.startsWith('2'))) missing.push(`${label}: no 2xx`);
      for (const status of statuses.filter((candidate) => Number(candidate) >= 400)) {
        if (operation.responses[status].content?.['application/json']?.schema?.$ref !== ERROR_BODY) {
          missing.push(`${label}: ${status} is not ApiErrorBody`);
        }
      }
      const bearerSecured = operation.security?.some((scheme) => 'bearer' in scheme) ?? false;
      const expected = [
        ...(path === '/health' ? ['503'] : ['400', '503']),
        ...(bearerSecured ? ['401', '410', '429'] : []),
        ...(/\{[^}]+\}/.test(path) ? ['404'] : []),
      ];
      for (const status of expected.filter((candidate) => !statuses.includes(candidate))) missing.push(`${label}: no ${status}`);
    }
    expect(missing).toEqual([]);
  });

  it('declares only statuses an operation answers: no key, a reviewer key, an admin key with unknown ids and an empty body', async () => {
    const undeclared: string[] = [];
    for (const { label, method, path, operation } of operations) {
      const url = path.replace(/\{[^}]+\}/g, randomUUID());
      for (const key of [undefined, harness.reviewerKey, harness.adminKey]) {
        const call = harness.http[method](url).set(key ? bearer(key) : {});
        const response = method === 'get' || method === 'delete' ? await call : await call.send({});
        if (!operation.responses[String(response.status)]) undeclared.push(`${label} -> ${response.status}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('declares 422 invalid_cursor on every list that takes a cursor, and answers it for a well-formed foreign one', async () => {
    const paginated = operations.filter(({ operation }) => operation.parameters?.some((parameter) => parameter.name === 'cursor'));
    expect(paginated.length).toBeGreaterThan(5);
    expect(paginated.filter(({ operation }) => !operation.responses['422']).map(({ label }) => label)).toEqual([]);
    const refused = await harness.http.get('/v1/reviews?cursor=notOneOfOurs').set(bearer(harness.reviewerKey)).expect(422);
    expect(refused.body.code).toBe('invalid_cursor');
  });

  it('states the UUID path parameters as the pipe checks them, and the 404 behind them', () => {
    const partner = document.paths['/v1/partners/{id}'].get!;
    expect(partner.parameters).toContainEqual(
      expect.objectContaining({ in: 'path', name: 'id', required: true, schema: expect.objectContaining({ format: 'uuid' }) }),
    );
    const location = document.paths['/v1/partners/{id}/locations/{locationId}'].patch!;
    expect(location.parameters?.map((parameter) => [parameter.name, parameter.schema?.format])).toEqual(
      expect.arrayContaining([
        ['id', 'uuid'],
        ['locationId', 'uuid'],
      ]),
    );
  });

  it('answers 405 with Allow and the error body to a method a known path does not take, and OPTIONS with Allow', async () => {
    const trace = await harness.http.trace('/v1/enrollments').expect(405);
    expect(trace.headers.allow).toBe('POST, OPTIONS');
    const put = await harness.http.put(`/v1/partners/${randomUUID()}`).set(bearer(harness.adminKey)).send({}).expect(405);
    expect(put.body).toEqual({ code: 'method_not_allowed', message: expect.stringContaining('GET, HEAD, OPTIONS') });
    const options = await harness.http.options(`/v1/partners/${randomUUID()}/locations/${randomUUID()}`).expect(204);
    expect(options.headers.allow!.split(', ').sort()).toEqual(['DELETE', 'OPTIONS', 'PATCH']);
    // An unknown path is still a 404, whatever the method.
    expect((await harness.http.trace('/v1/nothing-here').expect(404)).body.code).toBe('not_found');
  });

  it('refuses null where the document says a field is absent or a string, as a review decision with "reason": null', async () => {
    const review = await enrollAndAwaitReview(harness);
    const refused = await harness.http
      .post(`/v1/reviews/${review.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: null })
      .expect(400);
    expect(refused.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason', code: 'isString' })]));
    expect(new Set(refused.body.fields.map((problem: { field: string }) => problem.field))).toEqual(new Set(['reason']));
    const application = sampleApplication();
    const nullOffices = await harness.http
      .post('/v1/enrollments')
      .send({ ...application, locations: null })
      .expect(400);
    expect(nullOffices.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'locations', code: 'isArray' })]));
    // The review is still open: the refused request decided nothing.
    await harness.http
      .post(`/v1/reviews/${review.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
  });

  it('states when a reason is required: a rejection or an exception, never an approval', () => {
    const decision = document.paths['/v1/reviews/{id}/decision'].post!.requestBody!.content['application/json'].schema;
    expect(JSON.stringify(decision)).toContain('"required":["reason"]');
    expect(decision.oneOf).toHaveLength(2);
    const bulk = document.paths['/v1/renewals/bulk'].post!.requestBody!.content['application/json'].schema;
    expect(bulk.oneOf).toHaveLength(2);
  });

  it('authenticates the payment webhook by its signature scheme, not by a bearer key', () => {
    const webhook = document.paths['/v1/payments/webhook'].post!;
    expect(webhook.security).toEqual([{ 'webhook-signature': [] }]);
    expect(document.components.securitySchemes['webhook-signature']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-signature' });
    expect(webhook.responses['401']).toBeDefined();
  });

  it('types the evidence details per kind: oneOf with kind as the discriminator', () => {
    const body = document.paths['/v1/partners/{id}/evidence'].post!.requestBody!.content['application/json'].schema as {
      oneOf: Array<{ $ref: string }>;
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    expect(body.discriminator.propertyName).toBe('kind');
    expect(Object.keys(body.discriminator.mapping).sort()).toEqual([...EVIDENCE_KINDS].sort());
    const reference = document.components.schemas.CustomerReferenceEvidence as { properties: Record<string, { $ref?: string }> };
    expect(reference.properties.details.$ref).toBe('#/components/schemas/CustomerReferenceDetails');
    expect(document.components.schemas.CustomerReferenceDetails).toMatchObject({
      additionalProperties: false,
      required: expect.arrayContaining(['customerName', 'contactEmail', 'projectTitle', 'wonAt']),
    });
  });

  it('states the two bodies a benefit use takes: a support incident, or a license key with a note or nothing', () => {
    const body = document.paths['/v1/partners/{id}/benefits/{code}/uses'].post!.requestBody!.content['application/json'].schema;
    expect(body.oneOf).toEqual([
      { $ref: '#/components/schemas/SupportIncidentRequestDto' },
      { $ref: '#/components/schemas/LicenseKeyRequestDto' },
    ]);
    expect(document.components.schemas.SupportIncidentRequestDto).toMatchObject({
      additionalProperties: false,
      required: ['subject', 'description', 'product'],
    });
    expect(document.components.schemas.LicenseKeyRequestDto).toMatchObject({ additionalProperties: false });
    expect(document.components.schemas.LicenseKeyRequestDto.required).toBeUndefined();
  });

  it('states that no free-text string of a request holds U+0000, and closes request bodies a response shares no schema with', () => {
    const unbounded: string[] = [];
    // A pattern that bounds a string must leave U+0000 out too: short texts with it, as a fuzzer would send them.
    const withNul = ['\u0000', 'a\u0000', '\u0000a', 'A\u0000A', '1\u0000', 'a\u0000 b'];
    const acceptsNul: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${where}[${index}]`));
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (schema.type === 'string' && !['pattern', 'enum', 'format', 'const'].some((bound) => bound in schema)) unbounded.push(where);
      if (schema.type === 'string' && typeof schema.pattern === 'string') {
        const pattern = new RegExp(schema.pattern, 'u');
        if (withNul.some((value) => pattern.test(value))) acceptsNul.push(where);
      }
      for (const [key, child] of Object.entries(schema)) visit(child, `${where}.${key}`);
    };
    const requestSchemas = operations.flatMap(({ label, operation }) => [
      ...(operation.parameters ?? [])
        .filter((parameter) => parameter.in !== 'header')
        .map((parameter) => [`${label} ${parameter.name}`, parameter.schema] as const),
      ...Object.values(operation.requestBody?.content ?? {}).map((media) => [`${label} body`, media.schema] as const),
    ]);
    for (const [where, schema] of requestSchemas) visit(schema, where);
    for (const name of ['CreateEnrollmentDto', 'ContactDto', 'OrganizationDto', 'CreateApiKeyDto', 'UpdateProfileDto']) {
      visit(document.components.schemas[name], name);
    }
    expect(unbounded).toEqual([]);
    expect(acceptsNul).toEqual([]);
    const name = (document.components.schemas.CreateApiKeyDto.properties as Record<string, { pattern: string }>).name;
    expect(new RegExp(name.pattern, 'u').test('Jane\u0000')).toBe(false);
    expect(new RegExp(name.pattern, 'u').test('Jane Reviewer')).toBe(true);
    expect(document.components.schemas.ContactDto).toMatchObject({ additionalProperties: false });
  });

  it('states each value of a repeatable query filter as the pipe checks it: what one refuses, the other refuses', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const probes = ['', 'Zz ~é', 'x'.repeat(101), '-', 'GB', 'DE-BY', 'security', 'co-selling', 'London'];
    const admits = (items: Record<string, unknown>, value: string): boolean =>
      (!Array.isArray(items.enum) || items.enum.includes(value)) &&
      (typeof items.pattern !== 'string' || new RegExp(items.pattern, 'u').test(value)) &&
      [...value].length >= ((items.minLength as number | undefined) ?? 0) &&
      [...value].length <= ((items.maxLength as number | undefined) ?? Infinity);
    const filters = operations.flatMap(({ label, method, path, operation }) =>
      method !== 'get'
        ? []
        : (operation.parameters ?? [])
            .filter((parameter) => parameter.in === 'query' && parameter.schema?.type === 'array')
            .map((parameter) => ({ label, path, name: parameter.name, items: parameter.schema!.items as Record<string, unknown> })),
    );
    expect(filters.map(({ label, name }) => `${label} ${name}`)).toEqual(
      expect.arrayContaining(['GET /v1/directory/partners country', 'GET /v1/channel-offers competency']),
    );
    const disagreements: string[] = [];
    for (const { label, path, name, items } of filters) {
      for (const value of probes) {
        const response = await harness.http
          .get(path.replace('{id}', partner.partnerId))
          .query({ [name]: value })
          .set(bearer(partner.apiKey));
        expect(response.status).not.toBe(403);
        const refused = response.status === 400 && (response.body.fields as Array<{ field: string }>).some((field) => field.field === name);
        if (refused === admits(items, value))
          disagreements.push(`${label} ${name}=${value}: API ${response.status}, document ${refused ? 'admits' : 'refuses'}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('declares Idempotency-Key wherever a route reads it', () => {
    const idempotent = [
      'POST /v1/enrollments',
      'POST /v1/partners/{id}/points/corrections',
      'POST /v1/partners/{id}/upgrade',
      'POST /v1/invoices/{invoiceId}/payments',
      'POST /v1/partners/{id}/benefits/{code}/purchases',
      'POST /v1/partners/{id}/benefits/{code}/uses',
      'POST /v1/partners/{id}/locations',
      'POST /v1/partners/{id}/consolidations',
      'POST /v1/partners/{id}/designations',
      'POST /v1/partners/{id}/channel-offers',
      'POST /v1/channel-offers/{id}/responses',
      'POST /v1/partners/{id}/webhooks',
      'POST /v1/partners/{id}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    ];
    const declaring = operations
      .filter(({ operation }) =>
        operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key'),
      )
      .map(({ label }) => label);
    expect(declaring.sort()).toEqual(idempotent.sort());
  });
});
