import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { CHANNEL_OFFER_KINDS, type ChannelOfferKind } from '#domain/channels';
import type { ChannelOfferMessageView, ChannelOfferView } from '#queries/channels';
import { COUNTRY_CODES, DATE_OR_DATE_TIME_PATTERN, IsDateOrDateTime, NOT_BLANK_PATTERN, UUID_PATTERN } from '../common/formats';
import { PageOf, PageQuery } from '../common/pagination';
import { QueryList } from '../common/query-lists';
import { Text } from '../common/text';
import { Optional } from '../common/validation';

/** What a competency code looks like; which ones exist is the catalog's to say (422 unknown_competency). */
const COMPETENCY_CODE_PATTERN = '^[a-z0-9-]{1,100}$';
const MAX_COMPETENCIES = 13;
const MAX_COUNTRIES = 50;

const competencyCodes = { message: 'each value must be a competency code (lowercase letters, digits and dashes)', each: true };
const countryCodes = { message: 'each value must be an upper-case ISO 3166-1 alpha-2 country code', each: true };

export class PublishChannelOfferDto {
  @ApiProperty({ enum: CHANNEL_OFFER_KINDS, description: 'Whom the partner seeks' })
  @IsIn(CHANNEL_OFFER_KINDS)
  kind: ChannelOfferKind;

  @Text(2000, {
    required: true,
    description: 'What is offered and sought, in plain words',
    example: 'We sell our retail suite in the UK and seek resellers.',
  })
  description: string;

  @ApiProperty({
    type: [String],
    description: 'Competencies sought in the partner that answers (catalog codes)',
    maxItems: MAX_COMPETENCIES,
    uniqueItems: true,
    items: { type: 'string', pattern: COMPETENCY_CODE_PATTERN },
    example: ['security'],
  })
  @IsArray()
  @ArrayMaxSize(MAX_COMPETENCIES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(new RegExp(COMPETENCY_CODE_PATTERN), competencyCodes)
  competencies: string[];

  @ApiProperty({
    type: [String],
    description: 'Countries the partner seeks partners in (ISO 3166-1 alpha-2)',
    minItems: 1,
    maxItems: MAX_COUNTRIES,
    uniqueItems: true,
    items: { type: 'string', enum: [...COUNTRY_CODES] },
    example: ['GB', 'IE'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COUNTRIES)
  @ArrayUnique()
  @IsIn(COUNTRY_CODES, countryCodes)
  countries: string[];

  @ApiProperty({
    description: 'When the offer ends (ISO 8601): after now and at most one membership term ahead (422 invalid_valid_until)',
    example: '2027-06-30',
    pattern: DATE_OR_DATE_TIME_PATTERN,
  })
  @IsString()
  @IsDateOrDateTime()
  validUntil: string;
}

export class ChannelOfferMessageRequestDto {
  @Text(2000, { required: true, description: 'The message, plain words; the other side is told there is one, not what it says' })
  message: string;

  @ApiPropertyOptional({
    format: 'uuid',
    pattern: UUID_PATTERN,
    description: 'The offering partner only: the respondent whose thread it answers (required then; 422 respondent_required)',
  })
  @Optional()
  @IsUUID()
  respondentId?: string;
}

export class SearchChannelOffersQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Words of the description, as people type them: "quoted phrases", -excluded, or',
    minLength: 1,
    maxLength: 200,
    pattern: NOT_BLANK_PATTERN,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(new RegExp(NOT_BLANK_PATTERN), { message: 'must not be blank' })
  q?: string;

  @QueryList({
    description: 'Any of these kinds',
    maxItems: CHANNEL_OFFER_KINDS.length,
    items: { type: 'string', enum: [...CHANNEL_OFFER_KINDS] },
  })
  @IsIn(CHANNEL_OFFER_KINDS, { each: true })
  kind?: ChannelOfferKind[];

  @QueryList({
    description: 'Offers seeking any of these competencies',
    maxItems: MAX_COMPETENCIES,
    items: { type: 'string', pattern: COMPETENCY_CODE_PATTERN },
  })
  @IsString({ each: true })
  @Matches(new RegExp(COMPETENCY_CODE_PATTERN), competencyCodes)
  competency?: string[];

  @QueryList({
    description: 'Offers seeking partners in any of these countries',
    maxItems: MAX_COUNTRIES,
    items: { type: 'string', enum: [...COUNTRY_CODES] },
  })
  @IsIn(COUNTRY_CODES, countryCodes)
  country?: string[];
}

export class ChannelOfferDto implements ChannelOfferView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ description: "The offering partner's legal name" }) partnerName: string;
  @ApiProperty({ enum: CHANNEL_OFFER_KINDS }) kind: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) competencies: string[];
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'expired, or why its partner left: withdrawn, lapsed, consolidated' })
  closedReason: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ChannelOfferPageDto extends PageOf(ChannelOfferDto) {}

export class ChannelOfferMessageDto implements ChannelOfferMessageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) offerId: string;
  @ApiProperty({ format: 'uuid', description: 'The partner that answered the offer: whose thread this is' }) respondentId: string;
  @ApiProperty({ format: 'uuid' }) authorPartnerId: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ChannelOfferMessagePageDto extends PageOf(ChannelOfferMessageDto) {}
