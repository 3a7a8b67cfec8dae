import { defineUpdate } from '@temporalio/workflow';

/**
 * Reviewer decisions. Every workflow that opens a review task handles this one update, so a
 * single API route can forward any decision to the workflow that owns the task.
 */
export type ReviewKind = 'enrollment';
export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export type ReviewDecision = 'approve' | 'reject';

export interface ReviewDecisionInput {
  reviewTaskId: string;
  decision: ReviewDecision;
  reason: string;
  decidedBy: string;
}

export interface ReviewTaskView {
  id: string;
  kind: ReviewKind;
  partnerId: string;
  enrollmentId: string | null;
  workflowId: string;
  status: ReviewStatus;
  summary: string;
  dueAt: string;
  decision: ReviewDecision | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/** Failure types an update validator raises; the API maps them to 409. */
export const REVIEW_NOT_OPEN = 'ReviewNotOpen';

export const reviewDecisionUpdate = defineUpdate<ReviewTaskView, [ReviewDecisionInput]>('reviewDecision');
