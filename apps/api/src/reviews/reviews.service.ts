import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { toReviewTaskView } from '../../../../lib/review-view';
import { type ReviewTaskView, reviewDecisionUpdate } from '../../../../workflows/reviews/definitions';
import type { Principal } from '../auth/principal';
import { badRequest, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ListReviewsQuery, ReviewDecisionDto, ReviewDto, ReviewPageDto } from './reviews.dto';

interface Cursor {
  createdAt: string;
  id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(raw: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (typeof cursor.id === 'string' && !Number.isNaN(Date.parse(cursor.createdAt))) return cursor;
  } catch {
    // reported below
  }
  throw badRequest('The request is not valid', [
    { field: 'cursor', reason: 'must be a cursor returned by this endpoint', code: 'invalid_cursor' },
  ]);
}

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
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.prisma.reviewTask.findMany({
      where: {
        status: query.status,
        kind: query.kind,
        ...(after
          ? {
              OR: [{ createdAt: { gt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), id: { gt: after.id } }],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toReviewDto(toReviewTaskView(row))),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
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
