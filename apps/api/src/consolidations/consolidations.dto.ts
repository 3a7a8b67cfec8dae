import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { ConsolidationView } from '#queries/consolidations';
import { CONSOLIDATION_STATUSES } from '#workflows/consolidations/definitions';
import { UUID_PATTERN } from '../common/formats';
import { PageOf } from '../common/pagination';

export class RequestConsolidationDto {
  @ApiProperty({
    description: 'The separately enrolled partner to absorb; its own key must consent',
    format: 'uuid',
    pattern: UUID_PATTERN,
  })
  @IsUUID()
  absorbedPartnerId: string;
}

export class ConsolidationDto implements ConsolidationView {
  @ApiProperty() id: string;
  @ApiProperty() survivorId: string;
  @ApiProperty() absorbedId: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ enum: CONSOLIDATION_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) statusReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reviewTaskId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) consentedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'What moved: offices, evidence, transfer entries, points, competencies, fee credit' })
  moved: unknown;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) completedAt: string | null;
}

export class ConsolidationPageDto extends PageOf(ConsolidationDto) {}
