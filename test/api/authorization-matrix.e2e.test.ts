import { randomUUID } from 'node:crypto';
import { eventually } from '../support/fixtures';
import {
  type ApiHarness,
  bearer,
  createKey,
  type Enrolled,
  enrollActivePartner,
  enrollAndAwaitReview,
  useApiHarness,
} from '../support/api';

/**
 * Every documented operation, called by every kind of caller, answers the status written here.
 * A route added without a row fails the first test, so nobody forgets to decide who may call it.
 */

type Caller = 'anonymous' | 'own' | 'other' | 'reviewer' | 'admin' | 'consolidated' | 'revoked';
const CALLERS: Caller[] = ['anonymous', 'own', 'other', 'reviewer', 'admin', 'consolidated', 'revoked'];

/** A partner and one resource of each kind that belongs to it. */
interface Party extends Enrolled {
  reviewId: string;
  /** Its primary office, and the address it has, so an update may leave it as it is. */
  locationId: string;
  office: { addressLine1: string; city: string; postalCode: string; country: string };
  /** Where its own people have their mail: a survey there is refused. */
  ownDomain: string;
  invoiceId: string;
  upgradeRequestId: string;
  /** A finished consolidation this partner was absorbed in (the record stays readable to it). */
  consolidationId: string;
  /** A resolved support incident of its own. */
  supportIncidentId: string;
  /** A channel offer of its own that has ended: only its partner and staff still see it. */
  channelOfferId: string;
  /** A removed webhook endpoint of its own and a failed delivery in its log. */
  webhookId: string;
  webhookDeliveryId: string;
}

interface Request {
  path: string;
  body?: object;
  headers?: Record<string, string>;
  /** Instead of the caller's usual key: the key of a partner made for this call. */
  key?: string;
}

/**
 * How to call the operation on `subject`'s resources, and the expected status per caller:
 * `own` is partner A on A's resource, `other` partner A on B's, reviewer and admin act on A's.
 * Unless stated, anonymous and revoked keys get 401 and a consolidated partner's key 410.
 */
interface Row {
  request: (subject: Party, context: Context, caller: Caller) => Request | Promise<Request>;
  expect: Partial<Record<Caller, number>> & Pick<Record<Caller, number>, 'own' | 'other' | 'reviewer' | 'admin'>;
}

interface Context {
  harness: ApiHarness;
  /** A key of `party` nobody else uses: issued by an admin rotation, for the revoke row to revoke. */
  spareKeyOf(party: Party): Promise<string>;
  /** A pending partner of its own, for rows whose success would change the subject for good. */
  freshPending(): Promise<Enrolled>;
}

const everyone = (status: number) => ({
  own: status,
  other: status,
  reviewer: status,
  admin: status,
  anonymous: status,
  consolidated: status,
  revoked: status,
});
const partnerScopedRead = { own: 200, other: 404, reviewer: 200, admin: 200 };
const adminOnly = (adminStatus: number) => ({ own: 403, other: 403, reviewer: 403, admin: adminStatus });
const staffOnly = { own: 403, other: 403, reviewer: 200, admin: 200 };
/** Partners act on their own (the status the business answer gives), admins for any; reviewers only read. */
const ownerOrAdmin = (status: number) => ({ own: status, other: 404, reviewer: 403, admin: status });

const office = { addressLine1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

const MATRIX: Record<string, Row> = {
  'get /health': { request: () => ({ path: '/health' }), expect: everyone(200) },
  'get /v1/catalog': { request: () => ({ path: '/v1/catalog' }), expect: everyone(200) },
  'post /v1/enrollments': { request: () => ({ path: '/v1/enrollments', body: {} }), expect: everyone(400) },
  'get /v1/enrollments/{id}': { request: (p) => ({ path: `/v1/enrollments/${p.enrollmentId}` }), expect: partnerScopedRead },

  'post /v1/api-keys': { request: () => ({ path: '/v1/api-keys', body: {} }), expect: adminOnly(400) },
  'get /v1/api-keys': { request: () => ({ path: '/v1/api-keys' }), expect: { own: 200, other: 200, reviewer: 200, admin: 200 } },
  'post /v1/api-keys/{id}/revoke': {
    request: async (p, context) => ({ path: `/v1/api-keys/${await context.spareKeyOf(p)}/revoke` }),
    expect: { own: 200, other: 404, reviewer: 403, admin: 200 },
  },
  'post /v1/partners/{partnerId}/api-keys/rotate': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/api-keys/rotate` }),
    expect: { own: 201, other: 404, reviewer: 403, admin: 201 },
  },

  'get /v1/partners/{id}': { request: (p) => ({ path: `/v1/partners/${p.partnerId}` }), expect: partnerScopedRead },
  'post /v1/partners/{id}/withdraw': {
    // Withdrawing is for good: the owner and the admin each withdraw a new partner, which acts with its own key.
    request: async (p, context, caller) => {
      if (caller !== 'own' && caller !== 'admin') return { path: `/v1/partners/${p.partnerId}/withdraw`, body: { reason: 'matrix' } };
      const fresh = await context.freshPending();
      return {
        path: `/v1/partners/${fresh.partnerId}/withdraw`,
        body: { reason: 'matrix' },
        ...(caller === 'own' ? { key: fresh.apiKey } : {}),
      };
    },
    expect: { own: 202, other: 404, reviewer: 403, admin: 202 },
  },
  'post /v1/partners/{id}/terms': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/terms`, body: { version: 'not-the-terms-in-force' } }),
    expect: ownerOrAdmin(422),
  },

  'get /v1/reviews': { request: () => ({ path: '/v1/reviews' }), expect: staffOnly },
  'post /v1/reviews/{id}/decision': {
    request: (p) => ({ path: `/v1/reviews/${p.reviewId}/decision`, body: { decision: 'approve' } }),
    // The fixture's review was approved with the reviewer's key: its repeat is a retry and gets that record.
    expect: { own: 403, other: 403, reviewer: 200, admin: 409 },
  },

  'get /v1/partners/{id}/locations': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/locations` }), expect: partnerScopedRead },
  'post /v1/partners/{id}/locations': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/locations`, body: office }),
    expect: ownerOrAdmin(422),
  },
  'patch /v1/partners/{id}/locations/{locationId}': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/locations/${p.locationId}`, body: p.office }),
    expect: ownerOrAdmin(200),
  },
  'delete /v1/partners/{id}/locations/{locationId}': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/locations/${p.locationId}` }),
    expect: ownerOrAdmin(409),
  },
  'post /v1/partners/{id}/locations/{locationId}/make-primary': {
    // Already primary: nothing changes.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/locations/${p.locationId}/make-primary` }),
    expect: ownerOrAdmin(200),
  },

  // The Solution Finder is public; a Registered partner (every party here) is not listed, so nobody finds its profile.
  'get /v1/directory/partners': { request: () => ({ path: '/v1/directory/partners?country=GB' }), expect: everyone(200) },
  'get /v1/directory/partners/{id}': { request: (p) => ({ path: `/v1/directory/partners/${p.partnerId}` }), expect: everyone(404) },
  'get /v1/partners/{id}/profile': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/profile` }), expect: partnerScopedRead },
  'patch /v1/partners/{id}/profile': {
    // Listed already: nothing changes.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/profile`, body: { listed: true } }),
    expect: ownerOrAdmin(200),
  },

  'post /v1/partners/{id}/evidence': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/evidence`, body: { kind: 'certified-professional', details: {} } }),
    expect: ownerOrAdmin(400),
  },
  'get /v1/partners/{id}/evidence': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/evidence` }), expect: partnerScopedRead },
  'get /v1/partners/{id}/standing': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/standing` }), expect: partnerScopedRead },
  'post /v1/partners/{id}/points/corrections': {
    request: (p) => ({
      path: `/v1/partners/${p.partnerId}/points/corrections`,
      body: { entryId: randomUUID(), points: -1, reason: 'matrix' },
    }),
    expect: adminOnly(404),
  },

  'post /v1/partners/{id}/competencies': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/competencies`, body: { code: 'no-such-competency' } }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/benefits': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/benefits` }),
    expect: partnerScopedRead,
  },
  // Public, whatever key comes with it: the subject is a Registered partner, whose level gives no badge.
  'get /v1/partners/{id}/logo.svg': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/logo.svg` }), expect: everyone(404) },
  'get /v1/partners/{id}/competencies': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/competencies` }),
    expect: partnerScopedRead,
  },
  'post /v1/partners/{id}/competencies/{code}/revoke': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/competencies/security/revoke`, body: { reason: 'matrix' } }),
    // Never applied for: nothing to revoke.
    expect: adminOnly(404),
  },

  'post /v1/partners/{id}/designations': {
    request: (p) => ({
      path: `/v1/partners/${p.partnerId}/designations`,
      body: { code: 'no-such-designation', communityMemberId: 'SB-1' },
    }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/designations': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/designations` }),
    expect: partnerScopedRead,
  },
  'post /v1/partners/{id}/designations/{code}/revoke': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/designations/small-business-specialist/revoke`, body: { reason: 'matrix' } }),
    // Never applied for: nothing to revoke.
    expect: adminOnly(404),
  },

  'post /v1/partners/{id}/upgrade': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/upgrade`, body: { level: 'gold' } }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/upgrades/{requestId}': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/upgrades/${p.upgradeRequestId}` }),
    expect: partnerScopedRead,
  },

  'post /v1/partners/{id}/surveys': {
    request: (p) => ({
      path: `/v1/partners/${p.partnerId}/surveys`,
      body: { customerName: 'Own Colleague', customerEmail: `colleague@${p.ownDomain}` },
    }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/satisfaction': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/satisfaction` }),
    expect: partnerScopedRead,
  },
  'post /v1/surveys/responses': { request: () => ({ path: '/v1/surveys/responses', body: {} }), expect: everyone(400) },

  'get /v1/partners/{id}/invoices': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/invoices` }), expect: partnerScopedRead },
  'get /v1/invoices/{invoiceId}': { request: (p) => ({ path: `/v1/invoices/${p.invoiceId}` }), expect: partnerScopedRead },
  'post /v1/invoices/{invoiceId}/payments': {
    request: (p) => ({ path: `/v1/invoices/${p.invoiceId}/payments`, body: {}, headers: { 'Idempotency-Key': randomUUID() } }),
    expect: adminOnly(400),
  },
  'get /v1/partners/{id}/benefits/{code}/quote': {
    // Logos are not for sale: anyone who may read the partner is told so; another partner's key finds nothing.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/benefits/partner-logos/quote` }),
    expect: { own: 422, other: 404, reviewer: 422, admin: 422 },
  },
  'post /v1/partners/{id}/benefits/{code}/purchases': {
    // Logos come with the level and are not for sale: the partner is found, then the catalog refuses.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/benefits/partner-logos/purchases` }),
    expect: ownerOrAdmin(422),
  },
  'post /v1/partners/{id}/benefits/{code}/uses': {
    // Account engagement comes with every level as a right, not in units: the partner is found, then the use refused.
    request: async (p, context) => {
      await eventually(() =>
        context.harness.prisma.entitlement.findFirst({ where: { partnerId: p.partnerId, benefitCode: 'account-engagement' } }),
      );
      return {
        path: `/v1/partners/${p.partnerId}/benefits/account-engagement/uses`,
        body: {},
        headers: { 'Idempotency-Key': randomUUID() },
      };
    },
    expect: { own: 422, other: 404, reviewer: 422, admin: 422 },
  },
  'get /v1/partners/{id}/support-incidents': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/support-incidents` }),
    expect: partnerScopedRead,
  },
  'get /v1/support-incidents': { request: () => ({ path: '/v1/support-incidents' }), expect: staffOnly },
  'get /v1/partners/{id}/notifications': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/notifications` }),
    expect: partnerScopedRead,
  },
  'get /v1/partners/{id}/notification-preferences': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/notification-preferences` }),
    expect: partnerScopedRead,
  },
  'patch /v1/partners/{id}/notification-preferences': {
    // Nothing muted already: nothing changes.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/notification-preferences`, body: { muted: [] } }),
    expect: ownerOrAdmin(200),
  },
  'post /v1/partners/{id}/webhooks': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks`, body: { url: 'https://10.0.0.1/hook', eventKinds: [] } }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/webhooks': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks` }), expect: partnerScopedRead },
  'get /v1/partners/{id}/webhooks/{webhookId}': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks/${p.webhookId}` }),
    expect: partnerScopedRead,
  },
  'delete /v1/partners/{id}/webhooks/{webhookId}': {
    // Removed already: nothing changes.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks/${p.webhookId}` }),
    expect: ownerOrAdmin(204),
  },
  'get /v1/partners/{id}/webhooks/{webhookId}/deliveries': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks/${p.webhookId}/deliveries` }),
    expect: partnerScopedRead,
  },
  'get /v1/partners/{id}/webhooks/{webhookId}/deliveries/{deliveryId}': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks/${p.webhookId}/deliveries/${p.webhookDeliveryId}` }),
    expect: partnerScopedRead,
  },
  'post /v1/partners/{id}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver': {
    // The endpoint was removed: nothing is redelivered to it.
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/webhooks/${p.webhookId}/deliveries/${p.webhookDeliveryId}/redeliver` }),
    expect: ownerOrAdmin(409),
  },

  'post /v1/partners/{id}/channel-offers': {
    // Found and allowed, then refused by the catalog: no offer is published.
    request: (p) => ({
      path: `/v1/partners/${p.partnerId}/channel-offers`,
      body: { kind: 'co-selling', description: 'matrix', competencies: ['not-a-competency'], countries: ['GB'], validUntil: '2027-06-30' },
    }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/channel-offers': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/channel-offers` }),
    expect: partnerScopedRead,
  },
  // The Channel Builder is for partners to find each other: staff read offers by id, they do not search.
  'get /v1/channel-offers': {
    request: () => ({ path: '/v1/channel-offers' }),
    expect: { own: 200, other: 200, reviewer: 403, admin: 403 },
  },
  'get /v1/channel-offers/{id}': { request: (p) => ({ path: `/v1/channel-offers/${p.channelOfferId}` }), expect: partnerScopedRead },
  'get /v1/channel-offers/{id}/responses': {
    request: (p) => ({ path: `/v1/channel-offers/${p.channelOfferId}/responses` }),
    expect: partnerScopedRead,
  },
  'post /v1/channel-offers/{id}/responses': {
    // The offering partner must name the thread it answers; another partner does not see an offer that has ended.
    request: (p) => ({ path: `/v1/channel-offers/${p.channelOfferId}/responses`, body: { message: 'matrix' } }),
    expect: { own: 422, other: 404, reviewer: 403, admin: 403 },
  },
  'get /v1/support-incidents/{id}': {
    request: (p) => ({ path: `/v1/support-incidents/${p.supportIncidentId}` }),
    expect: partnerScopedRead,
  },
  'post /v1/support-incidents/{id}/start': {
    request: (p) => ({ path: `/v1/support-incidents/${p.supportIncidentId}/start` }),
    expect: { own: 403, other: 403, reviewer: 409, admin: 409 },
  },
  'post /v1/support-incidents/{id}/resolve': {
    request: (p) => ({ path: `/v1/support-incidents/${p.supportIncidentId}/resolve`, body: { resolution: 'matrix' } }),
    expect: { own: 403, other: 403, reviewer: 409, admin: 409 },
  },
  'post /v1/payments/webhook': { request: () => ({ path: '/v1/payments/webhook', body: {} }), expect: everyone(401) },

  'get /v1/renewals': { request: () => ({ path: '/v1/renewals' }), expect: staffOnly },
  'post /v1/renewals/bulk': { request: () => ({ path: '/v1/renewals/bulk', body: {} }), expect: adminOnly(400) },
  'post /v1/partners/{id}/renewal': { request: (p) => ({ path: `/v1/partners/${p.partnerId}/renewal` }), expect: ownerOrAdmin(409) },

  'post /v1/partners/{id}/consolidations': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/consolidations`, body: { absorbedPartnerId: randomUUID() } }),
    expect: ownerOrAdmin(422),
  },
  'get /v1/partners/{id}/consolidations': {
    request: (p) => ({ path: `/v1/partners/${p.partnerId}/consolidations` }),
    expect: partnerScopedRead,
  },
  'get /v1/consolidations/{id}': { request: (p) => ({ path: `/v1/consolidations/${p.consolidationId}` }), expect: partnerScopedRead },
  'post /v1/consolidations/{id}/consent': {
    request: (p) => ({ path: `/v1/consolidations/${p.consolidationId}/consent` }),
    expect: { own: 409, other: 404, reviewer: 403, admin: 403 },
  },
  'post /v1/consolidations/{id}/decline': {
    request: (p) => ({ path: `/v1/consolidations/${p.consolidationId}/decline` }),
    expect: { own: 409, other: 404, reviewer: 403, admin: 403 },
  },
};

describe('authorization matrix: every operation × every kind of caller', () => {
  const harness = useApiHarness();
  const keys = {} as Record<'reviewer' | 'admin' | 'consolidated' | 'revoked', string>;
  let own: Party;
  let other: Party;

  /** Gives `enrolled` one resource of each kind; rows that need state it cannot reach use records made here. */
  async function party(enrolled: Enrolled & { reviewId: string }): Promise<Party> {
    const { prisma } = harness;
    const partner = await prisma.partner.findUniqueOrThrow({ where: { id: enrolled.partnerId }, include: { locations: true } });
    const now = new Date();
    const invoice = await prisma.invoice.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        purpose: 'benefit',
        subjectId: randomUUID(),
        workflowId: `matrix-${randomUUID()}`,
        status: 'void',
        currency: 'GBP',
        lines: [],
        subtotalMinor: 0,
        taxRateBps: 0,
        taxMinor: 0,
        totalMinor: 0,
        catalogVersionId: partner.catalogVersionId,
        issuedAt: now,
        dueAt: now,
        updatedAt: now,
      },
    });
    const upgrade = await prisma.upgradeRequest.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        workflowId: `matrix-${randomUUID()}`,
        fromLevel: 'registered',
        toLevel: 'certified',
        status: 'refused',
        catalogVersionId: partner.catalogVersionId,
        requestedBy: 'matrix',
        createdAt: now,
        updatedAt: now,
      },
    });
    const consolidation = await prisma.consolidation.create({
      data: {
        id: randomUUID(),
        survivorId: randomUUID(),
        absorbedId: partner.id,
        workflowId: `matrix-${randomUUID()}`,
        status: 'declined',
        requestedBy: 'matrix',
        catalogVersionId: partner.catalogVersionId,
        createdAt: now,
        updatedAt: now,
      },
    });
    const supportIncident = await prisma.supportIncident.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        entitlementId: randomUUID(),
        benefitCode: 'support-incidents-5',
        workflowId: `matrix-${randomUUID()}`,
        subject: 'matrix',
        description: 'matrix',
        product: 'matrix',
        status: 'resolved',
        openedBy: 'matrix',
        resolution: 'matrix',
        createdAt: now,
        updatedAt: now,
        resolvedAt: now,
      },
    });
    const channelOffer = await prisma.channelOffer.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        kind: 'co-selling',
        description: 'matrix',
        competencies: [],
        countries: ['GB'],
        validUntil: now,
        status: 'closed',
        closedReason: 'expired',
        closedAt: now,
        workflowId: `matrix-${randomUUID()}`,
        createdAt: now,
      },
    });
    const webhook = await prisma.webhookEndpoint.create({
      data: {
        id: randomUUID(),
        partnerId: partner.id,
        url: 'https://hooks.example.com/matrix',
        eventKinds: [],
        createdAt: now,
        removedAt: now,
      },
    });
    const eventId = randomUUID();
    const webhookDelivery = await prisma.webhookDelivery.create({
      data: {
        id: randomUUID(),
        dedupeKey: `${webhook.id}|${eventId}`,
        endpointId: webhook.id,
        eventId,
        eventKind: 'invoice-paid',
        payload: { id: eventId, type: 'invoice-paid' },
        status: 'failed',
        attempts: 1,
        createdAt: now,
        completedAt: now,
      },
    });
    const [primary] = partner.locations;
    return {
      ...enrolled,
      locationId: primary.id,
      office: { addressLine1: primary.addressLine1, city: primary.city, postalCode: primary.postalCode, country: primary.country },
      ownDomain: partner.contactEmail.split('@')[1],
      invoiceId: invoice.id,
      upgradeRequestId: upgrade.id,
      consolidationId: consolidation.id,
      supportIncidentId: supportIncident.id,
      channelOfferId: channelOffer.id,
      webhookId: webhook.id,
      webhookDeliveryId: webhookDelivery.id,
    };
  }

  const context: Context = {
    harness,
    async spareKeyOf(subject) {
      const rotated = await harness.http
        .post(`/v1/partners/${subject.partnerId}/api-keys/rotate`)
        .set(bearer(harness.adminKey))
        .expect(201);
      return rotated.body.id as string;
    },
    freshPending: () => enrollAndAwaitReview(harness),
  };

  beforeAll(async () => {
    const approved = async () => {
      const enrolled = await enrollActivePartner(harness, harness.reviewerKey);
      const review = await harness.prisma.reviewTask.findFirstOrThrow({ where: { enrollmentId: enrolled.enrollmentId } });
      return party({ ...enrolled, reviewId: review.id });
    };
    [own, other] = await Promise.all([approved(), approved()]);
    keys.reviewer = harness.reviewerKey;
    keys.admin = harness.adminKey;

    const absorbed = await enrollActivePartner(harness, harness.reviewerKey);
    await harness.prisma.partner.update({
      where: { id: absorbed.partnerId },
      data: { status: 'consolidated', consolidatedIntoId: own.partnerId },
    });
    keys.consolidated = absorbed.apiKey;

    keys.revoked = await createKey(harness, 'reviewer', 'revoked in the matrix');
    const revokedId = (await harness.prisma.apiKey.findFirstOrThrow({ where: { name: 'revoked in the matrix' } })).id;
    await harness.http.post(`/v1/api-keys/${revokedId}/revoke`).set(bearer(harness.adminKey)).expect(200);
  });

  it('has a row for every documented operation and none for an operation that is gone', async () => {
    const spec = await harness.http.get('/docs-json').expect(200);
    const documented = Object.entries(spec.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(Object.keys(MATRIX).sort()).toEqual(documented.sort());
  });

  it.each(Object.keys(MATRIX))('%s', async (operation) => {
    const row = MATRIX[operation];
    const [method, template] = operation.split(' ') as ['get' | 'post' | 'patch' | 'delete', string];
    const answers: Partial<Record<Caller, number>> = {};
    for (const caller of CALLERS) {
      const subject = caller === 'other' ? other : own;
      const request = await row.request(subject, context, caller);
      expect(request.path).not.toMatch(/[{}]/);
      let call = harness.http[method](request.path).set(request.headers ?? {});
      const key = request.key ?? (caller === 'own' || caller === 'other' ? own.apiKey : caller === 'anonymous' ? undefined : keys[caller]);
      if (key) call = call.set(bearer(key));
      answers[caller] = (await (request.body ? call.send(request.body) : call)).status;
    }
    const expected = Object.fromEntries(
      CALLERS.map((caller) => {
        const unauthenticated: Partial<Record<Caller, number>> = { anonymous: 401, revoked: 401, consolidated: 410 };
        return [caller, row.expect[caller] ?? unauthenticated[caller]];
      }),
    );
    expect({ operation: template, ...answers }).toEqual({ operation: template, ...expected });
  });
});
