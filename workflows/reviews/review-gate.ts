import { ApplicationFailure, condition, patched, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ReviewDeadline } from '../../domain/catalog';
import type { ReviewDecision, ReviewKind } from '../../domain/reviews';
import { DAY_MS } from '../../domain/time';
import type { ReviewTaskView } from '../../queries/reviews';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import {
  DECISION_NOT_OFFERED,
  type OpenReviewTaskInput,
  type ReviewDecisionInput,
  REVIEW_NOT_OPEN,
  reviewDecisionUpdate,
} from './definitions';

const { openReviewTask, recordReviewDecision, expireReviewTask, cancelReviewTask, sendNotification, noticeReviewers } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Before reviewers had addresses, a new task told nobody and the reminder went to the literal `reviewers`. */
const REVIEWERS_HEAR_OF_TASKS = 'review-gate-notices-reviewers';

/** What a workflow says of the task it opens; the gate adds its id, the workflow's id and the due date. */
export type ReviewTaskRequest = Omit<OpenReviewTaskInput, 'id' | 'workflowId' | 'enrollmentId' | 'dueAt'> & { enrollmentId?: string };

/**
 * The human step every reviewed workflow shares: accepts the `reviewDecision` update for its
 * open task, reminds before the deadline, expires the task at it, and answers the update with
 * the review as recorded. A workflow may open one task after another, never two at once.
 */
export class ReviewGate {
  private reviewTaskId: string | null = null;
  /** What the reviewers' notices of the open task say. */
  private opened: { reviewKind: ReviewKind; summary: string; dueAt: string } | null = null;
  private accepting = false;
  private decision: ReviewDecisionInput | undefined;
  /** By task id: an update still waiting for its answer must not see the next task's review. */
  private readonly recorded = new Map<string, ReviewTaskView>();

  constructor(private readonly offered: readonly ReviewDecision[] = ['approve', 'reject']) {
    setHandler(
      reviewDecisionUpdate,
      async (submitted) => {
        this.decision = submitted;
        await condition(() => this.recorded.has(submitted.reviewTaskId));
        return this.recorded.get(submitted.reviewTaskId)!;
      },
      {
        validator: (submitted) => {
          if (!this.accepting || submitted.reviewTaskId !== this.reviewTaskId || this.decision) {
            throw ApplicationFailure.nonRetryable('This review is not open for a decision', REVIEW_NOT_OPEN);
          }
          if (!this.offered.includes(submitted.decision)) {
            throw ApplicationFailure.nonRetryable(
              `This review offers ${this.offered.join(', ')}; not ${submitted.decision}`,
              DECISION_NOT_OFFERED,
            );
          }
        },
      },
    );
  }

  /**
   * Stores a new review task for this workflow, due after the deadline, and starts accepting
   * decisions for it first, so even the fastest reviewer's decision is taken.
   */
  async open(task: ReviewTaskRequest, deadline: ReviewDeadline): Promise<{ reviewTaskId: string; dueAt: string }> {
    const reviewTaskId = uuid4();
    const dueAt = reviewDueAt(deadline);
    this.reviewTaskId = reviewTaskId;
    this.decision = undefined;
    this.accepting = true;
    await openReviewTask({ id: reviewTaskId, workflowId: workflowInfo().workflowId, enrollmentId: null, ...task, dueAt });
    this.opened = { reviewKind: task.kind, summary: task.summary, dueAt };
    if (patched(REVIEWERS_HEAR_OF_TASKS)) await this.noticeReviewers('review-task');
    return { reviewTaskId, dueAt };
  }

  /**
   * Waits for the decision and records it; reminds reviewers once, `reminderDaysBeforeDeadline`
   * before the deadline; at the deadline expires the task and answers 'expired'.
   */
  async decide(deadline: ReviewDeadline, reminder: ReviewReminder): Promise<ReviewDecisionInput | 'expired'> {
    return (await this.wait(deadline, reminder, () => false)) as ReviewDecisionInput | 'expired';
  }

  /**
   * As `decide`, but the subject may go away meanwhile (the partner withdraws): then the task is
   * cancelled undecided, refusing any later decision, and the answer is 'cancelled'.
   */
  async decideUnless(
    cancelled: () => { actor: string; reason: string } | null,
    deadline: ReviewDeadline,
    reminder: ReviewReminder,
  ): Promise<ReviewDecisionInput | 'expired' | 'cancelled'> {
    const outcome = await this.wait(deadline, reminder, () => cancelled() !== null);
    if (outcome !== 'cancelled') return outcome;
    this.accepting = false;
    await cancelReviewTask({ reviewTaskId: this.reviewTaskId!, ...cancelled()! });
    return 'cancelled';
  }

  private async noticeReviewers(kind: 'review-task' | 'review-reminder'): Promise<void> {
    const { reviewKind, summary, dueAt } = this.opened!;
    await noticeReviewers({
      dedupeKey: `review:${this.reviewTaskId}:${kind}`,
      kind,
      reviewTaskId: this.reviewTaskId!,
      reviewKind,
      facts: { summary, dueAt },
    });
  }

  private async wait(
    deadline: ReviewDeadline,
    reminder: ReviewReminder,
    stop: () => boolean,
  ): Promise<ReviewDecisionInput | 'expired' | 'cancelled'> {
    const decided = () => this.decision !== undefined;
    const settled = () => decided() || stop();
    if (!(await condition(settled, (deadline.deadlineDays - deadline.reminderDaysBeforeDeadline) * DAY_MS))) {
      if (patched(REVIEWERS_HEAR_OF_TASKS)) await this.noticeReviewers('review-reminder');
      else
        await sendNotification({
          dedupeKey: `review:${this.reviewTaskId}:reminder`,
          kind: 'review-reminder',
          recipient: 'reviewers',
          ...reminder,
        });
      if (!(await condition(settled, deadline.reminderDaysBeforeDeadline * DAY_MS))) {
        this.accepting = false;
        await expireReviewTask(this.reviewTaskId!);
        return 'expired';
      }
    }
    if (!decided()) return 'cancelled';
    const decision = this.decision!;
    this.accepting = false;
    this.recorded.set(decision.reviewTaskId, await recordReviewDecision(decision));
    return decision;
  }
}

export interface ReviewReminder {
  partnerId: string;
  subject: string;
  body: string;
}

function reviewDueAt(deadline: ReviewDeadline): string {
  return new Date(Date.now() + deadline.deadlineDays * DAY_MS).toISOString();
}
