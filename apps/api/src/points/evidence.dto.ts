import { type Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  NotEquals,
} from 'class-validator';
import { EVIDENCE_KINDS, type EvidenceKind } from '#domain/points';
import type { EvidenceView } from '#queries/points';
import { IsDateOrDateTime, DATE_OR_DATE_TIME_PATTERN, UUID_PATTERN } from '../common/formats';
import { Optional } from '../common/validation';
import { MAX_EMAIL_LENGTH } from '../enrollments/enrollments.dto';
import { PageOf } from '../common/pagination';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/;
const TEST_TYPES = ['software-certification', 'validation-testing', 'hardware-lab'];
const RESULTS = ['passed', 'failed'];
const text = (maxLength: number) => ({ minLength: 1, maxLength });
const email = { format: 'email', minLength: 3, maxLength: MAX_EMAIL_LENGTH };
const dateOrDateTime = { pattern: DATE_OR_DATE_TIME_PATTERN, example: '2026-10-01' };

export class CertifiedProfessionalDetails {
  @ApiProperty(text(200)) @IsString() @Length(1, 200) personName: string;
  @ApiProperty(email) @IsEmail() @Length(3, MAX_EMAIL_LENGTH) email: string;
  @ApiProperty({ type: [String], minItems: 1, maxItems: 20, items: { type: 'string', ...text(50) } })
  @IsArray()
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  certificationIds: string[];
}

export class CustomerReferenceDetails {
  @ApiProperty(text(200)) @IsString() @Length(1, 200) customerName: string;
  @ApiProperty(email) @IsEmail() @Length(3, MAX_EMAIL_LENGTH) contactEmail: string;
  @ApiProperty(text(200)) @IsString() @Length(1, 200) projectTitle: string;
  @ApiProperty(dateOrDateTime) @IsDateOrDateTime() wonAt: string;
  @ApiPropertyOptional(text(100)) @Optional() @IsString() @Length(1, 100) competencyCode?: string;
}

export class TestedSolutionDetails {
  @ApiProperty(text(200)) @IsString() @Length(1, 200) solutionName: string;
  @ApiProperty({ enum: TEST_TYPES }) @IsIn(TEST_TYPES) testType: string;
  @ApiProperty(text(100)) @IsString() @Length(1, 100) testId: string;
  @ApiProperty({ enum: RESULTS }) @IsIn(RESULTS) result: string;
  @ApiPropertyOptional(text(100)) @Optional() @IsString() @Length(1, 100) competencyCode?: string;
}

export class ProductSalesDetails {
  @ApiProperty(text(200)) @IsString() @Length(1, 200) productLine: string;
  @ApiProperty({ pattern: PERIOD.source, example: '2026-Q3' })
  @Matches(PERIOD, { message: 'must be a month (YYYY-MM) or a quarter (YYYY-Qn)' })
  period: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000_000 }) @IsInt() @Min(1) @Max(10_000_000) units: number;
}

export class ConferenceDetails {
  @ApiProperty({ type: 'integer', minimum: 2000, maximum: 2100 }) @IsInt() @Min(2000) @Max(2100) conferenceYear: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_000 }) @IsInt() @Min(1) @Max(10_000) staffAttending: number;
}

export class SmallBusinessSpecialistDetails {
  @ApiProperty(text(100)) @IsString() @Length(1, 100) memberId: string;
  @ApiProperty(dateOrDateTime) @IsDateOrDateTime() enrolledAt: string;
}

export class IsvRoyaltyDetails {
  @ApiProperty(text(100)) @IsString() @Length(1, 100) agreementId: string;
}

export class MobilityAssessmentDetails {
  @ApiProperty(text(100)) @IsString() @Length(1, 100) assessmentId: string;
  @ApiProperty({ enum: RESULTS }) @IsIn(RESULTS) result: string;
}

/** The validated shape of `details` for each kind of evidence. */
export const EVIDENCE_DETAILS_SHAPES: Record<EvidenceKind, Type<object>> = {
  'certified-professional': CertifiedProfessionalDetails,
  'customer-reference': CustomerReferenceDetails,
  'tested-solution': TestedSolutionDetails,
  'product-sales': ProductSalesDetails,
  conference: ConferenceDetails,
  'small-business-specialist': SmallBusinessSpecialistDetails,
  'isv-royalty': IsvRoyaltyDetails,
  'mobility-assessment': MobilityAssessmentDetails,
};

export class RecordEvidenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS })
  @IsIn(EVIDENCE_KINDS)
  kind: EvidenceKind;

  @ApiProperty({ description: 'Shape depends on kind', type: 'object', additionalProperties: true })
  @IsObject()
  details: Record<string, unknown>;

  @ApiPropertyOptional({ description: "One of the partner's offices", format: 'uuid', pattern: UUID_PATTERN })
  @Optional()
  @IsUUID()
  locationId?: string;
}

/** One kind of evidence as the document shows it: the kind, its details, and the office. */
function evidenceVariant(kind: EvidenceKind, details: Type<object>): Type<object> {
  class Variant {}
  ApiProperty({ type: String, enum: [kind] })(Variant.prototype, 'kind');
  ApiProperty({ type: details })(Variant.prototype, 'details');
  ApiPropertyOptional({ type: String, description: "One of the partner's offices", format: 'uuid', pattern: UUID_PATTERN })(
    Variant.prototype,
    'locationId',
  );
  // The schema's name in the document: CustomerReferenceEvidence for customer-reference.
  Object.defineProperty(Variant, 'name', { value: details.name.replace(/Details$/, 'Evidence') });
  return Variant;
}

/** The evidence body per kind, for the document: `oneOf` its kinds, told apart by `kind`. */
export const EVIDENCE_VARIANTS = Object.fromEntries(
  EVIDENCE_KINDS.map((kind) => [kind, evidenceVariant(kind, EVIDENCE_DETAILS_SHAPES[kind])]),
) as Record<EvidenceKind, Type<object>>;

export const EVIDENCE_BODY_SCHEMA = {
  oneOf: Object.values(EVIDENCE_VARIANTS).map((variant) => ({ $ref: getSchemaPath(variant) })),
  discriminator: {
    propertyName: 'kind',
    mapping: Object.fromEntries(Object.entries(EVIDENCE_VARIANTS).map(([kind, variant]) => [kind, getSchemaPath(variant)])),
  },
};

export class EvidenceAcceptedDto {
  @ApiProperty() evidenceId: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'recorded' }) status: string;
}

export class EvidenceDto implements EvidenceView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EVIDENCE_KINDS }) kind: string;
  @ApiProperty() details: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) locationId: string | null;
  @ApiProperty({ enum: ['pending_review', 'verified', 'rejected', 'expired'] }) status: string;
  @ApiProperty() points: number;
  @ApiProperty() catalogVersionId: string;
  @ApiProperty({ description: '1, or the attempt after a rejected or expired submission of the same evidence' }) attempt: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the activity it proves took place; its award counts from then' })
  activityAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
}

export class PointCorrectionDto {
  @ApiProperty({ description: 'The ledger entry to correct', format: 'uuid', pattern: UUID_PATTERN })
  @IsUUID()
  entryId: string;

  @ApiProperty({
    description: 'Points to add; negative to take away; not 0',
    example: -2,
    type: 'integer',
    minimum: -1000,
    maximum: 1000,
    not: { enum: [0] },
  })
  @IsInt()
  @Min(-1000)
  @Max(1000)
  @NotEquals(0)
  points: number;

  @ApiProperty({ example: 'Customer reference withdrawn', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class EvidencePageDto extends PageOf(EvidenceDto) {}
