import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import type { ReviewDeadline } from '../../domain/catalog';
import { type ReviewDecisionInput, type ReviewTaskView, REVIEW_NOT_OPEN, reviewDecisionUpdate } from './definitions';

const { recordReviewDecision, expireReviewTask } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The human step every reviewed workflow shares: accepts the `reviewDecision` update for its
 * one open task, reminds before the deadline, expires the task at it, and answers the update
 * with the review as recorded.
 */
export class ReviewGate {
  private reviewTaskId: string | null = null;
  private open = false;
  private decision: ReviewDecisionInput | undefined;
  private recorded: ReviewTaskView | undefined;

  constructor() {
    setHandler(
      reviewDecisionUpdate,
      async (submitted) => {
        this.decision = submitted;
        await condition(() => this.recorded !== undefined);
        return this.recorded!;
      },
      {
        validator: (submitted) => {
          if (!this.open || submitted.reviewTaskId !== this.reviewTaskId || this.decision) {
            throw ApplicationFailure.nonRetryable('This review is not open for a decision', REVIEW_NOT_OPEN);
          }
        },
      },
    );
  }

  /** Call before the task is stored, so even the fastest reviewer's decision is accepted. */
  accept(reviewTaskId: string): void {
    this.reviewTaskId = reviewTaskId;
    this.open = true;
  }

  /**
   * Waits for the decision and records it; on the deadline, expires the task and answers
   * 'expired'. `remind` runs once, `reminderDaysBeforeDeadline` before the deadline.
   */
  async decide(deadline: ReviewDeadline, remind: () => Promise<void>): Promise<ReviewDecisionInput | 'expired'> {
    const decided = () => this.decision !== undefined;
    if (!(await condition(decided, (deadline.deadlineDays - deadline.reminderDaysBeforeDeadline) * DAY_MS))) {
      await remind();
      if (!(await condition(decided, deadline.reminderDaysBeforeDeadline * DAY_MS))) {
        this.open = false;
        await expireReviewTask(this.reviewTaskId!);
        return 'expired';
      }
    }
    const decision = this.decision!;
    this.recorded = await recordReviewDecision(decision);
    return decision;
  }
}

export function reviewDueAt(deadline: ReviewDeadline): string {
  return new Date(Date.now() + deadline.deadlineDays * DAY_MS).toISOString();
}
