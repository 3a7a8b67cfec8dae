import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsObject,
  IsString,
  IsUrl,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { LEVEL_CODES, type LevelCode } from '#domain/catalog';
import { ENROLLMENT_PAYMENT_STATES, type EnrollmentPaymentState, type EnrollmentStepView, type EnrollmentView } from '#queries/enrollments';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from '#workflows/enrollments/definitions';
import { COUNTRY_CODES, WEB_URL_PATTERN } from '../common/formats';
import { Optional } from '../common/validation';

const COUNTRY = /^[A-Z]{2}$/;
const POSTAL_CODE = /^[A-Za-z0-9][A-Za-z0-9 -]{0,18}[A-Za-z0-9]$|^[A-Za-z0-9]$/;
/** The longest address `@IsEmail()` accepts. */
export const MAX_EMAIL_LENGTH = 254;
const countryMessage = { message: 'must be an upper-case ISO 3166-1 alpha-2 country code' };

export class OrganizationDto {
  @ApiProperty({ example: 'Contoso Consulting Ltd', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  legalName: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2', enum: COUNTRY_CODES })
  @Matches(COUNTRY, countryMessage)
  @IsISO31661Alpha2(countryMessage)
  country: string;

  @ApiProperty({
    example: 'https://contoso.example',
    description: 'An http(s) URL with a host name',
    maxLength: 2048,
    pattern: WEB_URL_PATTERN,
  })
  @IsString()
  @Length(1, 2048)
  @Matches(new RegExp(WEB_URL_PATTERN), { message: 'must be an http(s) URL with a host name' })
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  website: string;

  @ApiProperty({ type: [String], example: ['retail'], maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 100 } })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  industries: string[];

  @ApiProperty({ type: [String], example: ['small-business'], maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 100 } })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  customerSizes: string[];

  @ApiProperty({ type: [String], example: ['sql-server'], maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  technologies: string[];
}

export class OfficeAddressDto {
  @ApiProperty({ example: '1 High Street', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  addressLine1: string;

  @ApiProperty({ example: 'London', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  city: string;

  @ApiProperty({ example: 'EC1A 1BB', pattern: POSTAL_CODE.source })
  @IsString()
  @Matches(POSTAL_CODE, { message: 'must be 1 to 20 letters, digits, spaces or hyphens' })
  postalCode: string;

  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2', enum: COUNTRY_CODES })
  @Matches(COUNTRY, countryMessage)
  @IsISO31661Alpha2(countryMessage)
  country: string;
}

export class ContactDto {
  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'ada@contoso.example', format: 'email', minLength: 3, maxLength: MAX_EMAIL_LENGTH })
  @IsString()
  @Length(3, MAX_EMAIL_LENGTH)
  @IsEmail()
  email: string;
}

export class CreateEnrollmentDto {
  @ApiProperty({ type: OrganizationDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OrganizationDto)
  organization: OrganizationDto;

  @ApiProperty({ type: OfficeAddressDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OfficeAddressDto)
  primaryLocation: OfficeAddressDto;

  @ApiProperty({ type: ContactDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact: ContactDto;

  @ApiPropertyOptional({
    type: [OfficeAddressDto],
    description: "The organization's other offices, enrolled with it in the primary office's country: one fee, one set of benefits",
    maxItems: 50,
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OfficeAddressDto)
  locations?: OfficeAddressDto[];

  @ApiProperty({ enum: LEVEL_CODES })
  @IsIn(LEVEL_CODES)
  requestedLevel: LevelCode;

  @ApiPropertyOptional({
    example: 'PPA-2026-12',
    description: 'The program terms version accepted: the catalog in force names it (rules.programTerms.version)',
    minLength: 1,
    maxLength: 100,
  })
  @Optional()
  @IsString()
  @Length(1, 100)
  acceptedTermsVersion?: string;
}

export class EnrollmentAcceptedDto {
  @ApiProperty()
  enrollmentId: string;

  @ApiProperty()
  partnerId: string;

  @ApiProperty()
  workflowId: string;

  @ApiProperty({ enum: ENROLLMENT_STATUSES, example: 'submitted' })
  status: EnrollmentStatus;

  @ApiProperty({
    description:
      'Whether the partner and its key are recorded, so the key works now. False only when the workflow did not record ' +
      'them in time; then poll GET /v1/enrollments/{enrollmentId} with the key until it answers.',
  })
  recorded: boolean;

  @ApiPropertyOptional({
    description:
      "The partner's API key, shown once: in the answer to the request that started the enrollment. A repeat under the " +
      'same Idempotency-Key answers the same enrollment without it.',
  })
  apiKey?: string;
}

export class EnrollmentStepDto implements EnrollmentStepView {
  @ApiProperty({ example: 'review' })
  name: string;

  @ApiProperty({ example: 'waiting' })
  status: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  detail: string | null;

  @ApiProperty()
  at: string;
}

export class EnrollmentPaymentDto {
  @ApiProperty({ enum: ENROLLMENT_PAYMENT_STATES })
  status: EnrollmentPaymentState;

  @ApiProperty()
  invoiceId: string;

  @ApiProperty()
  invoiceNumber: string;
}

export class EnrollmentDto implements EnrollmentView {
  @ApiProperty()
  id: string;

  @ApiProperty()
  partnerId: string;

  @ApiProperty()
  workflowId: string;

  @ApiProperty({ enum: LEVEL_CODES })
  requestedLevel: string;

  @ApiProperty({ enum: ENROLLMENT_STATUSES })
  status: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  statusReason: string | null;

  @ApiProperty({ type: [EnrollmentStepDto] })
  steps: EnrollmentStepDto[];

  @ApiPropertyOptional({
    nullable: true,
    description: "The enrollment fee's invoice: null when the level has no fee or none was issued yet",
  })
  payment: EnrollmentPaymentDto | null;

  @ApiProperty()
  createdAt: string;

  @ApiProperty()
  updatedAt: string;
}
