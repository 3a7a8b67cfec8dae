import { allHandlersFinished, condition, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import type { EnrollmentTransition } from '../../activities/enrollment';
import { validateApplication } from '../../domain/enrollment';
import { ReviewGate } from '../reviews/review-gate';
import { type EnrollmentInput, type EnrollmentProgress, type EnrollmentStatus, enrollmentProgressQuery } from './definitions';

const { loadCatalogInForce, registerApplicant, transitionEnrollment } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

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

  setHandler(enrollmentProgressQuery, () => progress);

  const transition = async (change: Omit<EnrollmentTransition, 'workflowId' | 'enrollmentId' | 'partnerId'>) => {
    await transitionEnrollment({ workflowId, enrollmentId, partnerId, ...change });
    progress.status = change.status;
  };
  const finish = async (): Promise<EnrollmentOutcome> => {
    await condition(allHandlersFinished);
    return { status: progress.status, reviewTaskId: progress.reviewTaskId };
  };

  const catalog = await loadCatalogInForce();
  const problems = validateApplication(application, catalog.levelCodes);
  await registerApplicant({ ...input, workflowId, primaryLocationId: uuid4(), catalogVersionId: catalog.catalogVersionId, problems });
  if (problems.length > 0) {
    progress.status = 'rejected';
    return finish();
  }

  const deadline = catalog.rules.enrollmentReview;
  const reviewTaskId = uuid4();
  const dueAt = await gate.open(
    {
      id: reviewTaskId,
      kind: 'enrollment',
      workflowId,
      partnerId,
      enrollmentId,
      summary: `${application.organization.legalName} (${application.organization.country}) asks to enroll at ${application.requestedLevel}`,
    },
    deadline,
  );
  progress.reviewTaskId = reviewTaskId;
  progress.reviewDueAt = dueAt;
  await transition({
    actor: 'system',
    action: 'enrollment.in_review',
    status: 'in_review',
    steps: [{ name: 'review', status: 'waiting', detail: `due ${dueAt}` }],
  });

  const review = await gate.decide(deadline, {
    partnerId,
    subject: `Enrollment review due ${dueAt}`,
    body: `The enrollment of ${application.organization.legalName} awaits a decision (review ${reviewTaskId}).`,
  });
  if (review === 'expired') {
    await transition({
      actor: 'system',
      action: 'enrollment.expired',
      status: 'expired',
      reason: 'No reviewer decided before the deadline',
      steps: [{ name: 'review', status: 'expired' }],
      partner: { status: 'rejected' },
    });
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
    return finish();
  }

  if (application.requestedLevel !== 'registered') {
    // Certified and Gold need Partner Points, a granted Competency and the annual fee.
    // Those processes do not exist yet, so the enrollment honestly stays pending here.
    await transition({
      actor: review.decidedBy,
      action: 'enrollment.awaiting_requirements',
      status: 'awaiting_requirements',
      reason: `${application.requestedLevel} needs Partner Points, a granted Competency and fee payment, which this release cannot verify yet`,
      steps: [
        { name: 'review', status: 'approved', detail: review.reason || undefined },
        { name: 'requirements', status: 'pending', detail: 'points, competency and fee verification are not available yet' },
      ],
    });
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
  return finish();
}
