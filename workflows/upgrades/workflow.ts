import { executeChild, patched, proxyActivities, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { noticePartnerSince } from '../partner-notices';
import { ReviewGate } from '../reviews/review-gate';
import { feePaymentWorkflowId } from '../payments/definitions';
import { feePaymentWorkflow } from '../payments/workflow';
import { membershipLevelChangedSignal } from '../renewals/definitions';
import { signalMembership } from '../renewals/signals';
import { PAYMENT_PENDING_REASON, type UpgradeInput, type UpgradeOutcome } from './definitions';

const { loadCatalogInForce, checkUpgradeEligibility, transitionUpgrade, quoteFee } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Before fee payment existed the level changed on approval, with payment marked pending. */
const UPGRADE_PAYS_ITS_FEE = 'upgrade-pays-its-fee';
/** Upgrades approved before memberships existed told none about the new level. */
const UPGRADE_TELLS_MEMBERSHIP = 'upgrade-tells-membership';
/** Before notices had templates, the partner heard nothing of the decision on its upgrade. */
const UPGRADE_NOTICES_PARTNER = 'upgrade-notices-partner';

/**
 * Upgrade: re-check eligibility under the catalog in force, refuse with what is missing, or
 * have a reviewer decide and change the level on approval.
 */
export async function upgradeWorkflow(input: UpgradeInput): Promise<UpgradeOutcome> {
  const { workflowId } = workflowInfo();
  const gate = new ReviewGate();
  const catalog = await loadCatalogInForce();
  const check = await checkUpgradeEligibility({ ...input, workflowId, asOf: new Date().toISOString() });
  // Not eligible, or another upgrade of the partner is in flight.
  if (check.missing.length > 0 || check.inProgress) return { status: 'refused', missing: check.missing };

  const notice = (decision: 'approved' | 'rejected', reason: string) =>
    noticePartnerSince(UPGRADE_NOTICES_PARTNER, {
      dedupeKey: `upgrade:${input.requestId}:${decision}`,
      kind: `upgrade-${decision}`,
      partnerId: input.partnerId,
      facts: { level: input.level, reason },
      path: `/v1/partners/${input.partnerId}/standing`,
    });

  const deadline = catalog.rules.upgradeReview;
  const { reviewTaskId } = await gate.open(
    {
      kind: 'upgrade',
      partnerId: input.partnerId,
      subjectId: input.requestId,
      summary: `Upgrade from ${check.fromLevel} to ${input.level} with ${check.points} points`,
    },
    deadline,
  );
  await transitionUpgrade({ requestId: input.requestId, workflowId, status: 'in_review', actor: 'system', reviewTaskId });

  const review = await gate.decide(deadline, {
    partnerId: input.partnerId,
    subject: 'Upgrade request awaits a decision',
    body: `Upgrade ${input.requestId} to ${input.level} awaits a decision (review ${reviewTaskId}).`,
  });
  if (review === 'expired') {
    await transitionUpgrade({
      requestId: input.requestId,
      workflowId,
      status: 'expired',
      actor: 'system',
      reason: 'No reviewer decided before the deadline',
    });
    return { status: 'expired', missing: [] };
  }
  if (review.decision === 'reject') {
    await transitionUpgrade({ requestId: input.requestId, workflowId, status: 'rejected', actor: review.decidedBy, reason: review.reason });
    await notice('rejected', review.reason);
    return { status: 'rejected', missing: [] };
  }
  if (!patched(UPGRADE_PAYS_ITS_FEE)) {
    await transitionUpgrade({
      requestId: input.requestId,
      workflowId,
      status: 'approved_payment_pending',
      actor: review.decidedBy,
      reason: PAYMENT_PENDING_REASON,
      newLevel: input.level,
    });
    return { status: 'approved_payment_pending', missing: [] };
  }

  const quote = await quoteFee({ partnerId: input.partnerId, purpose: 'upgrade', level: input.level, asOf: new Date().toISOString() });
  if (quote.draft) {
    const invoiceId = uuid4();
    await transitionUpgrade({
      requestId: input.requestId,
      workflowId,
      status: 'approved_payment_pending',
      actor: review.decidedBy,
      reason: `Approved; the level changes once invoice ${invoiceId} is paid`,
    });
    const fee = await executeChild(feePaymentWorkflow, {
      workflowId: feePaymentWorkflowId(invoiceId),
      args: [
        {
          invoiceId,
          partnerId: input.partnerId,
          purpose: 'upgrade',
          subjectId: input.requestId,
          draft: quote.draft,
          catalogVersionId: quote.catalogVersionId,
          rules: quote.rules,
        },
      ],
    });
    if (fee.status === 'void') {
      await transitionUpgrade({
        requestId: input.requestId,
        workflowId,
        status: 'payment_failed',
        actor: 'system',
        reason: `Invoice ${invoiceId} was not paid by the end of its grace period`,
      });
      return { status: 'payment_failed', missing: [] };
    }
  }
  await transitionUpgrade({ requestId: input.requestId, workflowId, status: 'approved', actor: review.decidedBy, newLevel: input.level });
  if (patched(UPGRADE_TELLS_MEMBERSHIP)) {
    await signalMembership(input.partnerId, membershipLevelChangedSignal, {
      level: input.level,
      cause: `Upgrade ${input.requestId} approved`,
    });
  }
  await notice('approved', '');
  return { status: 'approved', missing: [] };
}
