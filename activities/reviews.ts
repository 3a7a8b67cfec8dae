import { ApplicationFailure } from '@temporalio/activity';
import { REVIEW_STATUS_AFTER } from '../domain/reviews';
import { type ReviewTaskView, toReviewTaskView } from '../queries/reviews';
import { type OpenReviewTaskInput, type ReviewDecisionInput, REVIEW_NOT_OPEN } from '../workflows/reviews/definitions';
import { recordAudit, recordChange } from '../lib/audit';
import type { ActivityDeps } from './deps';

export function createReviewActivities({ prisma, clock }: ActivityDeps) {
  /** A pending task closed without a decision, audited once; a decided one is left as it is. */
  const closeUndecided = async (reviewTaskId: string, status: 'expired' | 'cancelled', actor: string, reason?: string) => {
    const at = clock.now();
    await recordChange(
      prisma,
      at,
      (tx) => tx.reviewTask.updateMany({ where: { id: reviewTaskId, status: 'pending' }, data: { status, decidedAt: at } }),
      {
        dedupeKey: `review:${reviewTaskId}:${status}`,
        actor,
        entityType: 'review',
        entityId: reviewTaskId,
        action: `review.${status}`,
        before: { status: 'pending' },
        after: { status, ...(reason ? { reason } : {}) },
      },
    );
  };

  return {
    async openReviewTask(input: OpenReviewTaskInput): Promise<ReviewTaskView> {
      const at = clock.now();
      await recordChange(
        prisma,
        at,
        (tx) =>
          tx.reviewTask.createMany({
            data: [{ ...input, dueAt: new Date(input.dueAt), status: 'pending', createdAt: at }],
            skipDuplicates: true,
          }),
        {
          dedupeKey: `review:${input.id}:opened`,
          actor: 'system',
          entityType: 'review',
          entityId: input.id,
          action: 'review.opened',
          after: { kind: input.kind, partnerId: input.partnerId, dueAt: input.dueAt },
        },
      );
      return toReviewTaskView(await prisma.reviewTask.findUniqueOrThrow({ where: { id: input.id } }));
    },

    async recordReviewDecision(input: ReviewDecisionInput): Promise<ReviewTaskView> {
      const at = clock.now();
      const status = REVIEW_STATUS_AFTER[input.decision];
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.reviewTask.updateMany({
          where: { id: input.reviewTaskId, status: 'pending' },
          data: { status, decision: input.decision, reason: input.reason, decidedBy: input.decidedBy, decidedAt: at },
        });
        const task = await tx.reviewTask.findUniqueOrThrow({ where: { id: input.reviewTaskId } });
        if (count === 0 && !(task.decision === input.decision && task.decidedBy === input.decidedBy)) {
          throw ApplicationFailure.nonRetryable(`Review ${task.id} is already ${task.status}`, REVIEW_NOT_OPEN);
        }
        await recordAudit(tx, at, [
          {
            dedupeKey: `review:${task.id}:decided`,
            actor: input.decidedBy,
            entityType: 'review',
            entityId: task.id,
            action: 'review.decided',
            before: { status: 'pending' },
            after: { status, reason: input.reason },
          },
        ]);
        return toReviewTaskView(task);
      });
    },

    async expireReviewTask(reviewTaskId: string): Promise<void> {
      await closeUndecided(reviewTaskId, 'expired', 'system');
    },

    /** Closes an undecided task whose subject went away; a decision taken meanwhile stands. */
    async cancelReviewTask(input: { reviewTaskId: string; actor: string; reason: string }): Promise<void> {
      await closeUndecided(input.reviewTaskId, 'cancelled', input.actor, input.reason);
    },
  };
}
