import { randomUUID } from 'node:crypto';
import { hashApiKey } from '../../lib/api-keys';
import { TemporalService } from '../../apps/api/src/temporal/temporal.module';
import { licenseKeyWorkflowId } from '../../workflows/benefits/definitions';
import { bearer, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';
import { memberAt } from '../support/members';

/** Every payload a workflow history carries (inputs, results, update answers), decoded. */
function payloadTexts(history: unknown): string[] {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (node instanceof Uint8Array) texts.push(Buffer.from(node).toString('utf8'));
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(history);
  return texts;
}

const INCIDENT = {
  subject: 'Replication stops after failover',
  description: 'The secondary stops applying the log.',
  product: 'SQL Server 2025',
};

describe('using benefits: support incidents and license keys, through the API', () => {
  const harness = useApiHarness();

  /** A Certified member (five support incidents, two more for its Security competency) and a key of its own. */
  async function certifiedPartner(): Promise<{ partnerId: string; apiKey: string }> {
    const partnerId = await memberAt(harness.prisma, 'certified');
    const rotated = await harness.http.post(`/v1/partners/${partnerId}/api-keys/rotate`).set(bearer(harness.adminKey)).expect(201);
    return { partnerId, apiKey: rotated.body.apiKey as string };
  }

  const use = (partnerId: string, key: string, code: string, body: object = INCIDENT, idempotencyKey: string = randomUUID()) =>
    harness.http.post(`/v1/partners/${partnerId}/benefits/${code}/uses`).set(bearer(key)).set('Idempotency-Key', idempotencyKey).send(body);

  async function entitlement(partner: { partnerId: string; apiKey: string }, benefitCode: string) {
    const page = await harness.http.get(`/v1/partners/${partner.partnerId}/benefits`).set(bearer(partner.apiKey)).expect(200);
    return (page.body.entitlements as Array<{ benefitCode: string; used: number; remaining: number; licenseKeys?: unknown[] }>).find(
      (item) => item.benefitCode === benefitCode,
    )!;
  }

  it('opens the five support incidents of a Certified partner; the sixth is 409 with what it can buy instead', async () => {
    const partner = await certifiedPartner();
    const opened = [];
    for (let n = 0; n < 5; n += 1) opened.push((await use(partner.partnerId, partner.apiKey, 'support-incidents-5').expect(201)).body);
    expect(new Set(opened.map((answer) => answer.supportIncident.id)).size).toBe(5);
    expect(opened[0]).toMatchObject({
      benefitCode: 'support-incidents-5',
      kind: 'counted',
      supportIncident: { partnerId: partner.partnerId, status: 'open', ...INCIDENT },
    });

    const sixth = await use(partner.partnerId, partner.apiKey, 'support-incidents-5').expect(409);
    expect(sixth.body).toMatchObject({ code: 'entitlement_exhausted', details: { benefitCode: 'support-incidents-5' } });
    const alternatives = sixth.body.details.alternatives as Array<{
      benefitCode: string;
      price: Record<string, unknown>;
      purchase: string;
    }>;
    expect(alternatives.map((item) => item.benefitCode)).toEqual([
      'action-pack',
      'extra-toolkits',
      'msdn-subscription',
      'technet-subscription',
    ]);
    // TechNet: Certified's member price 244.00 USD, less the 10% its Security competency saves.
    expect(alternatives.find((item) => item.benefitCode === 'technet-subscription')).toEqual({
      benefitCode: 'technet-subscription',
      name: 'TechNet subscription at member savings',
      stage: 'enable',
      kind: 'subscription',
      price: expect.objectContaining({
        currency: 'USD',
        memberMinor: 24400,
        discountBps: 1000,
        discountCompetency: 'security',
        amountMinor: 21960,
      }),
      purchase: `/v1/partners/${partner.partnerId}/benefits/technet-subscription/purchases`,
    });
    expect(await entitlement(partner, 'support-incidents-5')).toMatchObject({ used: 5, remaining: 0 });
    // The competency's own incidents are a benefit of their own, used by their code.
    await use(partner.partnerId, partner.apiKey, 'competency-support-incidents').expect(201);
    expect(await entitlement(partner, 'competency-support-incidents')).toMatchObject({ used: 1, remaining: 1 });
  });

  it('gives exactly five of twenty concurrent uses on five units, and never goes below zero', async () => {
    const partner = await certifiedPartner();
    const answers = await Promise.all(Array.from({ length: 20 }, () => use(partner.partnerId, partner.apiKey, 'support-incidents-5')));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(5);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(15);
    expect(refused.every((answer) => answer.body.code === 'entitlement_exhausted')).toBe(true);
    const units = await harness.prisma.entitlement.findFirstOrThrow({
      where: { partnerId: partner.partnerId, benefitCode: 'support-incidents-5' },
    });
    expect(units).toMatchObject({ quantity: 5, used: 5 });
    expect(await harness.prisma.supportIncident.count({ where: { partnerId: partner.partnerId } })).toBe(5);
  });

  it('answers a repeated Idempotency-Key with the same incident and takes no second unit, even at the same time', async () => {
    const partner = await certifiedPartner();
    const [first, concurrent] = await Promise.all([
      use(partner.partnerId, partner.apiKey, 'support-incidents-5', INCIDENT, 'incident-1'),
      use(partner.partnerId, partner.apiKey, 'support-incidents-5', INCIDENT, 'incident-1'),
    ]);
    const later = await use(partner.partnerId, partner.apiKey, 'support-incidents-5', INCIDENT, 'incident-1');
    expect([first.status, concurrent.status, later.status]).toEqual([201, 201, 201]);
    expect(concurrent.body.supportIncident.id).toBe(first.body.supportIncident.id);
    expect(later.body.supportIncident.id).toBe(first.body.supportIncident.id);
    expect(await entitlement(partner, 'support-incidents-5')).toMatchObject({ used: 1, remaining: 4 });
    // The same key with another request is refused.
    const reused = await use(partner.partnerId, partner.apiKey, 'support-incidents-5', { ...INCIDENT, subject: 'Another' }, 'incident-1');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('lets a reviewer open an incident for the partner, start and resolve it, and tells the partner each step', async () => {
    const partner = await certifiedPartner();
    const opened = await use(partner.partnerId, harness.reviewerKey, 'support-incidents-5').expect(201);
    const incident = opened.body.supportIncident as { id: string; openedBy: string };
    const reviewer = await harness.prisma.apiKey.findFirstOrThrow({ where: { hash: hashApiKey(harness.reviewerKey) } });
    expect(incident.openedBy).toBe(reviewer.id);

    await harness.http.post(`/v1/support-incidents/${incident.id}/start`).set(bearer(partner.apiKey)).expect(403);
    const early = await harness.http
      .post(`/v1/support-incidents/${incident.id}/resolve`)
      .set(bearer(harness.reviewerKey))
      .send({ resolution: 'Too soon' })
      .expect(409);
    expect(early.body.code).toBe('support_incident_not_in_progress');
    const started = await harness.http.post(`/v1/support-incidents/${incident.id}/start`).set(bearer(harness.reviewerKey)).expect(200);
    expect(started.body).toMatchObject({ id: incident.id, status: 'in_progress', startedAt: expect.any(String) });
    const again = await harness.http.post(`/v1/support-incidents/${incident.id}/start`).set(bearer(harness.adminKey)).expect(409);
    expect(again.body.code).toBe('support_incident_not_open');
    const resolution = 'Apply cumulative update 3; the log applies again.';
    const resolved = await harness.http
      .post(`/v1/support-incidents/${incident.id}/resolve`)
      .set(bearer(harness.reviewerKey))
      .send({ resolution })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution, resolvedAt: expect.any(String) });
    const closed = await harness.http
      .post(`/v1/support-incidents/${incident.id}/resolve`)
      .set(bearer(harness.reviewerKey))
      .send({ resolution })
      .expect(409);
    expect(closed.body.code).toBe('support_incident_not_in_progress');

    const { contactEmail } = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    const resolvedNotice = await eventually(() =>
      harness.prisma.notification.findFirst({
        where: { partnerId: partner.partnerId, kind: 'support-incident-resolved', sentAt: { not: null } },
      }),
    );
    expect(resolvedNotice).toMatchObject({ recipient: contactEmail, body: expect.stringContaining(resolution) });
    expect(await harness.prisma.notification.count({ where: { partnerId: partner.partnerId, kind: 'support-incident-in-progress' } })).toBe(
      1,
    );
    expect(harness.worker.mailer.sent.filter((message) => message.to === contactEmail).map((message) => message.subject)).toEqual([
      `Support incident in progress: ${INCIDENT.subject}`,
      `Support incident resolved: ${INCIDENT.subject}`,
    ]);

    const own = await harness.http.get(`/v1/support-incidents/${incident.id}`).set(bearer(partner.apiKey)).expect(200);
    expect(own.body).toMatchObject({ status: 'resolved', resolution });
    const listed = await harness.http.get(`/v1/partners/${partner.partnerId}/support-incidents`).set(bearer(partner.apiKey)).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([incident.id]);
    const queue = await eventually(async () => {
      const page = await harness.http.get('/v1/support-incidents?status=resolved&limit=200').set(bearer(harness.reviewerKey)).expect(200);
      return (page.body.items as Array<{ id: string }>).some((item) => item.id === incident.id) && page.body;
    });
    expect(queue.items.every((item: { status: string }) => item.status === 'resolved')).toBe(true);
    await harness.http.get('/v1/support-incidents').set(bearer(partner.apiKey)).expect(403);
  });

  it('pages through a partner’s incidents newest first', async () => {
    const partner = await certifiedPartner();
    const ids = [];
    for (let n = 0; n < 3; n += 1)
      ids.push((await use(partner.partnerId, partner.apiKey, 'support-incidents-5').expect(201)).body.supportIncident.id);
    const first = await harness.http
      .get(`/v1/partners/${partner.partnerId}/support-incidents?limit=2`)
      .set(bearer(partner.apiKey))
      .expect(200);
    const second = await harness.http
      .get(`/v1/partners/${partner.partnerId}/support-incidents?limit=2&cursor=${first.body.nextCursor}`)
      .set(bearer(partner.apiKey))
      .expect(200);
    expect([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id)).toEqual([...ids].reverse());
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows another partner none of it: its uses, incidents and lists are 404', async () => {
    const [owner, stranger] = await Promise.all([certifiedPartner(), certifiedPartner()]);
    const opened = await use(owner.partnerId, owner.apiKey, 'support-incidents-5').expect(201);
    expect((await use(owner.partnerId, stranger.apiKey, 'support-incidents-5').expect(404)).body.code).toBe('not_found');
    await harness.http.get(`/v1/support-incidents/${opened.body.supportIncident.id}`).set(bearer(stranger.apiKey)).expect(404);
    await harness.http.get(`/v1/partners/${owner.partnerId}/support-incidents`).set(bearer(stranger.apiKey)).expect(404);
    expect(await entitlement(owner, 'support-incidents-5')).toMatchObject({ used: 1 });
  });

  it('refuses what is not a use: a benefit not held, one held as a right, the other kind’s body, no Idempotency-Key', async () => {
    const partner = await certifiedPartner();
    const registered = await memberAt(harness.prisma, 'registered');
    expect((await use(registered, harness.adminKey, 'support-incidents-5').expect(404)).body.code).toBe('not_found');
    expect((await use(partner.partnerId, partner.apiKey, 'no-such-benefit').expect(404)).body.code).toBe('not_found');
    expect((await use(partner.partnerId, partner.apiKey, 'partner-logos', {}).expect(422)).body.code).toBe('benefit_not_consumable');
    const noDetails = await use(partner.partnerId, partner.apiKey, 'support-incidents-5', {}).expect(422);
    expect(noDetails.body).toMatchObject({
      code: 'benefit_use_mismatch',
      fields: expect.arrayContaining([expect.objectContaining({ field: 'subject' })]),
    });
    expect((await use(partner.partnerId, partner.apiKey, 'internal-use-licenses', INCIDENT).expect(422)).body.code).toBe(
      'benefit_use_mismatch',
    );
    const partial = await use(partner.partnerId, partner.apiKey, 'support-incidents-5', { subject: 'Only a subject' }).expect(400);
    expect(partial.body.fields.map((problem: { field: string }) => problem.field).sort()).toEqual(['description', 'product']);
    const blank = await use(partner.partnerId, partner.apiKey, 'support-incidents-5', { ...INCIDENT, subject: '   ' }).expect(400);
    expect(blank.body.fields).toEqual([expect.objectContaining({ field: 'subject' })]);
    await harness.http
      .post(`/v1/partners/${partner.partnerId}/benefits/support-incidents-5/uses`)
      .set(bearer(partner.apiKey))
      .send(INCIDENT)
      .expect(400);
    expect(await entitlement(partner, 'support-incidents-5')).toMatchObject({ used: 0 });

    await harness.prisma.entitlement.updateMany({
      where: { partnerId: partner.partnerId },
      data: { endedAt: new Date(), endReason: 'withdrawn' },
    });
    expect((await use(partner.partnerId, harness.adminKey, 'support-incidents-5').expect(409)).body.code).toBe('entitlement_not_usable');
  });

  it('shows a license key once, lists it masked, keeps it out of the database and the workflow history, and opens no route with it', async () => {
    const partner = await certifiedPartner();
    const issued = await use(partner.partnerId, partner.apiKey, 'internal-use-licenses', { note: 'Build server' }, 'license-1').expect(201);
    const { key, ...licenseKey } = issued.body.licenseKey as { key: string; id: string; lastChars: string };
    expect(key).toMatch(/^PPL-([0-9A-HJKMNP-TV-Z]{5}-){4}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(licenseKey).toMatchObject({
      benefitCode: 'internal-use-licenses',
      lastChars: key.slice(-5),
      note: 'Build server',
      revokedAt: null,
    });

    const repeated = await use(partner.partnerId, partner.apiKey, 'internal-use-licenses', { note: 'Build server' }, 'license-1').expect(
      201,
    );
    expect(repeated.body.licenseKey).toEqual(licenseKey);
    const empty = await use(partner.partnerId, partner.apiKey, 'internal-use-licenses', {}).expect(201);
    expect(empty.body.licenseKey.key).not.toBe(key);

    const benefits = await harness.http.get(`/v1/partners/${partner.partnerId}/benefits`).set(bearer(partner.apiKey)).expect(200);
    expect(JSON.stringify(benefits.body)).not.toContain(key);
    expect(await entitlement(partner, 'internal-use-licenses')).toMatchObject({
      used: 2,
      remaining: 8,
      licenseKeys: [
        { id: licenseKey.id, lastChars: licenseKey.lastChars, note: 'Build server', issuedAt: expect.any(String), revokedAt: null },
        expect.objectContaining({ id: empty.body.licenseKey.id, note: null }),
      ],
    });
    const row = await harness.prisma.licenseKey.findUniqueOrThrow({ where: { id: licenseKey.id } });
    expect(row.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    const audit = await harness.prisma.auditEvent.findMany({ where: { entityId: licenseKey.id } });
    expect(audit.map((event) => event.action)).toEqual(['license_key.issued']);
    expect(JSON.stringify(audit)).not.toContain(key);
    const { client } = harness.app.get(TemporalService);
    const history = payloadTexts(await client.workflow.getHandle(licenseKeyWorkflowId(partner.partnerId, licenseKey.id)).fetchHistory());
    expect(history.some((text) => text.includes(row.hash))).toBe(true);
    expect(history.filter((text) => text.includes(key))).toEqual([]);

    expect((await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(key)).expect(401)).body.code).toBe('unauthenticated');
  });
});
