import { getExternalWorkflowHandle, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { enrollmentWithdrawnSignal } from '../enrollments/definitions';
import { membershipWithdrawnSignal, termsAcceptedSignal } from '../renewals/definitions';
import { signalMembership } from '../renewals/signals';
import type { TermsAccepted, TermsAcceptanceInput, WithdrawalInput, WithdrawalOutcome } from './definitions';

const { loadCatalogInForce, withdrawPartner, openEnrollmentOf, listRefundablePayments, refundPayment, recordTermsAcceptance } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Withdrawals recorded before memberships existed had no membership to end. */
const WITHDRAWAL_ENDS_MEMBERSHIP = 'withdrawal-ends-membership';
/** Before this, a pending partner's enrollment went on after it withdrew. */
const WITHDRAWAL_CLOSES_ENROLLMENT = 'withdrawal-closes-enrollment';

/**
 * A partner leaves the program. As compensation for the membership it will not use, every fee
 * paid within the catalog's refund window is returned; older fees are kept.
 */
export async function withdrawalWorkflow(input: WithdrawalInput): Promise<WithdrawalOutcome> {
  const catalog = await loadCatalogInForce();
  if (!(await withdrawPartner(input))) return { status: 'not_open', refundedPaymentIds: [] };
  if (patched(WITHDRAWAL_CLOSES_ENROLLMENT)) {
    const enrollmentWorkflowId = await openEnrollmentOf(input.partnerId);
    // One that ended meanwhile has nothing to close; its last transition saw the partner withdrawn.
    if (enrollmentWorkflowId) {
      await getExternalWorkflowHandle(enrollmentWorkflowId)
        .signal(enrollmentWithdrawnSignal, { actor: input.requestedBy, reason: input.reason })
        .catch(() => undefined);
    }
  }
  const refundable = await listRefundablePayments({
    partnerId: input.partnerId,
    asOf: new Date().toISOString(),
    refundWindowDays: catalog.rules.feePayment.refundWindowDays,
  });
  for (const paymentId of refundable) {
    await refundPayment({ paymentId, reason: `Withdrawal within the ${catalog.rules.feePayment.refundWindowDays}-day refund window` });
  }
  if (patched(WITHDRAWAL_ENDS_MEMBERSHIP)) {
    await signalMembership(input.partnerId, membershipWithdrawnSignal, { reason: input.reason, requestedBy: input.requestedBy });
  }
  return { status: 'withdrawn', refundedPaymentIds: refundable };
}

/** The partner accepts the program terms in force: on record, and a renewal waiting for them goes on. */
export async function termsAcceptanceWorkflow(input: TermsAcceptanceInput): Promise<TermsAccepted> {
  const accepted = await recordTermsAcceptance(input);
  await signalMembership(input.partnerId, termsAcceptedSignal, { version: input.version });
  return accepted;
}
