import { randomUUID } from 'node:crypto';
import { bearer, enrollActivePartner, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';

/** Lists that are not paginated, and what bounds them. */
const BOUNDED_LISTS: Record<string, string> = {
  'get /v1/partners/{id}/competencies': "one row per competency of the catalog's list",
  'get /v1/partners/{id}/designations': "one row per designation of the catalog's list (unique by partner and code)",
  'get /v1/partners/{id}/locations': "the catalog's rules.limits.officesPerPartner",
};

type Operation = {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

describe('bounds: every unbounded list is a page with a capped limit, and the catalog caps what a partner keeps', () => {
  const harness = useApiHarness();

  it('pages every list the catalog does not bound, and refuses a limit above 200', async () => {
    const spec = await harness.http.get('/docs-json').expect(200);
    const arrays: string[] = [];
    const paged: string[] = [];
    for (const [path, methods] of Object.entries(spec.body.paths as Record<string, Record<string, Operation>>)) {
      const list = methods.get;
      if (!list) continue;
      const schema = list.responses['200']?.content?.['application/json']?.schema as { type?: string } | undefined;
      if (schema?.type === 'array') arrays.push(`get ${path}`);
      const query = (list.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      if (query.includes('limit') && query.includes('cursor')) paged.push(path);
    }
    expect(arrays.sort()).toEqual(Object.keys(BOUNDED_LISTS).sort());
    expect(paged.sort()).toEqual([
      '/v1/api-keys',
      '/v1/channel-offers',
      '/v1/channel-offers/{id}/responses',
      '/v1/directory/partners',
      '/v1/partners/{id}/channel-offers',
      '/v1/partners/{id}/consolidations',
      '/v1/partners/{id}/evidence',
      '/v1/partners/{id}/invoices',
      '/v1/partners/{id}/notifications',
      '/v1/partners/{id}/support-incidents',
      '/v1/partners/{id}/webhooks',
      '/v1/partners/{id}/webhooks/{webhookId}/deliveries',
      '/v1/renewals',
      '/v1/reviews',
      '/v1/support-incidents',
    ]);

    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    // Channel offers are searched and answered with partner keys: the partner's own offer.
    // (once its membership's first term has granted the Channel Builder).
    const offer = await eventually(async () => {
      const published = await harness.http
        .post(`/v1/partners/${partner.partnerId}/channel-offers`)
        .set(bearer(partner.apiKey))
        .send({
          kind: 'co-selling',
          description: 'Lists',
          competencies: [],
          countries: ['GB'],
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        });
      return published.status === 201 && published;
    });
    const webhook = await harness.http
      .post(`/v1/partners/${partner.partnerId}/webhooks`)
      .set(bearer(harness.adminKey))
      .send({ url: 'https://hooks.example.com/lists', eventKinds: [] })
      .expect(201);
    for (const path of paged) {
      const onOffer = path.startsWith('/v1/channel-offers');
      const concrete = path
        .replace('{id}', onOffer ? (offer.body.id as string) : partner.partnerId)
        .replace('{webhookId}', webhook.body.id);
      const key = onOffer ? partner.apiKey : harness.adminKey;
      const tooMany = await harness.http.get(`${concrete}?limit=201`).set(bearer(key)).expect(400);
      expect(tooMany.body.fields).toEqual([expect.objectContaining({ field: 'limit' })]);
      await harness.http.get(`${concrete}?limit=200`).set(bearer(key)).expect(200);
    }
  });

  it('pages a partner’s evidence newest first', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const partnerRow = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    const recorded = [0, 1, 2].map((n) => ({
      id: randomUUID(),
      partnerId: partner.partnerId,
      kind: 'certified-professional',
      naturalKey: `listed-${n}`,
      details: { personName: `Person ${n}`, email: `person-${n}@partner.example`, certificationIds: ['MCSD'] },
      status: 'rejected',
      points: 0,
      workflowId: `evidence-${randomUUID()}`,
      catalogVersionId: partnerRow.catalogVersionId,
      recordedBy: 'lists test',
      createdAt: new Date(Date.UTC(2026, 10, 1 + n)),
    }));
    await harness.prisma.evidence.createMany({ data: recorded });
    const path = `/v1/partners/${partner.partnerId}/evidence`;
    const first = await harness.http.get(`${path}?limit=2`).set(bearer(partner.apiKey)).expect(200);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([recorded[2].id, recorded[1].id]);
    const second = await harness.http.get(path).query({ limit: 2, cursor: first.body.nextCursor }).set(bearer(partner.apiKey)).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: recorded[0].id })], nextCursor: null });
  });

  it('refuses an office beyond the catalog cap, until one is removed', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const { officesPerPartner } = (await catalogLimits())!;
    await harness.prisma.location.createMany({
      data: Array.from({ length: officesPerPartner - 1 }, (_, n) => ({
        id: randomUUID(),
        partnerId: partner.partnerId,
        isPrimary: false,
        addressLine1: `${n} High Street`,
        city: 'Leeds',
        postalCode: 'LS1 1AA',
        country: 'GB',
      })),
    });
    const base = `/v1/partners/${partner.partnerId}/locations`;
    const office = { addressLine1: '1 Park Row', city: 'Leeds', postalCode: 'LS1 5AB', country: 'GB' };
    const refused = await harness.http.post(base).set(bearer(partner.apiKey)).send(office).expect(409);
    expect(refused.body.code).toBe('office_limit_reached');

    const offices = (await harness.http.get(base).set(bearer(partner.apiKey)).expect(200)).body as Array<{
      id: string;
      isPrimary: boolean;
    }>;
    expect(offices).toHaveLength(officesPerPartner);
    await harness.http
      .delete(`${base}/${offices.find((candidate) => !candidate.isPrimary)!.id}`)
      .set(bearer(partner.apiKey))
      .expect(200);
    await harness.http.post(base).set(bearer(partner.apiKey)).send(office).expect(201);
  });

  it('refuses evidence beyond the catalog caps: awaiting review at once, and recorded in the window', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const { pendingEvidencePerPartner, evidencePerWindow } = (await catalogLimits())!;
    const partnerRow = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    const recordEvidence = (count: number, status: string) =>
      harness.prisma.evidence.createMany({
        data: Array.from({ length: count }, () => ({
          id: randomUUID(),
          partnerId: partner.partnerId,
          kind: 'certified-professional',
          naturalKey: `capped-${randomUUID()}`,
          details: {},
          status,
          points: 0,
          workflowId: `evidence-${randomUUID()}`,
          catalogVersionId: partnerRow.catalogVersionId,
          recordedBy: 'bounds test',
          createdAt: new Date(),
        })),
      });
    const path = `/v1/partners/${partner.partnerId}/evidence`;
    const professional = (n: number) => ({
      kind: 'certified-professional',
      details: { personName: `Pro ${'abcdefghij'[n]}`, email: `pro-${n}-${partner.partnerId}@partner.example`, certificationIds: ['MCSD'] },
    });

    await recordEvidence(pendingEvidencePerPartner, 'pending_review');
    const pending = await harness.http.post(path).set(bearer(partner.apiKey)).send(professional(1)).expect(409);
    expect(pending.body.code).toBe('too_much_pending_evidence');

    await harness.prisma.evidence.updateMany({ where: { partnerId: partner.partnerId }, data: { status: 'rejected' } });
    await recordEvidence(evidencePerWindow - pendingEvidencePerPartner, 'rejected');
    const inWindow = await harness.http.post(path).set(bearer(partner.apiKey)).send(professional(2)).expect(409);
    expect(inWindow.body.code).toBe('evidence_limit_reached');
    expect(await harness.prisma.evidence.count({ where: { partnerId: partner.partnerId } })).toBe(evidencePerWindow);
  });

  async function catalogLimits() {
    const inForce = await harness.prisma.catalogVersion.findFirstOrThrow({
      where: { effectiveFrom: { lte: new Date() } },
      orderBy: { effectiveFrom: 'desc' },
    });
    return (inForce.rules as { limits?: { officesPerPartner: number; evidencePerWindow: number; pendingEvidencePerPartner: number } })
      .limits;
  }
});
