import { TemporalService } from '../../apps/api/src/temporal/temporal.module';
import { locationChangeWorkflowId } from '../../workflows/locations/definitions';
import { bearer, enrollActivePartner, useApiHarness } from '../support/api';
import { maybeRecordHistory } from '../support/histories';

const OFFICE = { addressLine1: '2 Deansgate', city: 'Manchester', postalCode: 'M3 2BB', country: 'GB' };

describe('offices through the API: one country, one primary, nothing lost', () => {
  const harness = useApiHarness();

  it('adds offices in the primary office’s country at no charge, moves the primary, and refuses to remove it', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const base = `/v1/partners/${partner.partnerId}/locations`;
    const [primary] = (await harness.http.get(base).set(bearer(partner.apiKey)).expect(200)).body;
    expect(primary).toMatchObject({ isPrimary: true, country: 'GB' });

    const abroad = await harness.http
      .post(base)
      .set(bearer(partner.apiKey))
      .send({ ...OFFICE, country: 'FR' })
      .expect(422);
    expect(abroad.body).toMatchObject({ code: 'country_mismatch', fields: [{ field: 'country', code: 'country_mismatch' }] });
    await harness.http
      .post(base)
      .set(bearer(partner.apiKey))
      .send({ ...OFFICE, country: 'GBR' })
      .expect(400);

    const added = await harness.http.post(base).set(bearer(partner.apiKey)).set('Idempotency-Key', 'manchester').send(OFFICE).expect(201);
    expect(added.body).toMatchObject({ ...OFFICE, isPrimary: false });
    const repeated = await harness.http
      .post(base)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', 'manchester')
      .send(OFFICE)
      .expect(201);
    expect(repeated.body.id).toBe(added.body.id);
    const reserved = await harness.prisma.idempotencyRecord.findUniqueOrThrow({
      where: { scope_key: { scope: `partner:${partner.partnerId}|POST /v1/partners/:id/locations`, key: 'manchester' } },
    });
    const addition = locationChangeWorkflowId(partner.partnerId, (reserved.response as { requestId: string }).requestId);
    await maybeRecordHistory(harness.app.get(TemporalService).client.workflow.getHandle(addition), 'location-added');
    expect(await harness.prisma.invoice.count({ where: { partnerId: partner.partnerId } })).toBe(0);

    const renamed = await harness.http
      .patch(`${base}/${added.body.id}`)
      .set(bearer(partner.apiKey))
      .send({ addressLine1: '3 Deansgate' })
      .expect(200);
    expect(renamed.body).toMatchObject({ addressLine1: '3 Deansgate', city: 'Manchester' });
    await harness.http.patch(`${base}/${added.body.id}`).set(bearer(partner.apiKey)).send({ country: 'DE' }).expect(422);

    const refused = await harness.http.delete(`${base}/${primary.id}`).set(bearer(partner.apiKey)).expect(409);
    expect(refused.body.code).toBe('primary_office');
    const moved = await harness.http.post(`${base}/${added.body.id}/make-primary`).set(bearer(partner.apiKey)).expect(200);
    expect(moved.body.map((office: { id: string; isPrimary: boolean }) => [office.id, office.isPrimary])).toEqual([
      [added.body.id, true],
      [primary.id, false],
    ]);
    const remaining = await harness.http.delete(`${base}/${primary.id}`).set(bearer(partner.apiKey)).expect(200);
    expect(remaining.body.map((office: { id: string }) => office.id)).toEqual([added.body.id]);

    // Removed offices stay on record; the audit trail has every change.
    expect(await harness.prisma.location.findUniqueOrThrow({ where: { id: primary.id } })).toMatchObject({ removedAt: expect.any(Date) });
    const audit = await harness.prisma.auditEvent.findMany({
      where: { entityType: 'location', entityId: { in: [primary.id, added.body.id] } },
    });
    expect(audit.map((event) => event.action).sort()).toEqual([
      'location.added',
      'location.made_primary',
      'location.removed',
      'location.updated',
    ]);
  });

  it('keeps other partners and reviewers out of an organization’s offices', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const other = await enrollActivePartner(harness, harness.reviewerKey);
    const base = `/v1/partners/${partner.partnerId}/locations`;
    await harness.http.get(base).set(bearer(other.apiKey)).expect(404);
    await harness.http.post(base).set(bearer(other.apiKey)).send(OFFICE).expect(404);
    await harness.http.post(base).set(bearer(harness.reviewerKey)).send(OFFICE).expect(403);
    await harness.http.get(base).set(bearer(harness.reviewerKey)).expect(200);
    const [primary] = (await harness.http.get(`/v1/partners/${other.partnerId}/locations`).set(bearer(other.apiKey)).expect(200)).body;
    await harness.http.delete(`${base}/${primary.id}`).set(bearer(partner.apiKey)).expect(404);
  });
});
