import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ApiConfig } from '#lib/config';
import { webhookEndpointSecret } from '#lib/webhook-signature';
import { webhookUrlProblem } from '#lib/webhook-urls';
import {
  countActiveWebhookEndpoints,
  findWebhookDelivery,
  findWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '#queries/webhooks';
import { webhookDeliveryWorkflowId, webhookRegistrationWorkflowId, webhookRemovalWorkflowId } from '#workflows/webhooks/definitions';
import type { webhookDeliveryWorkflow, webhookRegistrationWorkflow, webhookRemovalWorkflow } from '#workflows/webhooks/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import type { IdempotentRequest } from '../common/idempotent';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { RegisterWebhookDto } from './webhooks.dto';

/** Live endpoints a partner may have at once: each event is posted to every one of them. */
export const MAX_WEBHOOK_ENDPOINTS = 10;

export type RegisteredWebhook = WebhookEndpointView & { secret: string };

export interface AcceptedRedelivery {
  id: string;
  redeliveryOf: string;
  eventId: string;
  status: 'pending';
}

/** A partner's webhook endpoints and their delivery logs; writes go through their workflows. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly access: PartnerAccess,
    private readonly temporal: TemporalService,
    private readonly config: ConfigService<ApiConfig, true>,
  ) {}

  /** The endpoint, with its secret: derived from the signing key, so a repeated request shows the same one. */
  async register(
    principal: Principal,
    partnerId: string,
    body: RegisterWebhookDto,
    idempotency: IdempotentRequest,
  ): Promise<RegisteredWebhook> {
    await this.access.requireOpenPartner(principal, partnerId, 'register webhooks');
    const { signingKey, allowLoopbackHttp } = this.config.get('webhooks', { infer: true });
    const problem = webhookUrlProblem(body.url, { allowLoopbackHttp });
    if (problem) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'webhook_url_not_allowed', `The endpoint URL ${problem}`, [
        { field: 'url', reason: problem, code: 'webhook_url_not_allowed' },
      ]);
    }
    if ((await countActiveWebhookEndpoints(this.prisma, partnerId)) >= MAX_WEBHOOK_ENDPOINTS) {
      throw conflict('too_many_webhook_endpoints', `A partner may have ${MAX_WEBHOOK_ENDPOINTS} endpoints; remove one first`);
    }
    const endpointId = await idempotency.requestId();
    const endpoint = await this.temporal.execute<typeof webhookRegistrationWorkflow>(
      'webhookRegistrationWorkflow',
      webhookRegistrationWorkflowId(endpointId),
      [
        {
          endpointId,
          partnerId,
          url: body.url,
          eventKinds: [...body.eventKinds].sort(),
          description: body.description ?? '',
          actor: principal.keyId,
        },
      ],
    );
    return { ...endpoint, secret: webhookEndpointSecret(signingKey, endpointId) };
  }

  async list(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<WebhookEndpointView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listWebhookEndpoints(this.prisma, partnerId, pageRequest(query)));
  }

  async get(principal: Principal, partnerId: string, endpointId: string): Promise<WebhookEndpointView> {
    await this.access.requirePartner(principal, partnerId);
    return this.endpoint(partnerId, endpointId);
  }

  /** Nothing more is delivered to it; removing a removed endpoint changes nothing. */
  async remove(principal: Principal, partnerId: string, endpointId: string): Promise<void> {
    await this.access.requirePartner(principal, partnerId);
    const endpoint = await this.endpoint(partnerId, endpointId);
    if (endpoint.status === 'removed') return;
    await this.temporal.execute<typeof webhookRemovalWorkflow>('webhookRemovalWorkflow', webhookRemovalWorkflowId(endpointId), [
      { endpointId, actor: principal.keyId },
    ]);
  }

  async deliveries(principal: Principal, partnerId: string, endpointId: string, query: PageQuery): Promise<Page<WebhookDeliveryView>> {
    await this.access.requirePartner(principal, partnerId);
    await this.endpoint(partnerId, endpointId);
    return pageResponse(await listWebhookDeliveries(this.prisma, endpointId, pageRequest(query)));
  }

  async delivery(principal: Principal, partnerId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    await this.access.requirePartner(principal, partnerId);
    await this.endpoint(partnerId, endpointId);
    return this.deliveryOf(endpointId, deliveryId);
  }

  /** The event again, as a new delivery with its own retries, once the last one has finished. */
  async redeliver(
    principal: Principal,
    partnerId: string,
    endpointId: string,
    deliveryId: string,
    idempotency: IdempotentRequest,
  ): Promise<AcceptedRedelivery> {
    await this.access.requireOpenPartner(principal, partnerId, 'redeliver webhooks');
    const endpoint = await this.endpoint(partnerId, endpointId);
    if (endpoint.status === 'removed') throw conflict('webhook_endpoint_removed', 'The endpoint was removed; nothing is delivered to it');
    const original = await this.deliveryOf(endpointId, deliveryId);
    if (original.status === 'pending') throw conflict('webhook_delivery_pending', 'The delivery is still being tried');
    const id = await idempotency.requestId();
    await this.temporal.startOnce<typeof webhookDeliveryWorkflow>('webhookDeliveryWorkflow', webhookDeliveryWorkflowId(id), [
      { deliveryId: id, redelivery: { of: deliveryId, actor: principal.keyId } },
    ]);
    return { id, redeliveryOf: deliveryId, eventId: original.eventId, status: 'pending' };
  }

  private async endpoint(partnerId: string, endpointId: string): Promise<WebhookEndpointView> {
    const endpoint = await findWebhookEndpoint(this.prisma, partnerId, endpointId);
    if (!endpoint) throw notFound('Webhook endpoint');
    return endpoint;
  }

  private async deliveryOf(endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const delivery = await findWebhookDelivery(this.prisma, endpointId, deliveryId);
    if (!delivery) throw notFound('Webhook delivery');
    return delivery;
  }
}
