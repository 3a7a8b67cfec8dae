import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import {
  DESIGNATION_REQUIREMENTS,
  DESIGNATION_STATUSES,
  type DesignationAssessment,
  type DesignationCheck,
  type DesignationRequirement,
} from '#domain/designations';
import type { DesignationView, HeldDesignationView } from '#queries/designations';
import { NOT_BLANK_PATTERN } from '../common/formats';

const DESIGNATION_CODE = /^[a-z0-9-]{1,100}$/;

export class ApplyForDesignationDto {
  @ApiProperty({
    example: 'small-business-specialist',
    description: 'A designation code of the catalog in force',
    pattern: DESIGNATION_CODE.source,
  })
  @IsString()
  @Matches(DESIGNATION_CODE, { message: 'must be a designation code (lowercase letters, digits and dashes)' })
  code: string;

  @ApiProperty({
    example: 'SBSC-1042',
    minLength: 1,
    maxLength: 100,
    pattern: NOT_BLANK_PATTERN,
    description:
      'The Small Business Specialist Community membership: the memberId of the partner’s verified `small-business-specialist` evidence, which proves the enrollment',
  })
  @IsString()
  @Length(1, 100)
  @Matches(new RegExp(NOT_BLANK_PATTERN), { message: 'must not be blank' })
  communityMemberId: string;
}

export class DesignationAcceptedDto {
  @ApiProperty({ format: 'uuid' }) designationId: string;
  @ApiProperty() code: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ enum: DESIGNATION_STATUSES }) status: string;
}

export class DesignationCheckDto implements DesignationCheck {
  @ApiProperty({ enum: DESIGNATION_REQUIREMENTS }) requirement: DesignationRequirement;
  @ApiProperty() have: number;
  @ApiProperty() need: number;
  @ApiProperty({ type: [String], description: 'What counts: the levels from the minimum up, the member id named, the competencies listed' })
  accepted: string[];
  @ApiProperty({ type: [String], description: 'What the partner holds that counted' }) held: string[];
  @ApiProperty({ description: 'One of the alternatives (anyOf): one of them met is enough' }) alternative: boolean;
}

export class DesignationAssessmentDto implements DesignationAssessment {
  @ApiProperty() code: string;
  @ApiProperty() met: boolean;
  @ApiProperty({ type: [DesignationCheckDto] }) checks: DesignationCheckDto[];
  @ApiProperty({ type: [DesignationCheckDto] }) missing: DesignationCheckDto[];
}

export class DesignationDto implements DesignationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: DESIGNATION_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty() communityMemberId: string;
  @ApiProperty({
    nullable: true,
    type: DesignationAssessmentDto,
    description: 'The latest assessment (the application’s, or the last renewal’s)',
  })
  assessment: DesignationAssessmentDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) reviewTaskId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) grantedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The end of the membership year it is held for' })
  validUntil: string | null;
  @ApiProperty() catalogVersionId: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class HeldDesignationDto implements HeldDesignationView {
  @ApiProperty() code: string;
  @ApiProperty({ format: 'date-time' }) grantedAt: string;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
}

export class RevokedDesignationDto {
  @ApiProperty() code: string;
  @ApiProperty({ enum: ['revoked'] }) status: string;
}
