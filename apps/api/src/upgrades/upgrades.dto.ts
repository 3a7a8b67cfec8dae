import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { UpgradeRequestView } from '#queries/upgrades';

export const UPGRADE_LEVELS = ['certified', 'gold'] as const;

export class RequestUpgradeDto {
  @ApiProperty({ enum: UPGRADE_LEVELS })
  @IsIn(UPGRADE_LEVELS)
  level: (typeof UPGRADE_LEVELS)[number];
}

export class UpgradeAcceptedDto {
  @ApiProperty() upgradeRequestId: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'checking' }) status: string;
}

export class UpgradeRequestDto implements UpgradeRequestView {
  @ApiProperty() id: string;
  @ApiProperty() partnerId: string;
  @ApiProperty() fromLevel: string;
  @ApiProperty() toLevel: string;
  @ApiProperty({ enum: ['checking', 'refused', 'in_review', 'approved_payment_pending', 'rejected', 'expired'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ description: 'What was missing when the request was checked' }) missing: unknown;
  @ApiPropertyOptional({ nullable: true, type: String }) reviewTaskId: string | null;
  @ApiProperty() catalogVersionId: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
