export const webhookRegistrationWorkflowId = (endpointId: string): string => `webhook-endpoint-${endpointId}`;
export const webhookRemovalWorkflowId = (endpointId: string): string => `webhook-endpoint-${endpointId}-removal`;
export const webhookDeliveryWorkflowId = (deliveryId: string): string => `webhook-delivery-${deliveryId}`;

export interface WebhookRegistration {
  endpointId: string;
  partnerId: string;
  url: string;
  /** Notice kinds; empty for every kind. */
  eventKinds: string[];
  description: string;
  actor: string;
}

export interface WebhookRemoval {
  endpointId: string;
  actor: string;
}

export interface WebhookDeliveryInput {
  deliveryId: string;
  /** A manual redelivery: its row is copied from this delivery's event when the workflow opens it. */
  redelivery?: { of: string; actor: string };
}

/** How long a delivery keeps trying: waits that double from the first, capped, within a total budget. */
export interface WebhookRetrySchedule {
  firstRetryMs: number;
  maxRetryMs: number;
  budgetMs: number;
}

export const WEBHOOK_MAX_RETRY_MS = 6 * 60 * 60 * 1000;
export const WEBHOOK_RETRY_BUDGET_MS = 3 * 24 * 60 * 60 * 1000;

export type WebhookAttemptOutcome = 'delivered' | 'refused' | 'endpoint-removed';

export interface WebhookDeliveryResult {
  status: 'delivered' | 'failed';
  attempts: number;
}
