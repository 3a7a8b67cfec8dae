import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WebhookDeliveryView, WebhookEndpointView } from '#queries/webhooks';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { type Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import {
  AcceptedRedeliveryDto,
  RegisteredWebhookDto,
  RegisterWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
} from './webhooks.dto';
import { type AcceptedRedelivery, type RegisteredWebhook, WebhooksService } from './webhooks.service';

/** Outgoing webhooks: where a partner's events are posted, signed, and the log of every delivery. */
@ApiTags('webhooks')
@ApiKeyRoutes()
@Controller('v1/partners/:id/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.CREATED)
  @Idempotent()
  @ApiOperation({ summary: 'Register an endpoint for some or every kind of notice; its signing secret is shown in this answer only' })
  @ApiCreatedResponse({ type: RegisteredWebhookDto })
  @ApiErrorResponse(409, 'partner_not_open; too_many_webhook_endpoints')
  @ApiErrorResponse(422, 'webhook_url_not_allowed: not https, or a loopback, private or link-local address')
  register(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: RegisterWebhookDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<RegisteredWebhook> {
    return this.webhooks.register(principal, id, body, idempotency);
  }

  @Get()
  @ApiOperation({ summary: "The partner's endpoints, removed ones too, newest first" })
  @ApiOkResponse({ type: WebhookEndpointPageDto })
  @ApiPageErrors()
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<Page<WebhookEndpointView>> {
    return this.webhooks.list(principal, id, query);
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'An endpoint (never its secret)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('webhookId') webhookId: string,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.get(principal, id, webhookId);
  }

  @Delete(':webhookId')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove an endpoint: nothing more is posted to it, pending deliveries fail; its log stays' })
  @ApiNoContentResponse()
  remove(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @UuidParam('webhookId') webhookId: string): Promise<void> {
    return this.webhooks.remove(principal, id, webhookId);
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'Every delivery to the endpoint, newest first: its event, state, attempts and last answer' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiPageErrors()
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('webhookId') webhookId: string,
    @Query() query: PageQuery,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(principal, id, webhookId, query);
  }

  @Get(':webhookId/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery, with the body it posts' })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  delivery(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('webhookId') webhookId: string,
    @UuidParam('deliveryId') deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.delivery(principal, id, webhookId, deliveryId);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @Idempotent()
  @ApiOperation({ summary: 'Post a delivered or failed event again, as a new delivery with its own retries' })
  @ApiAcceptedResponse({ type: AcceptedRedeliveryDto })
  @ApiErrorResponse(409, 'partner_not_open; webhook_endpoint_removed; webhook_delivery_pending')
  redeliver(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('webhookId') webhookId: string,
    @UuidParam('deliveryId') deliveryId: string,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<AcceptedRedelivery> {
    return this.webhooks.redeliver(principal, id, webhookId, deliveryId, idempotency);
  }
}
