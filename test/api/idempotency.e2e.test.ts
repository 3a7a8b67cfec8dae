import { bearer, createKey, enrollActivePartner, useApiHarness } from '../support/api';

const OFFICE = { addressLine1: '1 Broad Street', city: 'Birmingham', postalCode: 'B1 2HF', country: 'GB' };

describe('Idempotency-Key: the same request answers the first result, another request is refused, each caller has its own keys', () => {
  const harness = useApiHarness();

  it('answers a repeat with the first office and refuses the key with another office', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const base = `/v1/partners/${partner.partnerId}/locations`;
    const added = await harness.http.post(base).set(bearer(partner.apiKey)).set('Idempotency-Key', 'office-1').send(OFFICE).expect(201);
    const repeated = await harness.http.post(base).set(bearer(partner.apiKey)).set('Idempotency-Key', 'office-1').send(OFFICE).expect(201);
    expect(repeated.body).toEqual(added.body);

    const other = await harness.http
      .post(base)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', 'office-1')
      .send({ ...OFFICE, city: 'Leeds' })
      .expect(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const offices = await harness.http.get(base).set(bearer(partner.apiKey)).expect(200);
    expect(offices.body.filter((office: { city: string }) => office.city === 'Birmingham')).toHaveLength(1);
    expect(offices.body.some((office: { city: string }) => office.city === 'Leeds')).toBe(false);
  });

  it('leaves the key free when the request was refused as invalid', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const base = `/v1/partners/${partner.partnerId}/locations`;
    await harness.http
      .post(base)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', 'office-2')
      .send({ ...OFFICE, postalCode: '' })
      .expect(400);
    await harness.http.post(base).set(bearer(partner.apiKey)).set('Idempotency-Key', 'office-2').send(OFFICE).expect(201);
  });

  it('keeps each caller’s keys apart: two partners, and an admin acting for one of them', async () => {
    const [first, second] = await Promise.all([
      enrollActivePartner(harness, harness.reviewerKey),
      enrollActivePartner(harness, harness.reviewerKey),
    ]);
    const officeOf = async (partnerId: string, apiKey: string) =>
      (
        await harness.http
          .post(`/v1/partners/${partnerId}/locations`)
          .set(bearer(apiKey))
          .set('Idempotency-Key', 'shared-key')
          .send(OFFICE)
          .expect(201)
      ).body.id as string;
    const firstOffice = await officeOf(first.partnerId, first.apiKey);
    const secondOffice = await officeOf(second.partnerId, second.apiKey);
    const adminKey = await createKey(harness, 'admin');
    const adminOffice = await officeOf(first.partnerId, adminKey);
    expect(new Set([firstOffice, secondOffice, adminOffice]).size).toBe(3);
  });

  it('requires a key where money is recorded', async () => {
    const missing = await harness.http
      .post('/v1/invoices/00000000-0000-4000-8000-000000000000/payments')
      .set(bearer(harness.adminKey))
      .send({ amountMinor: 100, currency: 'GBP', reference: 'x' })
      .expect(400);
    expect(missing.body.fields).toEqual([expect.objectContaining({ field: 'Idempotency-Key', code: 'required' })]);
  });
});
