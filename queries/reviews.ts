import type { ReviewDecision, ReviewKind, ReviewStatus } from '../domain/reviews';
import type { DatabaseReader } from '../lib/database';
import type { ReviewTask } from '../prisma/generated/client';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

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

/** The JSON view of a review row, shared by the activities (update results) and the API. */
export function toReviewTaskView(task: ReviewTask): ReviewTaskView {
  return {
    id: task.id,
    kind: task.kind as ReviewKind,
    partnerId: task.partnerId,
    enrollmentId: task.enrollmentId,
    subjectId: task.subjectId,
    workflowId: task.workflowId,
    status: task.status as ReviewStatus,
    summary: task.summary,
    dueAt: task.dueAt.toISOString(),
    decision: task.decision as ReviewDecision | null,
    reason: task.reason,
    decidedBy: task.decidedBy,
    decidedAt: task.decidedAt?.toISOString() ?? null,
    createdAt: task.createdAt.toISOString(),
  };
}

export async function findReviewTask(db: DatabaseReader, id: string): Promise<ReviewTaskView | null> {
  const task = await db.reviewTask.findUnique({ where: { id } });
  return task && toReviewTaskView(task);
}

/** Review tasks oldest first, so the queue is worked in arrival order; keyset-paginated. */
export async function listReviewTasks(
  db: DatabaseReader,
  filter: { status?: ReviewStatus; kind?: ReviewKind },
  page: PageRequest,
): Promise<KeysetPage<ReviewTaskView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id');
  const rows = await db.reviewTask.findMany({ where: { ...filter, ...keyset.where }, orderBy: keyset.orderBy, take: keyset.take });
  return keyset.page(rows, toReviewTaskView);
}
