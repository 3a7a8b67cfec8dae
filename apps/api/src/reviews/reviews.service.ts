import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { REVIEW_STATUS_AFTER } from '#domain/reviews';
import { findReviewTask, listReviewTasks, type ReviewTaskView } from '#queries/reviews';
import { reviewDecisionUpdate } from '#workflows/reviews/definitions';
import type { Principal } from '../auth/principal';
import { badRequest, conflict, notFound } from '../common/api-error';
import { pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ListReviewsQuery, ReviewDecisionDto, ReviewDto, ReviewPageDto } from './reviews.dto';

/** Reviewers see the task, not the workflow that owns it. */
function toReviewDto(view: ReviewTaskView): ReviewDto {
  const { workflowId: _owner, ...dto } = view;
  return dto;
}

@Injectable()
export class ReviewsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  async list(query: ListReviewsQuery): Promise<ReviewPageDto> {
    const page = pageResponse(await listReviewTasks(this.prisma, { status: query.status, kind: query.kind }, pageRequest(query)));
    return { ...page, items: page.items.map(toReviewDto) };
  }

  /** Forwards the decision to the workflow that owns the task; the workflow records it. */
  async decide(principal: Principal, reviewId: string, body: ReviewDecisionDto): Promise<ReviewDto> {
    const reason = body.reason?.trim() ?? '';
    if (body.decision !== 'approve' && !reason) {
      throw badRequest('The request is not valid', [
        { field: 'reason', reason: `is required to ${body.decision === 'reject' ? 'reject' : 'request changes'}`, code: 'reason_required' },
      ]);
    }
    const task = await findReviewTask(this.prisma, reviewId);
    if (!task) throw notFound('Review');
    // A retry of the decision that was recorded (its first answer lost to a timeout) gets that record again.
    if (task.status === REVIEW_STATUS_AFTER[body.decision] && task.decidedBy === principal.keyId) return toReviewDto(task);
    if (task.status !== 'pending') throw conflict('review_already_decided', `This review is already ${task.status}`);
    try {
      const view = await this.temporal.update(
        task.workflowId,
        reviewDecisionUpdate,
        [{ reviewTaskId: task.id, decision: body.decision, reason, decidedBy: principal.keyId }],
        { updateId: `review-decision:${task.id}:${principal.keyId}:${body.decision}` },
      );
      return toReviewDto(view);
    } catch (error) {
      // A closed workflow takes no decisions; the filter maps the validator's refusal the same way.
      if (error instanceof WorkflowNotFoundError) throw conflict('review_already_decided', 'This review is no longer open for a decision');
      throw error;
    }
  }
}
