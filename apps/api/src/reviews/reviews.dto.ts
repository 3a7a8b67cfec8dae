import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_DECISIONS, REVIEW_KINDS, REVIEW_STATUSES, type ReviewDecision, type ReviewKind, type ReviewStatus } from '#domain/reviews';
import type { ReviewTaskView } from '#queries/reviews';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Optional } from '../common/validation';
import { PageOf, PageQuery } from '../common/pagination';

export class ListReviewsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES })
  @IsOptional()
  @IsIn(REVIEW_STATUSES)
  status?: ReviewStatus;

  @ApiPropertyOptional({ enum: REVIEW_KINDS })
  @IsOptional()
  @IsIn(REVIEW_KINDS)
  kind?: ReviewKind;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: REVIEW_DECISIONS, description: 'request_changes is offered by competency reviews only' })
  @IsIn(REVIEW_DECISIONS)
  decision: ReviewDecision;

  @ApiPropertyOptional({
    description: 'Required when rejecting or requesting changes',
    maxLength: 2000,
    example: 'Meets the program terms',
  })
  @Optional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ReviewDto implements Omit<ReviewTaskView, 'workflowId'> {
  @ApiProperty() id: string;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: ReviewKind;
  @ApiProperty() partnerId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) enrollmentId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The evidence or upgrade request reviewed' }) subjectId: string | null;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: ReviewStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty() dueAt: string;
  @ApiProperty() summary: string;
  @ApiPropertyOptional({ nullable: true, enum: REVIEW_DECISIONS }) decision: ReviewDecision | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedBy: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
}

export class ReviewPageDto extends PageOf(ReviewDto) {}
