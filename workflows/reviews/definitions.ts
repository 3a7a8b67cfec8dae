import { defineUpdate } from '@temporalio/workflow';

/**
 * Reviewer decisions. Every workflow that opens a review task handles this one update, so a
 * single API route can forward any decision to the workflow that owns the task.
 */
export const REVIEW_KINDS = ['enrollment', 'evidence', 'upgrade', 'competency', 'payment', 'consolidation'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected', 'changes_requested', 'expired'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** `request_changes` sends the subject back to its partner; only some reviews offer it. */
export const REVIEW_DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const REVIEW_STATUS_AFTER: Record<ReviewDecision, ReviewStatus> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
};

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
  /** The evidence, upgrade request or partner competency the task is about, when not an enrollment. */
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

/** Failure types an update validator raises; the API maps a closed review to 409. */
export const REVIEW_NOT_OPEN = 'ReviewNotOpen';
/** A decision this kind of review does not offer; the API answers 422. */
export const DECISION_NOT_OFFERED = 'DecisionNotOffered';

export const reviewDecisionUpdate = defineUpdate<ReviewTaskView, [ReviewDecisionInput]>('reviewDecision');
