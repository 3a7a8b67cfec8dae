import { defineUpdate } from '@temporalio/workflow';

/**
 * Reviewer decisions. Every workflow that opens a review task handles this one update, so a
 * single API route can forward any decision to the workflow that owns the task.
 */
export const REVIEW_KINDS = ['enrollment', 'evidence', 'upgrade'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
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
  /** The evidence or upgrade request the task is about, when not an enrollment. */
  subjectId: string | null;
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
