import { defineUpdate } from '@temporalio/workflow';
import type { ReviewDecision, ReviewKind } from '../../domain/reviews';
import type { ReviewTaskView } from '../../queries/reviews';

/**
 * Reviewer decisions. Every workflow that opens a review task handles this one update, so a
 * single API route can forward any decision to the workflow that owns the task.
 */
export interface ReviewDecisionInput {
  reviewTaskId: string;
  decision: ReviewDecision;
  reason: string;
  decidedBy: string;
}

/** What a workflow asks the `openReviewTask` activity to store. */
export interface OpenReviewTaskInput {
  id: string;
  kind: ReviewKind;
  workflowId: string;
  partnerId: string;
  enrollmentId: string | null;
  subjectId?: string;
  summary: string;
  dueAt: string;
}

/** Failure types an update validator raises; the API maps a closed review to 409. */
export const REVIEW_NOT_OPEN = 'ReviewNotOpen';
/** A decision this kind of review does not offer; the API answers 422. */
export const DECISION_NOT_OFFERED = 'DecisionNotOffered';

export const reviewDecisionUpdate = defineUpdate<ReviewTaskView, [ReviewDecisionInput]>('reviewDecision');
