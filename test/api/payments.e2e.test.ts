import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { signWebhook } from '../../lib/webhook-signature';
import { TemporalService } from '../../apps/api/src/temporal/temporal.module';
import { paymentEventWorkflowId } from '../../workflows/payments/definitions';
import { bearer, enrollAndAwaitReview, payInvoiceFor, useApiHarness } from '../support/api';
import { eventually, sampleApplication } from '../support/fixtures';
import { createGoldByFeeDatabase } from '../support/isolated-database';

const SECRET = process.env.PAYMENT_WEBHOOK_SECRET!;

describe('fees through the API: invoices, processor webhooks and bank transfers', () => {
  const harness = useApiHarness({
    prepare: async () => {
      const databaseUrl = await createGoldByFeeDatabase('test-gold-by-fee');
      return { DATABASE_URL: databaseUrl };
    },
  });

  async function enrollAtGold() {
    const enrolled = await enrollAndAwaitReview(harness, sampleApplication('gold', 'GB'));
    await harness.http
      .post(`/v1/reviews/${enrolled.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    const invoice = await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${enrolled.partnerId}/invoices`).set(bearer(enrolled.apiKey)).expect(200);
      return response.body.items[0];
    });
    return { ...enrolled, invoice };
  }

  const signWebhookBody = (secret: string, body: string, at = new Date()) => signWebhook(secret, body, at);
  const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

  function deliver(body: string, signature = signWebhookBody(SECRET, body)) {
    return harness.http.post('/v1/payments/webhook').set('content-type', 'application/json').set('x-signature', signature).send(body);
  }

  it('enrolls at Gold, pays by webhook (delivered five times), and reads active / gold with a paid invoice', async () => {
    const partner = await enrollAtGold();
    expect(partner.invoice).toMatchObject({
      number: expect.stringMatching(/^INV-\d{4}-\d{6}$/),
      purpose: 'enrollment',
      status: 'open',
      currency: 'GBP',
      subtotalMinor: 150000,
      taxRateBps: 2000,
      taxMinor: 30000,
      totalMinor: 180000,
      balanceMinor: 180000,
      lines: [{ description: 'Gold Certified Partner annual fee (GB)', amountMinor: 150000 }],
    });
    const pending = await harness.http.get(`/v1/enrollments/${partner.enrollmentId}`).set(bearer(partner.apiKey)).expect(200);
    expect(pending.body).toMatchObject({ status: 'awaiting_payment', payment: { status: 'awaiting', invoiceId: partner.invoice.id } });

    const event = JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: 'payment.succeeded',
      data: { paymentId: `pay_${randomUUID()}`, invoiceId: partner.invoice.id, amountMinor: 180000, currency: 'GBP', reference: 'card' },
    });
    const receipts = [];
    for (let delivery = 0; delivery < 5; delivery++) receipts.push((await deliver(event).expect(200)).body);
    expect(receipts.map((receipt) => receipt.duplicate)).toEqual([false, true, true, true, true]);

    const active = await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200);
      return response.body.status === 'active' && response.body;
    });
    expect(active.level).toBe('gold');
    const invoice = await harness.http.get(`/v1/invoices/${partner.invoice.id}`).set(bearer(partner.apiKey)).expect(200);
    expect(invoice.body).toMatchObject({ status: 'paid', settlement: 'paid', paidMinor: 180000, balanceMinor: 0 });
    expect(invoice.body.payments).toEqual([expect.objectContaining({ provider: 'processor', status: 'applied', amountMinor: 180000 })]);
    expect(await harness.prisma.payment.count({ where: { invoiceId: partner.invoice.id } })).toBe(1);
    const enrollment = await harness.http.get(`/v1/enrollments/${partner.enrollmentId}`).set(bearer(partner.apiKey)).expect(200);
    expect(enrollment.body).toMatchObject({ status: 'active', payment: { status: 'paid' } });
    expect(enrollment.body.steps.map((step: { name: string; status: string }) => [step.name, step.status])).toEqual([
      ['validate', 'completed'],
      ['record', 'completed'],
      ['review', 'approved'],
      ['requirements', 'completed'],
      ['payment', 'completed'],
      ['activation', 'completed'],
    ]);

    // An optional benefit is invoiced on its own and on record once paid; an included one is not for sale.
    const notForSale = await harness.http
      .post(`/v1/partners/${partner.partnerId}/benefits/account-engagement/purchases`)
      .set(bearer(partner.apiKey))
      .expect(422);
    expect(notForSale.body.code).toBe('benefit_not_offered');
    const purchase = await harness.http
      .post(`/v1/partners/${partner.partnerId}/benefits/msdn-subscription/purchases`)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', 'msdn-2026')
      .expect(202);
    const benefitInvoice = await payInvoiceFor(harness, purchase.body.purchaseId);
    expect(benefitInvoice.number).toMatch(/^INV-/);
    await eventually(() => harness.prisma.auditEvent.findFirst({ where: { entityId: partner.partnerId, action: 'benefit.purchased' } }));
    const invoices = await harness.http.get(`/v1/partners/${partner.partnerId}/invoices`).set(bearer(partner.apiKey)).expect(200);
    expect(invoices.body.items.map((invoice: { purpose: string; status: string }) => [invoice.purpose, invoice.status])).toEqual([
      ['benefit', 'paid'],
      ['enrollment', 'paid'],
    ]);

    // Leaving within the 30-day refund window returns the fee.
    await harness.http.post(`/v1/partners/${partner.partnerId}/withdraw`).set(bearer(partner.apiKey)).send({ reason: ' ' }).expect(400);
    const withdrawal = await harness.http
      .post(`/v1/partners/${partner.partnerId}/withdraw`)
      .set(bearer(partner.apiKey))
      .send({ reason: 'Leaving the channel business' })
      .expect(202);
    expect(withdrawal.body).toEqual({ workflowId: `withdrawal-${partner.partnerId}`, status: 'withdrawing' });
    const refunded = await eventually(async () => {
      const response = await harness.http.get(`/v1/invoices/${partner.invoice.id}`).set(bearer(harness.adminKey)).expect(200);
      return response.body.status === 'refunded' && response.body;
    });
    expect(refunded).toMatchObject({ paidMinor: 0, payments: [expect.objectContaining({ status: 'refunded' })] });
    expect(harness.worker.payments.refunds).toContainEqual(expect.objectContaining({ amountMinor: 180000, currency: 'GBP' }));
    expect(await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } })).toMatchObject({ status: 'withdrawn' });
  });

  it('answers 401 to a bad or missing signature and records nothing; 400 to a signed but malformed event', async () => {
    const partner = await enrollAtGold();
    const eventId = `evt_${randomUUID()}`;
    const body = JSON.stringify({
      id: eventId,
      type: 'payment.succeeded',
      data: { paymentId: `pay_${randomUUID()}`, invoiceId: partner.invoice.id, amountMinor: 180000, currency: 'GBP' },
    });
    const forged = await deliver(body, signWebhookBody('not-the-shared-secret-0123456789abcdef', body)).expect(401);
    expect(forged.body.code).toBe('invalid_signature');
    await deliver(body, '').expect(401);
    // As long as a real signature, but not ASCII: compared as bytes, it is simply wrong.
    const nonAscii = await deliver(body, signWebhookBody(SECRET, body).replace(/v1=.*$/, `v1=${'é'.repeat(64)}`)).expect(401);
    expect(nonAscii.body.code).toBe('invalid_signature');
    await deliver(body.replace('180000', '1'), signWebhookBody(SECRET, body)).expect(401);
    // A captured delivery replayed later: the signature is right but its time is past the tolerance.
    await deliver(body, signWebhookBody(SECRET, body, secondsAgo(301))).expect(401);
    await deliver(
      body,
      signWebhookBody(SECRET, body).replace(/^t=\d+/, signWebhookBody(SECRET, body, secondsAgo(301)).split(',')[0]),
    ).expect(401);
    const malformed = JSON.stringify({ id: 'evt bad', type: 'payment.lost', data: { amountMinor: 1.5 } });
    const rejected = await deliver(malformed).expect(400);
    expect(rejected.body.fields.map((field: { field: string }) => field.field)).toEqual(
      expect.arrayContaining(['id', 'type', 'data.paymentId', 'data.amountMinor', 'data.currency']),
    );
    // Nothing can record a payment later: no workflow was started for the event.
    const eventWorkflow = harness.app.get(TemporalService).client.workflow.getHandle(paymentEventWorkflowId('processor', eventId));
    await expect(eventWorkflow.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await harness.prisma.payment.count({ where: { invoiceId: partner.invoice.id } })).toBe(0);
  });

  it('records bank transfers for admins only, once per Idempotency-Key, holding one that does not match', async () => {
    const partner = await enrollAtGold();
    const other = await enrollAtGold();
    const path = `/v1/invoices/${partner.invoice.id}/payments`;
    const transfer = { amountMinor: 100000, currency: 'GBP', reference: 'BACS 0042' };
    await harness.http.post(path).set(bearer(partner.apiKey)).set('Idempotency-Key', 'k1').send(transfer).expect(403);
    await harness.http.post(path).set(bearer(harness.adminKey)).send(transfer).expect(400);
    await harness.http
      .post(path)
      .set(bearer(harness.adminKey))
      .set('Idempotency-Key', 'k1')
      .send({ ...transfer, amountMinor: 12.5 })
      .expect(400);

    const first = await harness.http.post(path).set(bearer(harness.adminKey)).set('Idempotency-Key', 'k1').send(transfer).expect(201);
    expect(first.body).toMatchObject({
      provider: 'bank_transfer',
      status: 'held',
      statusReason: 'Paid 1,000.00 GBP; the balance due is 1,800.00 GBP',
    });
    const again = await harness.http.post(path).set(bearer(harness.adminKey)).set('Idempotency-Key', 'k1').send(transfer).expect(201);
    expect(again.body.id).toBe(first.body.id);
    // Another amount under the same key is a mistake, not a repeat.
    const otherAmount = await harness.http
      .post(path)
      .set(bearer(harness.adminKey))
      .set('Idempotency-Key', 'k1')
      .send({ ...transfer, amountMinor: 50000 })
      .expect(422);
    expect(otherAmount.body.code).toBe('idempotency_key_reused');
    expect(await harness.prisma.payment.count({ where: { invoiceId: partner.invoice.id } })).toBe(1);
    const review = await eventually(() => harness.prisma.reviewTask.findFirst({ where: { subjectId: first.body.id, kind: 'payment' } }));
    expect(review.summary).toContain('Held payment of 1,000.00 GBP');

    await harness.http.get(`/v1/invoices/${partner.invoice.id}`).set(bearer(other.apiKey)).expect(404);
    await harness.http.get(`/v1/partners/${partner.partnerId}/invoices`).set(bearer(other.apiKey)).expect(404);
    await harness.http.get(`/v1/invoices/${partner.invoice.id}`).set(bearer(harness.reviewerKey)).expect(200);
  });
});
