import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { MembershipView } from '#queries/renewals';
import { MEMBERSHIP_STATUSES } from '#workflows/renewals/definitions';
import { DATE_OR_DATE_TIME_PATTERN, IsDateOrDateTime, UUID_PATTERN } from '../common/formats';
import { PageOf, PageQuery } from '../common/pagination';
import { Optional } from '../common/validation';

export class ListRenewalsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Terms ending at or after this time (ISO 8601)',
    example: '2027-01-01T00:00:00Z',
    pattern: DATE_OR_DATE_TIME_PATTERN,
  })
  @IsOptional()
  @IsDateOrDateTime()
  from?: string;

  @ApiPropertyOptional({
    description: 'Terms ending before this time (ISO 8601)',
    example: '2027-04-01T00:00:00Z',
    pattern: DATE_OR_DATE_TIME_PATTERN,
  })
  @IsOptional()
  @IsDateOrDateTime()
  to?: string;

  @ApiPropertyOptional({ enum: MEMBERSHIP_STATUSES })
  @IsOptional()
  @IsIn(MEMBERSHIP_STATUSES)
  status?: (typeof MEMBERSHIP_STATUSES)[number];
}

export const BULK_RENEWAL_ACTIONS = ['remind', 'grant_exception'] as const;

export class BulkRenewalActionDto {
  @ApiProperty({
    enum: BULK_RENEWAL_ACTIONS,
    description: 'remind: a renewal notice now; grant_exception: keep the current level for the next term',
  })
  @IsIn(BULK_RENEWAL_ACTIONS)
  action: (typeof BULK_RENEWAL_ACTIONS)[number];

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 500,
    uniqueItems: true,
    items: { type: 'string', format: 'uuid', pattern: UUID_PATTERN },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  partnerIds: string[];

  @ApiPropertyOptional({ description: 'Required to grant an exception: why the partner keeps its level', maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class MembershipDto implements MembershipView {
  @ApiProperty() partnerId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) legalName?: string | null;
  @ApiProperty() termNumber: number;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty() level: string;
  @ApiProperty({ enum: MEMBERSHIP_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) statusReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The level re-qualified for at the decision point' })
  renewalLevel: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) renewalInvoiceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) nextMilestone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) nextMilestoneAt: string | null;
}

export class RenewalPageDto extends PageOf(MembershipDto) {}

export class BulkItemResultDto {
  @ApiProperty() partnerId: string;
  @ApiProperty({ enum: ['done', 'refused', 'not_found'] }) outcome: 'done' | 'refused' | 'not_found';
  @ApiPropertyOptional({ description: 'Why it was refused, e.g. renewal_not_open' }) code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ enum: MEMBERSHIP_STATUSES }) status?: string;
}

export class BulkRenewalResultDto {
  @ApiProperty({ type: [BulkItemResultDto] }) results: BulkItemResultDto[];
  @ApiProperty({ description: 'How many items were done, refused and not found' }) summary: Record<
    'done' | 'refused' | 'not_found',
    number
  >;
}
