import { Worker } from '@temporalio/worker';
import { loadRecordedHistories } from '../support/histories';
import '../support/temporal';

/**
 * Every recorded history must replay on the current workflow code. A change that would break
 * running workflows (a reordered, renamed or removed command without `patched()`) fails here.
 */
describe('replay of recorded workflow histories', () => {
  const histories = loadRecordedHistories();

  it('has recorded histories to replay', () => {
    expect(histories.map((recorded) => recorded.name)).toEqual(
      expect.arrayContaining([
        'enrollment-approved',
        'enrollment-rejected',
        // Recorded before the enrollment, its fee and its review told anyone (patches *-notices-*).
        'enrollment-approved-before-notices',
        'enrollment-expired-before-notices',
        'enrollment-rejected-before-notices',
        'evidence-expired-before-notices',
        'fee-paid-before-notices',
        'fee-voided-before-notices',
        'payment-held-approved-before-notices',
        // Recorded before evidence, competency, upgrade and invoice-milestone decisions told the partner.
        'evidence-verified-before-notices',
        'upgrade-paid-before-notices',
        'competency-changes-requested-before-notices',
        'competency-revoked-before-notices',
        'competency-expired-before-notices',
        'fee-voided-before-milestone-notices',
        'consolidation-completed-before-notices',
        'webhook-registered',
        'webhook-delivered',
        'webhook-delivery-failed',
        'enrollment-expired',
        'enrollment-gold-awaiting-requirements',
        'evidence-verified',
        'evidence-expired',
        'upgrade-approved',
        'ledger-correction',
        'survey-answered',
        'competency-changes-requested',
        'competency-revoked',
        'competency-expired',
        'enrollment-gold-requirements-missing',
        'evidence-verified-signals-verifications',
        'upgrade-paid',
        'fee-paid',
        'fee-voided',
        'payment-held-approved',
        'withdrawal-fee-kept',
        'ledger-expiry',
        'benefit-purchased',
        'location-added',
        'consolidation-completed',
        'membership-renewed',
        'membership-renewed-year-2',
        'membership-renewed-year-3',
        'membership-lapsed',
        'membership-withdrawn',
        'withdrawal-ends-membership',
        'enrollment-starts-membership',
        'payment-bank-transfer-answered',
        'enrollment-gold-activated-below-target',
        'membership-renewed-competency-reverified',
        'competency-held-for-membership-year',
        'membership-terms-accepted',
        'terms-accepted',
        'catalog-rollout',
        'enrollment-recorded-answered',
        'enrollment-withdrawn',
        'withdrawal-closes-enrollment',
        'consolidation-declined',
        'support-incident-resolved',
        'support-incident-refused',
        'license-key-issued',
        'designation-granted',
        'designation-revoked',
        'designation-expired',
        'designation-refused',
        'designation-rejected',
        'profile-changed',
      ]),
    );
  });

  it.each(histories.map((recorded) => [recorded.name, recorded.history] as const))(
    'replays %s deterministically',
    async (name, history) => {
      await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, history, `replay-${name}`);
    },
  );
});
