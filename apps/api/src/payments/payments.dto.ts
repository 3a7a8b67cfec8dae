import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { UUID_PATTERN } from '../common/formats';
import { Optional } from '../common/validation';

const CURRENCY = /^[A-Z]{3}$/;
const MAX_MINOR_UNITS = 2_000_000_000;
const EVENT_ID = /^[A-Za-z0-9_.:-]+$/;

export class RecordBankTransferDto {
  @ApiProperty({ example: 150000, description: 'Integer minor units (cents)', type: 'integer', minimum: 1, maximum: MAX_MINOR_UNITS })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR_UNITS)
  amountMinor: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 code', pattern: CURRENCY.source })
  @Matches(CURRENCY, { message: 'must be an ISO 4217 code such as USD' })
  currency: string;

  @ApiProperty({ example: 'SWIFT MT103 0042', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  reference: string;
}

export const PROCESSOR_EVENT_TYPES = ['payment.succeeded', 'payment.refunded'] as const;

export class ProcessorEventDataDto {
  @ApiProperty({ description: "The processor's payment id", minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  paymentId: string;

  @ApiPropertyOptional({ description: "The processor's refund id, required for payment.refunded", minLength: 1, maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  refundId?: string;

  @ApiPropertyOptional({ description: 'The invoice the payment is for, from the checkout metadata', format: 'uuid', pattern: UUID_PATTERN })
  @Optional()
  @IsUUID()
  invoiceId?: string;

  @ApiProperty({ example: 150000, type: 'integer', minimum: 1, maximum: MAX_MINOR_UNITS })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR_UNITS)
  amountMinor: number;

  @ApiProperty({ example: 'USD', pattern: CURRENCY.source })
  @Matches(CURRENCY, { message: 'must be an ISO 4217 code such as USD' })
  currency: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  reference?: string;
}

export class ProcessorEventDto {
  @ApiProperty({ description: 'Event id; a redelivered event carries the same one', maxLength: 200, pattern: EVENT_ID.source })
  @IsString()
  @Length(1, 200)
  @Matches(EVENT_ID, { message: 'must be letters, digits and _ . : -' })
  id: string;

  @ApiProperty({ enum: PROCESSOR_EVENT_TYPES })
  @IsIn(PROCESSOR_EVENT_TYPES)
  type: (typeof PROCESSOR_EVENT_TYPES)[number];

  @ApiProperty({ type: ProcessorEventDataDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ProcessorEventDataDto)
  data: ProcessorEventDataDto;
}

export class WebhookReceiptDto {
  @ApiProperty() eventId: string;
  @ApiProperty({ description: 'True when this event id was received before' }) duplicate: boolean;
}
