import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { toReviewTaskView } from '../../../../lib/review-view';
import { type ReviewTaskView, reviewDecisionUpdate } from '../../../../workflows/reviews/definitions';
import type { Principal } from '../auth/principal';
import { badRequest, conflict, notFound } from '../common/api-error';
import { keysetPage } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ListReviewsQuery, ReviewDecisionDto, ReviewDto, ReviewPageDto } from './reviews.dto';

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

  /** Oldest first, so the queue is worked in arrival order; keyset pagination stays fast. */
  async list(query: ListReviewsQuery): Promise<ReviewPageDto> {
    const keyset = keysetPage(query, 'createdAt', 'id');
    const { rows, nextCursor } = keyset.page(
      await this.prisma.reviewTask.findMany({
        where: { status: query.status, kind: query.kind, ...keyset.where },
        orderBy: keyset.orderBy,
        take: keyset.take,
      }),
    );
    return { items: rows.map((row) => toReviewDto(toReviewTaskView(row))), nextCursor };
  }

  /** Forwards the decision to the workflow that owns the task; the workflow records it. */
  async decide(principal: Principal, reviewId: string, body: ReviewDecisionDto): Promise<ReviewDto> {
    const reason = body.reason?.trim() ?? '';
    if (body.decision !== 'approve' && !reason) {
      throw badRequest('The request is not valid', [
        { field: 'reason', reason: `is required to ${body.decision === 'reject' ? 'reject' : 'request changes'}`, code: 'reason_required' },
      ]);
    }
    const task = await this.prisma.reviewTask.findUnique({ where: { id: reviewId } });
    if (!task) throw notFound('Review');
    if (task.status !== 'pending') throw conflict('review_already_decided', `This review is already ${task.status}`);
    try {
      const view = await this.temporal.client.workflow.getHandle(task.workflowId).executeUpdate(reviewDecisionUpdate, {
        args: [{ reviewTaskId: task.id, decision: body.decision, reason, decidedBy: principal.keyId }],
      });
      return toReviewDto(view);
    } catch (error) {
      // A closed workflow takes no decisions; the filter maps the validator's refusal the same way.
      if (error instanceof WorkflowNotFoundError) throw conflict('review_already_decided', 'This review is no longer open for a decision');
      throw error;
    }
  }
}
