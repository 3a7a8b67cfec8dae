import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { COMPETENCY_STATUSES } from '#domain/competencies';
import type { CompetencyView } from '#queries/competencies';

const COMPETENCY_CODE = /^[a-z0-9-]{1,100}$/;

export class ApplyForCompetencyDto {
  @ApiProperty({ example: 'security', description: 'A competency code of the catalog in force', pattern: COMPETENCY_CODE.source })
  @IsString()
  @Matches(COMPETENCY_CODE, { message: 'must be a competency code (lowercase letters, digits and dashes)' })
  code: string;
}

export class CompetencyAcceptedDto {
  @ApiProperty() competencyId: string;
  @ApiProperty() code: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ enum: COMPETENCY_STATUSES }) status: string;
}

export class CompetencyDto implements CompetencyView {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: COMPETENCY_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) statusReason: string | null;
  @ApiPropertyOptional({ description: 'The latest assessment: have and need per requirement, with the evidence counted' })
  assessment: unknown;
  @ApiPropertyOptional({ nullable: true, type: String }) reviewTaskId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) grantedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) validUntil: string | null;
  @ApiProperty() catalogVersionId: string;
  @ApiProperty() updatedAt: string;
}

export class RevokedCompetencyDto {
  @ApiProperty() code: string;
  @ApiProperty({ enum: ['revoked'] }) status: string;
  @ApiProperty({ description: 'Points taken back from the ledger by a correction entry' }) reversedPoints: number;
}
