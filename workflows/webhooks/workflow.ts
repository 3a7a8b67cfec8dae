import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import type { WebhookDeliveryInput, WebhookDeliveryResult, WebhookRegistration, WebhookRemoval } from './definitions';
import type { WebhookEndpointView } from '../../queries/webhooks';

const { registerWebhookEndpoint, removeWebhookEndpoint, openWebhookDelivery, attemptWebhookDelivery, failWebhookDelivery } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

export async function webhookRegistrationWorkflow(input: WebhookRegistration): Promise<WebhookEndpointView> {
  return registerWebhookEndpoint(input);
}

export async function webhookRemovalWorkflow(input: WebhookRemoval): Promise<void> {
  await removeWebhookEndpoint(input);
}

/**
 * Posts one event to one endpoint until it answers 2xx. Each refusal waits on a timer, twice as
 * long as the last, and the delivery fails once the next wait would pass the budget (3 days), or
 * at once when the endpoint was removed. The waits are timers, not activity retries, so the
 * delivery log records every attempt and a time-skipping test runs the whole budget.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  const { retry } = await openWebhookDelivery(input);
  const deadline = Date.now() + retry.budgetMs;
  let wait = retry.firstRetryMs;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptWebhookDelivery({ deliveryId: input.deliveryId, attempt });
    if (outcome === 'delivered') return { status: 'delivered', attempts: attempt };
    if (outcome === 'endpoint-removed' || Date.now() + wait > deadline) {
      await failWebhookDelivery({ deliveryId: input.deliveryId, endpointRemoved: outcome === 'endpoint-removed' });
      return { status: 'failed', attempts: attempt };
    }
    await sleep(wait);
    wait = Math.min(wait * 2, retry.maxRetryMs);
  }
}
