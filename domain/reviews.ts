/**
 * The vocabulary of reviews: what a reviewer decides on, the states a task goes through and
 * the decisions on offer. Every workflow that opens a review task shares it.
 */
export const REVIEW_KINDS = ['enrollment', 'evidence', 'upgrade', 'competency', 'payment', 'consolidation', 'designation'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
/** `cancelled`: closed undecided because its subject went away (the partner withdrew). */
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected', 'changes_requested', 'expired', 'cancelled'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** `request_changes` sends the subject back to its partner; only some reviews offer it. */
export const REVIEW_DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const REVIEW_STATUS_AFTER: Record<ReviewDecision, ReviewStatus> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
};
