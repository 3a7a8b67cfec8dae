import { randomUUID } from 'node:crypto';
import { readCatalogDocuments } from '../../prisma/seed';
import type { PrismaClient } from '../../lib/database';
import { freePort } from '../../scripts/infra/ports';
import { WEBHOOK_RETRY_BUDGET_MS, webhookDeliveryWorkflowId, webhookRegistrationWorkflowId } from '../../workflows/webhooks/definitions';
import { webhookDeliveryWorkflow, webhookRegistrationWorkflow, webhookRemovalWorkflow } from '../../workflows/webhooks/workflow';
import { createActivePartner } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { createIsolatedDatabase } from '../support/isolated-database';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/temporal';
import { startWebhookReceiver } from '../support/webhook-receiver';

const catalog = readCatalogDocuments()[0];

/** Delivery workflows on the time-skipping server: three days of retries run in seconds. */
describe('a webhook delivery: retried with back-off for up to three days, then failed', () => {
  let rig: TimeSkippingRig;
  let prisma: PrismaClient;

  beforeAll(async () => {
    rig = await startTimeSkippingRig(await createIsolatedDatabase());
    ({ prisma } = rig);
  });

  afterAll(() => rig?.stop());

  async function registerEndpoint(url: string) {
    const partnerId = await createActivePartner(prisma, catalog.id);
    const endpointId = randomUUID();
    const handle = await rig.realTime.workflow.start(webhookRegistrationWorkflow, {
      workflowId: webhookRegistrationWorkflowId(endpointId),
      taskQueue: rig.worker.taskQueue,
      args: [{ endpointId, partnerId, url, eventKinds: [], description: '', actor: 'partner-key' }],
    });
    return { partnerId, endpoint: await handle.result(), handle };
  }

  /** An event recorded for the endpoint, as the notice activity records it. */
  async function pendingDelivery(endpointId: string, partnerId: string) {
    const id = randomUUID();
    const eventId = randomUUID();
    await prisma.webhookDelivery.create({
      data: {
        id,
        dedupeKey: `${endpointId}|${eventId}`,
        endpointId,
        eventId,
        eventKind: 'invoice-paid',
        payload: { id: eventId, type: 'invoice-paid', partnerId, data: { subject: 'Invoice paid' } },
        status: 'pending',
        createdAt: new Date(),
      },
    });
    return id;
  }

  const deliver = (deliveryId: string) =>
    rig.env.client.workflow.start(webhookDeliveryWorkflow, {
      workflowId: webhookDeliveryWorkflowId(deliveryId),
      taskQueue: rig.worker.taskQueue,
      args: [{ deliveryId }],
    });

  it('ends failed after the budget when the endpoint never answers, every attempt logged', async () => {
    // Nothing listens on this port: every attempt is refused.
    const { partnerId, endpoint, handle: registration } = await registerEndpoint(`http://127.0.0.1:${await freePort()}/hook`);
    const deliveryId = await pendingDelivery(endpoint.id, partnerId);
    const handle = await deliver(deliveryId);
    const result = await handle.result();
    const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(result.status).toBe('failed');
    // Waits from one second doubling to six hours, within three days: dozens of attempts, not hundreds.
    expect(result.attempts).toBeGreaterThan(20);
    expect(result.attempts).toBeLessThan(40);
    expect(row).toMatchObject({ status: 'failed', attempts: result.attempts, lastStatusCode: null });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    const { startTime, closeTime } = await handle.describe();
    const ranMs = closeTime!.getTime() - startTime.getTime();
    expect(ranMs).toBeLessThanOrEqual(WEBHOOK_RETRY_BUDGET_MS);
    expect(ranMs).toBeGreaterThan(WEBHOOK_RETRY_BUDGET_MS - 6 * 60 * 60 * 1000);
    await maybeRecordHistory(registration, 'webhook-registered');
    await maybeRecordHistory(handle, 'webhook-delivery-failed');
  });

  it('delivers at the first attempt an endpoint accepts, and stops at once for a removed endpoint', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const { partnerId, endpoint } = await registerEndpoint(receiver.url);
      const delivered = await deliver(await pendingDelivery(endpoint.id, partnerId));
      expect(await delivered.result()).toEqual({ status: 'delivered', attempts: 1 });
      expect(receiver.received).toHaveLength(1);
      await maybeRecordHistory(delivered, 'webhook-delivered');

      await rig.realTime.workflow.execute(webhookRemovalWorkflow, {
        workflowId: `webhook-endpoint-${endpoint.id}-removal`,
        taskQueue: rig.worker.taskQueue,
        args: [{ endpointId: endpoint.id, actor: 'partner-key' }],
      });
      const afterRemoval = await pendingDelivery(endpoint.id, partnerId);
      expect(await (await deliver(afterRemoval)).result()).toEqual({ status: 'failed', attempts: 1 });
      expect(receiver.received).toHaveLength(1);
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: afterRemoval } })).toMatchObject({
        status: 'failed',
        attempts: 0,
        lastError: 'the endpoint was removed',
      });
    } finally {
      await receiver.close();
    }
  });
});
