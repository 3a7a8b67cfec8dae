import {
  allHandlersFinished,
  condition,
  executeChild,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { noticePartnerSince } from '../partner-notices';
import type { LevelCode } from '../../domain/catalog';
import { validateApplication } from '../../domain/enrollment';
import { feePaymentWorkflowId } from '../payments/definitions';
import { feePaymentWorkflow } from '../payments/workflow';
import { membershipWorkflowId } from '../renewals/definitions';
import { membershipWorkflow } from '../renewals/workflow';
import type { ReviewDecisionInput } from '../reviews/definitions';
import { ReviewGate } from '../reviews/review-gate';
import {
  type EnrollmentInput,
  type EnrollmentProgress,
  type EnrollmentStatus,
  type EnrollmentTransition,
  enrollmentProgressQuery,
  enrollmentRecordedUpdate,
  enrollmentWithdrawnSignal,
  type StepUpdate,
} from './definitions';

const { loadCatalogInForce, registerApplicant, transitionEnrollment, missingForLevelNow, quoteFee } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Before fee payment existed, every approved Certified or Gold enrollment waited at `awaiting_requirements`. */
const ENROLLMENT_PAYS_ITS_FEE = 'enrollment-pays-its-fee';
/** Before memberships existed, activation started no membership workflow. */
const ENROLLMENT_STARTS_MEMBERSHIP = 'enrollment-starts-membership';
/** Before targets existed, an organization approved below the level it asked for waited at `awaiting_requirements` for good. */
const ENROLLMENT_ACTIVATES_BELOW_TARGET = 'enrollment-activates-below-target';

/** Before notices had templates, the partner heard nothing of its enrollment until its invoice. */
const ENROLLMENT_NOTICES_PARTNER = 'enrollment-notices-partner';

export interface EnrollmentOutcome {
  status: EnrollmentStatus;
  reviewTaskId: string | null;
}

/**
 * Enrollment: validate, record the partner, have a reviewer decide before a deadline (with a
 * reminder), then activate at Registered or close the enrollment.
 */
export async function enrollmentWorkflow(input: EnrollmentInput): Promise<EnrollmentOutcome> {
  const { workflowId } = workflowInfo();
  const { enrollmentId, partnerId, application } = input;
  const progress: EnrollmentProgress = { status: 'submitted', reviewTaskId: null, reviewDueAt: null };
  const gate = new ReviewGate();

  let recorded = false;
  let withdrawal: { actor: string; reason: string } | null = null;
  setHandler(enrollmentProgressQuery, () => progress);
  setHandler(enrollmentWithdrawnSignal, (withdrawn) => {
    withdrawal ??= withdrawn;
  });
  setHandler(enrollmentRecordedUpdate, async () => {
    await condition(() => recorded);
    return progress.status;
  });

  // The status recorded, which is `withdrawn` when the partner left meanwhile (histories from
  // before the activity answered it carry none: the change's own status then).
  const transition = async (change: TransitionChange) => {
    const recordedStatus = await transitionEnrollment({ workflowId, enrollmentId, partnerId, ...change });
    progress.status = recordedStatus ?? change.status;
  };
  const notice = async (
    kind: 'enrollment-received' | 'enrollment-approved' | 'enrollment-rejected' | 'enrollment-expired',
    facts: Record<string, string | null>,
  ) => {
    await noticePartnerSince(ENROLLMENT_NOTICES_PARTNER, { dedupeKey: `enrollment:${enrollmentId}:${kind}`, kind, partnerId, facts });
  };
  const finish = async (): Promise<EnrollmentOutcome> => {
    await condition(allHandlersFinished);
    return { status: progress.status, reviewTaskId: progress.reviewTaskId };
  };

  const catalog = await loadCatalogInForce();
  const problems = validateApplication(application, { levelCodes: catalog.levelCodes, programTerms: catalog.rules.programTerms });
  await registerApplicant({ ...input, workflowId, primaryLocationId: uuid4(), catalogVersionId: catalog.catalogVersionId, problems });
  recorded = true;
  if (problems.length > 0) {
    progress.status = 'rejected';
    await notice('enrollment-rejected', { reason: problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; ') });
    return finish();
  }

  const deadline = catalog.rules.enrollmentReview;
  const { reviewTaskId, dueAt } = await gate.open(
    {
      kind: 'enrollment',
      partnerId,
      enrollmentId,
      summary: `${application.organization.legalName} (${application.organization.country}) asks to enroll at ${application.requestedLevel}`,
    },
    deadline,
  );
  progress.reviewTaskId = reviewTaskId;
  progress.reviewDueAt = dueAt;
  await notice('enrollment-received', { requestedLevel: application.requestedLevel, dueOn: dueAt.slice(0, 10) });
  await transition({
    actor: 'system',
    action: 'enrollment.in_review',
    status: 'in_review',
    steps: [{ name: 'review', status: 'waiting', detail: `due ${dueAt}` }],
  });

  const review = await gate.decideUnless(() => withdrawal, deadline, {
    partnerId,
    subject: `Enrollment review due ${dueAt}`,
    body: `The enrollment of ${application.organization.legalName} awaits a decision (review ${reviewTaskId}).`,
  });
  if (review === 'cancelled') {
    await transition({
      actor: withdrawal!.actor,
      action: 'enrollment.withdrawn',
      status: 'withdrawn',
      reason: `The partner withdrew: ${withdrawal!.reason}`,
      steps: [{ name: 'review', status: 'cancelled' }],
    });
    return finish();
  }
  if (review === 'expired') {
    await transition({
      actor: 'system',
      action: 'enrollment.expired',
      status: 'expired',
      reason: 'No reviewer decided before the deadline',
      steps: [{ name: 'review', status: 'expired' }],
      partner: { status: 'rejected' },
    });
    await notice('enrollment-expired', {});
    return finish();
  }
  if (review.decision === 'reject') {
    await transition({
      actor: review.decidedBy,
      action: 'enrollment.rejected',
      status: 'rejected',
      reason: review.reason,
      steps: [{ name: 'review', status: 'rejected', detail: review.reason }],
      partner: { status: 'rejected' },
    });
    await notice('enrollment-rejected', { reason: review.reason });
    return finish();
  }

  await notice('enrollment-approved', { reason: review.reason || null });
  const reviewStep = { name: 'review' as const, status: 'approved' as const, detail: review.reason || undefined };
  const level = application.requestedLevel;
  if (level !== 'registered' && patched(ENROLLMENT_PAYS_ITS_FEE)) {
    const missing = await missingForLevelNow({ partnerId, level, asOf: new Date().toISOString() });
    if (missing.length > 0) {
      const needs = `${level} needs ${missing.map((item) => `${item.requirement} ${item.have}/${item.need}`).join(', ')}`;
      const requirementsStep = { name: 'requirements' as const, status: 'pending' as const, detail: JSON.stringify(missing) };
      // The organization joins at Registered and keeps the level it asked for as its target.
      const belowTarget = patched(ENROLLMENT_ACTIVATES_BELOW_TARGET);
      await transition({
        actor: review.decidedBy,
        ...(belowTarget
          ? {
              action: 'enrollment.activated',
              status: 'active',
              reason: `Activated at registered: ${needs}, and stays the target`,
              steps: [reviewStep, requirementsStep, { name: 'activation', status: 'completed', detail: 'registered' }],
              partner: { status: 'active', level: 'registered', activated: true, targetLevel: level },
            }
          : {
              action: 'enrollment.awaiting_requirements',
              status: 'awaiting_requirements',
              reason: needs,
              steps: [reviewStep, requirementsStep],
            }),
      });
      if (belowTarget && progress.status === 'active') await startMembership(partnerId, 'registered');
      return finish();
    }
    const paymentStep = await payEnrollmentFee({ partnerId, enrollmentId, level }, (invoiceId) =>
      transition({
        actor: review.decidedBy,
        action: 'enrollment.awaiting_payment',
        status: 'awaiting_payment',
        steps: [
          reviewStep,
          { name: 'requirements', status: 'completed' },
          { name: 'payment', status: 'waiting', detail: `invoice ${invoiceId}` },
        ],
      }),
    );
    // An unpaid fee fails the payment step; the approved organization still joins, at Registered.
    const activeLevel = paymentStep.status === 'completed' ? level : 'registered';
    await transition({
      actor: review.decidedBy,
      action: 'enrollment.activated',
      status: 'active',
      reason: activeLevel === level ? undefined : `The ${level} fee was not paid; activated at registered`,
      steps: [
        reviewStep,
        { name: 'requirements', status: 'completed' },
        paymentStep,
        { name: 'activation', status: 'completed', detail: activeLevel },
      ],
      partner: { status: 'active', level: activeLevel, activated: true },
    });
    if (progress.status === 'active') await startMembership(partnerId, activeLevel);
    return finish();
  }

  if (application.requestedLevel !== 'registered') {
    await transition(requirementsNotVerifiable(application.requestedLevel, review));
    return finish();
  }

  await transition({
    actor: review.decidedBy,
    action: 'enrollment.activated',
    status: 'active',
    steps: [
      { name: 'review', status: 'approved', detail: review.reason || undefined },
      { name: 'requirements', status: 'completed', detail: 'program terms accepted; one primary location' },
      { name: 'activation', status: 'completed' },
    ],
    partner: { status: 'active', level: 'registered', activated: true },
  });
  if (progress.status === 'active') await startMembership(partnerId, 'registered');
  return finish();
}

type TransitionChange = Omit<EnrollmentTransition, 'workflowId' | 'enrollmentId' | 'partnerId'>;

/** Executions started before fee payment existed keep the path they recorded: the level waits for checks not built then. */
function requirementsNotVerifiable(level: LevelCode, review: ReviewDecisionInput): TransitionChange {
  return {
    actor: review.decidedBy,
    action: 'enrollment.awaiting_requirements',
    status: 'awaiting_requirements',
    reason: `${level} needs Partner Points, a granted Competency and fee payment, which this release cannot verify yet`,
    steps: [
      { name: 'review', status: 'approved', detail: review.reason || undefined },
      { name: 'requirements', status: 'pending', detail: 'points, competency and fee verification are not available yet' },
    ],
  };
}

/**
 * The partner's membership starts with its first term at activation and outlives the
 * enrollment (abandoned on close). One already running for the partner is left as it is.
 */
async function startMembership(partnerId: string, level: LevelCode): Promise<void> {
  if (!patched(ENROLLMENT_STARTS_MEMBERSHIP)) return;
  await startChild(membershipWorkflow, {
    workflowId: membershipWorkflowId(partnerId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [{ partnerId, termNumber: 1, level, termStart: new Date().toISOString() }],
  }).catch((error: unknown) => {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  });
}

type PaymentStep = StepUpdate & { name: 'payment'; status: 'completed' | 'failed'; detail: string };

/**
 * The level's fee, when it has one here: an invoice through a fee-payment child, announced by
 * `awaitingPayment` before the child starts. Answers the payment step as it ended.
 */
async function payEnrollmentFee(
  enrollment: { partnerId: string; enrollmentId: string; level: LevelCode },
  awaitingPayment: (invoiceId: string) => Promise<void>,
): Promise<PaymentStep> {
  const { partnerId, enrollmentId, level } = enrollment;
  const quote = await quoteFee({ partnerId, purpose: 'enrollment', level, asOf: new Date().toISOString() });
  if (!quote.draft) return { name: 'payment', status: 'completed', detail: 'no fee for this level here' };
  const invoiceId = uuid4();
  await awaitingPayment(invoiceId);
  const fee = await executeChild(feePaymentWorkflow, {
    workflowId: feePaymentWorkflowId(invoiceId),
    args: [
      {
        invoiceId,
        partnerId,
        purpose: 'enrollment',
        subjectId: enrollmentId,
        draft: quote.draft,
        catalogVersionId: quote.catalogVersionId,
        rules: quote.rules,
      },
    ],
  });
  return { name: 'payment', status: fee.status === 'paid' ? 'completed' : 'failed', detail: `invoice ${invoiceId} ${fee.status}` };
}
