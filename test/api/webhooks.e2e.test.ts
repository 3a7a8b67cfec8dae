import { randomUUID } from 'node:crypto';
import { verifyWebhookSignature } from '../../lib/webhook-signature';
import { bearer, enrollAndAwaitReview, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

describe('outgoing webhooks: registered by the partner, signed, retried, logged and redelivered', () => {
  const harness = useApiHarness();
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // The endpoint fails twice, then takes the event.
    receiver = await startWebhookReceiver([500, 503]);
  });
  afterAll(() => receiver.close());

  const register = (partnerId: string, key: string, body: object) =>
    harness.http.post(`/v1/partners/${partnerId}/webhooks`).set(bearer(key)).send(body);

  it('refuses endpoints outside the policy with the field and the reason, and kinds a partner never receives', async () => {
    const partner = await enrollAndAwaitReview(harness);
    // The test stack allows plain http to 127.0.0.1 only: the rest of loopback stays refused.
    for (const url of ['http://hooks.example.com/x', 'https://10.1.2.3/x', 'https://192.168.0.10/x', 'https://127.0.0.2/x']) {
      const refused = await register(partner.partnerId, partner.apiKey, { url, eventKinds: [] }).expect(422);
      expect(refused.body).toMatchObject({ code: 'webhook_url_not_allowed', fields: [{ field: 'url', code: 'webhook_url_not_allowed' }] });
    }
    const reviewerKind = await register(partner.partnerId, partner.apiKey, { url: receiver.url, eventKinds: ['review-task'] }).expect(400);
    expect(reviewerKind.body.fields.map((field: { field: string }) => field.field)).toEqual(['eventKinds']);
    const other = await enrollAndAwaitReview(harness);
    await register(partner.partnerId, other.apiKey, { url: receiver.url, eventKinds: [] }).expect(404);
    expect(await harness.prisma.webhookEndpoint.count({ where: { partnerId: partner.partnerId } })).toBe(0);
  });

  it('posts the approval, signed, to an endpoint that fails twice, once accepted; the log shows three attempts; a redelivery posts it again', async () => {
    const partner = await enrollAndAwaitReview(harness);
    const idempotencyKey = randomUUID();
    const registered = await register(partner.partnerId, partner.apiKey, {
      url: receiver.url,
      eventKinds: ['enrollment-approved'],
      description: 'CRM sync',
    })
      .set('Idempotency-Key', idempotencyKey)
      .expect(201);
    expect(registered.body).toMatchObject({
      partnerId: partner.partnerId,
      url: receiver.url,
      status: 'active',
      eventKinds: ['enrollment-approved'],
    });
    const secret: string = registered.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const repeated = await register(partner.partnerId, partner.apiKey, {
      url: receiver.url,
      eventKinds: ['enrollment-approved'],
      description: 'CRM sync',
    })
      .set('Idempotency-Key', idempotencyKey)
      .expect(201);
    expect(repeated.body).toEqual(registered.body);
    const listed = await harness.http.get(`/v1/partners/${partner.partnerId}/webhooks`).set(bearer(partner.apiKey)).expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await harness.http
      .post(`/v1/reviews/${partner.reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve' })
      .expect(200);
    const webhookId: string = registered.body.id;
    const deliveriesPath = `/v1/partners/${partner.partnerId}/webhooks/${webhookId}/deliveries`;
    const [delivery] = await eventually(async () => {
      const log = await harness.http.get(deliveriesPath).set(bearer(partner.apiKey)).expect(200);
      return log.body.items[0]?.status === 'delivered' && log.body.items;
    }, 30_000);
    expect(delivery).toMatchObject({ eventKind: 'enrollment-approved', attempts: 3, lastStatusCode: 200, lastError: null });

    const posts = receiver.received.filter((post) => post.headers['x-webhook-id'] === delivery.eventId);
    expect(posts.map((post) => [post.headers['x-webhook-attempt'], post.status])).toEqual([
      ['1', 500],
      ['2', 503],
      ['3', 200],
    ]);
    const accepted = posts.filter((post) => post.status === 200);
    expect(accepted).toHaveLength(1);
    const [{ headers, body }] = accepted;
    expect(verifyWebhookSignature(secret, String(headers['x-signature']), body, new Date())).toBe(true);
    expect(verifyWebhookSignature(`${secret}x`, String(headers['x-signature']), body, new Date())).toBe(false);
    expect(JSON.parse(body)).toMatchObject({
      id: delivery.eventId,
      type: 'enrollment-approved',
      partnerId: partner.partnerId,
      data: { subject: expect.any(String), link: expect.stringContaining(partner.partnerId) },
    });
    expect(body).not.toContain(secret);

    const redelivered = await harness.http
      .post(`${deliveriesPath}/${delivery.id}/redeliver`)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', randomUUID())
      .expect(202);
    expect(redelivered.body).toMatchObject({ redeliveryOf: delivery.id, eventId: delivery.eventId, status: 'pending' });
    const again = await eventually(async () => {
      const read = await harness.http.get(`${deliveriesPath}/${redelivered.body.id}`).set(bearer(partner.apiKey));
      return read.status === 200 && read.body.status === 'delivered' && read.body;
    });
    expect(again).toMatchObject({ attempts: 1, redeliveryOf: delivery.id, payload: JSON.parse(body) });
    const reposted = receiver.received.filter((post) => post.headers['x-webhook-delivery'] === redelivered.body.id);
    expect(reposted.map((post) => post.body)).toEqual([body]);

    await harness.http.delete(`/v1/partners/${partner.partnerId}/webhooks/${webhookId}`).set(bearer(partner.apiKey)).expect(204);
    const removed = await harness.http
      .get(`/v1/partners/${partner.partnerId}/webhooks/${webhookId}`)
      .set(bearer(partner.apiKey))
      .expect(200);
    expect(removed.body.status).toBe('removed');
    const afterRemoval = await harness.http
      .post(`${deliveriesPath}/${delivery.id}/redeliver`)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', randomUUID())
      .expect(409);
    expect(afterRemoval.body.code).toBe('webhook_endpoint_removed');
  });
});
