import type { ReviewTask } from '../prisma/generated/client';
import type { ReviewTaskView } from '../workflows/reviews/definitions';

/** The JSON view of a review row, shared by the activities (update results) and the API. */
export function toReviewTaskView(task: ReviewTask): ReviewTaskView {
  return {
    id: task.id,
    kind: task.kind as ReviewTaskView['kind'],
    partnerId: task.partnerId,
    enrollmentId: task.enrollmentId,
    subjectId: task.subjectId,
    workflowId: task.workflowId,
    status: task.status as ReviewTaskView['status'],
    summary: task.summary,
    dueAt: task.dueAt.toISOString(),
    decision: task.decision as ReviewTaskView['decision'],
    reason: task.reason,
    decidedBy: task.decidedBy,
    decidedAt: task.decidedAt?.toISOString() ?? null,
    createdAt: task.createdAt.toISOString(),
  };
}
