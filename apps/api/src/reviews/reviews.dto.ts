import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { REVIEW_DECISIONS, REVIEW_KINDS, REVIEW_STATUSES } from '../../../../workflows/reviews/definitions';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListReviewsQuery {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES })
  @IsOptional()
  @IsIn(REVIEW_STATUSES)
  status?: (typeof REVIEW_STATUSES)[number];

  @ApiPropertyOptional({ enum: REVIEW_KINDS })
  @IsOptional()
  @IsIn(REVIEW_KINDS)
  kind?: (typeof REVIEW_KINDS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'must be a cursor returned by this endpoint' })
  cursor?: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: REVIEW_DECISIONS, description: 'request_changes is offered by competency reviews only' })
  @IsIn(REVIEW_DECISIONS)
  decision: (typeof REVIEW_DECISIONS)[number];

  @ApiPropertyOptional({
    description: 'Required when rejecting or requesting changes',
    maxLength: 2000,
    example: 'Meets the program terms',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ReviewDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: string;
  @ApiProperty() partnerId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) enrollmentId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The evidence or upgrade request reviewed' }) subjectId: string | null;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() dueAt: string;
  @ApiProperty() summary: string;
  @ApiPropertyOptional({ nullable: true, enum: REVIEW_DECISIONS }) decision: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedBy: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
}

export class ReviewPageDto {
  @ApiProperty({ type: [ReviewDto] }) items: ReviewDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}
