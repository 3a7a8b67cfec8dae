import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import { PARTNER_NOTICE_KIND_CODES } from '#domain/notices';
import type { WebhookDeliveryView, WebhookEndpointView } from '#queries/webhooks';
import { PageOf } from '../common/pagination';
import { Text } from '../common/text';
import type { AcceptedRedelivery } from './webhooks.service';

export class RegisterWebhookDto {
  @ApiProperty({
    format: 'uri',
    maxLength: 2000,
    pattern: '^https?://',
    description: 'Where events are posted: a public https URL (no loopback, private or link-local address)',
    example: 'https://hooks.example.com/partner-program',
  })
  @IsString()
  @Length(1, 2000)
  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  url: string;

  @ApiProperty({
    type: [String],
    items: { type: 'string', enum: [...PARTNER_NOTICE_KIND_CODES] },
    maxItems: PARTNER_NOTICE_KIND_CODES.length,
    uniqueItems: true,
    description: 'The notice kinds to receive; empty for every kind',
    example: ['enrollment-approved', 'invoice-issued'],
  })
  @IsArray()
  @ArrayMaxSize(PARTNER_NOTICE_KIND_CODES.length)
  @ArrayUnique()
  @IsIn(PARTNER_NOTICE_KIND_CODES, { each: true, message: 'each value must be a kind of notice a partner receives' })
  eventKinds: string[];

  @Text(200, { required: false, description: 'What the endpoint is for' })
  description?: string;
}

export class WebhookEndpointDto implements WebhookEndpointView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String], description: 'Empty: every kind' }) eventKinds: string[];
  @ApiProperty() description: string;
  @ApiProperty({ enum: ['active', 'removed'] }) status: 'active' | 'removed';
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) removedAt: string | null;
}

export class RegisteredWebhookDto extends WebhookEndpointDto {
  @ApiProperty({
    description:
      'The signing secret, shown here only: each delivery carries `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`',
  })
  secret: string;
}

export class WebhookEndpointPageDto extends PageOf(WebhookEndpointDto) {}

export class WebhookDeliveryDto implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid', description: 'The event: the same on every attempt and redelivery (`X-Webhook-Id`)' }) eventId: string;
  @ApiProperty({ example: 'enrollment-approved' }) eventKind: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], description: 'pending while it retries, for up to 3 days' })
  status: 'pending' | 'delivered' | 'failed';
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The delivery this one repeats' }) redeliveryOf: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body posted: `{ id, type, createdAt, partnerId, data }`' })
  payload: unknown;
}

export class WebhookDeliveryPageDto extends PageOf(WebhookDeliveryDto) {}

export class AcceptedRedeliveryDto implements AcceptedRedelivery {
  @ApiProperty({ format: 'uuid', description: 'The new delivery: its log entry appears as the worker opens it' }) id: string;
  @ApiProperty({ format: 'uuid' }) redeliveryOf: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
}
