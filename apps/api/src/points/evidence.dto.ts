import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
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
import { PageOf } from '../common/pagination';

class CertifiedProfessionalDetails {
  @IsString() @Length(1, 200) personName: string;
  @IsEmail() @Length(3, 320) email: string;
  @IsString({ each: true }) @Length(1, 50, { each: true }) @ArrayMinSize(1) @ArrayMaxSize(20) certificationIds: string[];
}

class CustomerReferenceDetails {
  @IsString() @Length(1, 200) customerName: string;
  @IsEmail() @Length(3, 320) contactEmail: string;
  @IsString() @Length(1, 200) projectTitle: string;
  @IsISO8601({ strict: true }) wonAt: string;
  @IsOptional() @IsString() @Length(1, 100) competencyCode?: string;
}

class TestedSolutionDetails {
  @IsString() @Length(1, 200) solutionName: string;
  @IsIn(['software-certification', 'validation-testing', 'hardware-lab']) testType: string;
  @IsString() @Length(1, 100) testId: string;
  @IsIn(['passed', 'failed']) result: string;
  @IsOptional() @IsString() @Length(1, 100) competencyCode?: string;
}

class ProductSalesDetails {
  @IsString() @Length(1, 200) productLine: string;
  @Matches(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, { message: 'must be a month (YYYY-MM) or a quarter (YYYY-Qn)' }) period: string;
  @IsInt() @Min(1) @Max(10_000_000) units: number;
}

class ConferenceDetails {
  @IsInt() @Min(2000) @Max(2100) conferenceYear: number;
  @IsInt() @Min(1) @Max(10_000) staffAttending: number;
}

class SmallBusinessSpecialistDetails {
  @IsString() @Length(1, 100) memberId: string;
  @IsISO8601({ strict: true }) enrolledAt: string;
}

class IsvRoyaltyDetails {
  @IsString() @Length(1, 100) agreementId: string;
}

class MobilityAssessmentDetails {
  @IsString() @Length(1, 100) assessmentId: string;
  @IsIn(['passed', 'failed']) result: string;
}

/** The validated shape of `details` for each kind of evidence. */
export const EVIDENCE_DETAILS_SHAPES: Record<EvidenceKind, new () => object> = {
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

  @ApiProperty({
    description: 'Shape depends on kind; see the README (certified-professional: personName, email, certificationIds[]; ...)',
    example: { personName: 'Grace Hopper', email: 'grace@contoso.example', certificationIds: ['MCSE-2003'] },
  })
  @IsObject()
  details: Record<string, unknown>;

  @ApiPropertyOptional({ description: "One of the partner's offices" })
  @IsOptional()
  @IsUUID()
  locationId?: string;
}

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
  @ApiProperty({ description: 'The ledger entry to correct' })
  @IsUUID()
  entryId: string;

  @ApiProperty({ description: 'Points to add; negative to take away', example: -2 })
  @IsInt()
  @Min(-1000)
  @Max(1000)
  @NotEquals(0)
  points: number;

  @ApiProperty({ example: 'Customer reference withdrawn' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class EvidencePageDto extends PageOf(EvidenceDto) {}
