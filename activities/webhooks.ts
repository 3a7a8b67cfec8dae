import { ApplicationFailure, activityInfo, getClient } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit, recordChange } from '../lib/audit';
import type { Prisma, PrismaClient } from '../lib/database';
import { uuidFromKey } from '../lib/ids';
import { signWebhook, SIGNATURE_HEADER, webhookEndpointSecret } from '../lib/webhook-signature';
import { assertDeliverableUrl } from '../lib/webhook-urls';
import type { Clock } from '../lib/clock';
import { findWebhookEndpoint, type WebhookEndpointView } from '../queries/webhooks';
import {
  WEBHOOK_MAX_RETRY_MS,
  WEBHOOK_RETRY_BUDGET_MS,
  type WebhookAttemptOutcome,
  type WebhookDeliveryInput,
  webhookDeliveryWorkflowId,
  type WebhookRegistration,
  type WebhookRemoval,
  type WebhookRetrySchedule,
} from '../workflows/webhooks/definitions';
import type { ActivityDeps } from './deps';

/** An event as a partner's endpoints receive it: the notice it also hears by mail, as data. */
export interface PartnerEvent {
  /** The notice's dedupe key: the same event for every retry of the activity that publishes it. */
  dedupeKey: string;
  kind: string;
  partnerId: string;
  data: Prisma.InputJsonObject;
}

/** How long an endpoint may take to answer before the attempt counts as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** What the delivery log keeps of an error. */
const MAX_ERROR_LENGTH = 500;

/**
 * Records the event for every live endpoint of the partner that takes its kind and starts one
 * delivery workflow each. Rows and workflow ids derive from the event and the endpoint, so a
 * retry adds nothing and starts nothing twice.
 */
export async function publishPartnerEvent(prisma: PrismaClient, clock: Clock, event: PartnerEvent): Promise<void> {
  const endpoints = await prisma.webhookEndpoint.findMany({
    where: {
      partnerId: event.partnerId,
      removedAt: null,
      OR: [{ eventKinds: { isEmpty: true } }, { eventKinds: { has: event.kind } }],
    },
    select: { id: true },
  });
  if (endpoints.length === 0) return;
  const now = clock.now();
  const eventId = uuidFromKey(`webhook-event|${event.dedupeKey}`);
  const payload = { id: eventId, type: event.kind, createdAt: now.toISOString(), partnerId: event.partnerId, data: event.data };
  const deliveries = endpoints.map((endpoint) => {
    const dedupeKey = `${endpoint.id}|${eventId}`;
    return { id: uuidFromKey(`webhook-delivery|${dedupeKey}`), dedupeKey, endpointId: endpoint.id, eventId };
  });
  await prisma.webhookDelivery.createMany({
    data: deliveries.map((delivery) => ({ ...delivery, eventKind: event.kind, payload, status: 'pending', createdAt: now })),
    skipDuplicates: true,
  });
  const unstarted = await prisma.webhookDelivery.findMany({
    where: { id: { in: deliveries.map((delivery) => delivery.id) }, status: 'pending', attempts: 0 },
    select: { id: true },
  });
  for (const { id } of unstarted) await startDelivery({ deliveryId: id });
}

/** One workflow per delivery, ever: a second start of the same id, running or ended, is refused and ignored. */
async function startDelivery(input: WebhookDeliveryInput): Promise<void> {
  try {
    // Named, not imported: the workflow module imports the activities' types, and this would close the loop.
    await getClient().workflow.start('webhookDeliveryWorkflow', {
      workflowId: webhookDeliveryWorkflowId(input.deliveryId),
      taskQueue: activityInfo().taskQueue,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

const truncate = (text: string) => (text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text);

export function createWebhookActivities({ prisma, clock, webhooks }: ActivityDeps) {
  const settings = () => {
    if (!webhooks)
      throw ApplicationFailure.nonRetryable('WEBHOOK_SIGNING_KEY is not configured for this worker', 'webhooks_not_configured');
    return webhooks;
  };

  return {
    async registerWebhookEndpoint(input: WebhookRegistration): Promise<WebhookEndpointView> {
      await prisma.$transaction(async (tx) => {
        const at = clock.now();
        const { count } = await tx.webhookEndpoint.createMany({
          data: [
            {
              id: input.endpointId,
              partnerId: input.partnerId,
              url: input.url,
              eventKinds: input.eventKinds,
              description: input.description,
              createdAt: at,
            },
          ],
          skipDuplicates: true,
        });
        if (count === 0) return;
        await recordAudit(tx, at, [
          {
            dedupeKey: `webhook-endpoint:${input.endpointId}:registered`,
            actor: input.actor,
            entityType: 'partner',
            entityId: input.partnerId,
            action: 'partner.webhook_registered',
            after: { endpointId: input.endpointId, url: input.url, eventKinds: input.eventKinds },
          },
        ]);
      });
      return (await findWebhookEndpoint(prisma, input.partnerId, input.endpointId))!;
    },

    async removeWebhookEndpoint(input: WebhookRemoval): Promise<void> {
      const endpoint = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: input.endpointId }, select: { partnerId: true } });
      const at = clock.now();
      await recordChange(
        prisma,
        at,
        (tx) => tx.webhookEndpoint.updateMany({ where: { id: input.endpointId, removedAt: null }, data: { removedAt: at } }),
        {
          dedupeKey: `webhook-endpoint:${input.endpointId}:removed`,
          actor: input.actor,
          entityType: 'partner',
          entityId: endpoint.partnerId,
          action: 'partner.webhook_removed',
          before: { endpointId: input.endpointId },
        },
      );
    },

    /** The delivery's row (a redelivery's copied from the event it repeats) and how long to keep trying. */
    async openWebhookDelivery(input: WebhookDeliveryInput): Promise<{ retry: WebhookRetrySchedule }> {
      if (input.redelivery) {
        const original = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: input.redelivery.of } });
        await prisma.$transaction(async (tx) => {
          const at = clock.now();
          const { count } = await tx.webhookDelivery.createMany({
            data: [
              {
                id: input.deliveryId,
                dedupeKey: `redelivery|${input.deliveryId}`,
                endpointId: original.endpointId,
                eventId: original.eventId,
                eventKind: original.eventKind,
                payload: original.payload as Prisma.InputJsonValue,
                status: 'pending',
                createdAt: at,
                redeliveryOf: original.id,
              },
            ],
            skipDuplicates: true,
          });
          if (count === 0) return;
          await recordAudit(tx, at, [
            {
              dedupeKey: `webhook-delivery:${input.deliveryId}:redelivered`,
              actor: input.redelivery!.actor,
              entityType: 'webhook-endpoint',
              entityId: original.endpointId,
              action: 'webhook.redelivery_requested',
              after: { deliveryId: input.deliveryId, redeliveryOf: original.id, eventId: original.eventId },
            },
          ]);
        });
      }
      return {
        retry: { firstRetryMs: settings().firstRetrySeconds * 1000, maxRetryMs: WEBHOOK_MAX_RETRY_MS, budgetMs: WEBHOOK_RETRY_BUDGET_MS },
      };
    },

    /**
     * Posts the event once, signed with the endpoint's secret and the time of this attempt, and
     * records the answer. An attempt the log already shows finished answers what it recorded, so a
     * retried activity does not post a delivered event again.
     */
    async attemptWebhookDelivery({ deliveryId, attempt }: { deliveryId: string; attempt: number }): Promise<WebhookAttemptOutcome> {
      const { signingKey, allowLoopbackHttp } = settings();
      const delivery = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { endpoint: true } });
      if (delivery.status === 'delivered') return 'delivered';
      if (delivery.endpoint.removedAt) return 'endpoint-removed';
      const body = JSON.stringify(delivery.payload);
      const at = clock.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        await assertDeliverableUrl(delivery.endpoint.url, { allowLoopbackHttp });
        const response = await fetch(delivery.endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'partner-program-webhooks/1',
            [SIGNATURE_HEADER]: signWebhook(webhookEndpointSecret(signingKey, delivery.endpointId), body, at),
            'x-webhook-id': delivery.eventId,
            'x-webhook-delivery': delivery.id,
            'x-webhook-attempt': String(attempt),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode > 299) error = `answered ${statusCode}`;
      } catch (failure) {
        const cause = (failure as Error & { cause?: Error }).cause;
        error = truncate(cause?.message ?? (failure as Error).message);
      }
      const delivered = error === null;
      await prisma.webhookDelivery.updateMany({
        where: { id: deliveryId, status: 'pending' },
        data: {
          attempts: attempt,
          lastStatusCode: statusCode,
          lastError: error,
          lastAttemptAt: at,
          ...(delivered && { status: 'delivered', completedAt: at }),
        },
      });
      return delivered ? 'delivered' : 'refused';
    },

    async failWebhookDelivery({ deliveryId, endpointRemoved }: { deliveryId: string; endpointRemoved: boolean }): Promise<void> {
      await prisma.webhookDelivery.updateMany({
        where: { id: deliveryId, status: 'pending' },
        data: { status: 'failed', completedAt: clock.now(), ...(endpointRemoved && { lastError: 'the endpoint was removed' }) },
      });
    },
  };
}
