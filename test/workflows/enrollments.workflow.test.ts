import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issueRandomApiKey } from '../../lib/api-keys';
import type { PrismaClient } from '../../lib/database';
import type { EnrollmentApplication } from '../../domain/enrollment';
import { enrollmentProgressQuery, enrollmentRecordedUpdate, enrollmentWorkflowId } from '../../workflows/enrollments/definitions';
import { withdrawalWorkflowId } from '../../workflows/partners/definitions';
import { withdrawalWorkflow } from '../../workflows/partners/workflow';
import { enrollmentWorkflow } from '../../workflows/enrollments/workflow';
import { reviewDecisionUpdate } from '../../workflows/reviews/definitions';
import { createReviewerWithEmail, eventually, sampleApplication } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { type RunningTestWorker, startTimeSkippingRig, type TimeSkippingRig } from '../support/temporal';
import { DAY_MS } from '../../domain/time';

describe('enrollment workflow (time-skipping server, real activities and Postgres)', () => {
  let rig: TimeSkippingRig;
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;
  let worker: RunningTestWorker;

  beforeAll(async () => {
    rig = await startTimeSkippingRig();
    ({ env, prisma, worker } = rig);
  });

  afterAll(() => rig?.stop());

  async function startEnrollment(application: EnrollmentApplication) {
    const enrollmentId = randomUUID();
    const partnerId = randomUUID();
    const key = issueRandomApiKey();
    const handle = await env.client.workflow.start(enrollmentWorkflow, {
      workflowId: enrollmentWorkflowId(enrollmentId),
      taskQueue: worker.taskQueue,
      args: [{ enrollmentId, partnerId, partnerApiKey: { id: key.id, hash: key.hash }, application }],
    });
    return { handle, enrollmentId, partnerId };
  }

  /** Polls the query; time does not skip while nobody waits on the result. */
  async function openReview(handle: WorkflowHandle): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const progress = await handle.query(enrollmentProgressQuery);
      if (progress.status === 'in_review' && progress.reviewTaskId) return progress.reviewTaskId;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const history = await handle.fetchHistory();
    throw new Error(`the review never opened: ${JSON.stringify(history.events?.slice(-3))}`);
  }

  it('activates the partner at Registered when the reviewer approves', async () => {
    const { handle, enrollmentId, partnerId } = await startEnrollment(sampleApplication());
    const reviewTaskId = await openReview(handle);

    const review = await handle.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId, decision: 'approve', reason: 'meets the terms', decidedBy: 'reviewer-key' }],
    });
    expect(review).toMatchObject({ id: reviewTaskId, status: 'approved', decision: 'approve', decidedBy: 'reviewer-key' });
    expect(await handle.result()).toEqual({ status: 'active', reviewTaskId });

    const partner = await prisma.partner.findUniqueOrThrow({ where: { id: partnerId }, include: { locations: true } });
    expect(partner).toMatchObject({ status: 'active', level: 'registered' });
    expect(partner.activatedAt).toBeInstanceOf(Date);
    expect(partner.locations).toHaveLength(1);
    const steps = await prisma.enrollmentStep.findMany({ where: { enrollmentId }, orderBy: { position: 'asc' } });
    expect(steps.map((step) => [step.name, step.status])).toEqual([
      ['validate', 'completed'],
      ['record', 'completed'],
      ['review', 'approved'],
      ['requirements', 'completed'],
      ['activation', 'completed'],
    ]);
    // The membership the activation starts keeps its own trail (test/workflows/renewals.workflow.test.ts).
    const actions = await prisma.auditEvent.findMany({
      where: { entityId: { in: [enrollmentId, partnerId, reviewTaskId] }, entityType: { not: 'membership' } },
      orderBy: { at: 'asc' },
    });
    expect(actions.map((event) => event.action).sort()).toEqual(
      ['enrollment.submitted', 'review.opened', 'enrollment.in_review', 'review.decided', 'enrollment.activated', 'partner.active'].sort(),
    );
    await maybeRecordHistory(handle, 'enrollment-approved');
  });

  it('answers the API once the partner and its key are recorded, so the key it hands out works at once', async () => {
    const { handle, enrollmentId, partnerId } = await startEnrollment(sampleApplication());
    expect(await handle.executeUpdate(enrollmentRecordedUpdate)).toBe('submitted');
    // No polling: the update completes only after the record step committed.
    expect(await prisma.apiKey.count({ where: { partnerId } })).toBe(1);
    expect(await prisma.enrollment.findUnique({ where: { id: enrollmentId } })).toMatchObject({ partnerId });

    const reviewTaskId = await openReview(handle);
    expect(await handle.executeUpdate(enrollmentRecordedUpdate)).toBe('in_review');
    await handle.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId, decision: 'reject', reason: 'not a software business', decidedBy: 'reviewer-key' }],
    });
    expect(await handle.result()).toEqual({ status: 'rejected', reviewTaskId });
    await maybeRecordHistory(handle, 'enrollment-recorded-answered');
  });

  it('closes the enrollment undecided when the pending partner withdraws', async () => {
    const { handle, enrollmentId, partnerId } = await startEnrollment(sampleApplication());
    const reviewTaskId = await openReview(handle);
    const withdrawal = await rig.realTime.workflow.start(withdrawalWorkflow, {
      workflowId: withdrawalWorkflowId(partnerId),
      taskQueue: worker.taskQueue,
      args: [{ partnerId, reason: 'Changed plans', requestedBy: 'partner-key' }],
    });
    expect(await withdrawal.result()).toEqual({ status: 'withdrawn', refundedPaymentIds: [] });
    expect(await handle.result()).toEqual({ status: 'withdrawn', reviewTaskId });

    expect(await prisma.reviewTask.findUniqueOrThrow({ where: { id: reviewTaskId } })).toMatchObject({
      status: 'cancelled',
      decision: null,
    });
    expect(await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({
      status: 'withdrawn',
      statusReason: 'The partner withdrew: Changed plans',
    });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'withdrawn' });
    await maybeRecordHistory(handle, 'enrollment-withdrawn');
    await maybeRecordHistory(withdrawal, 'withdrawal-closes-enrollment');
  });

  it('rejects the partner when the reviewer rejects, and refuses a second decision', async () => {
    const { handle, partnerId } = await startEnrollment(sampleApplication());
    const reviewTaskId = await openReview(handle);

    await handle.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId, decision: 'reject', reason: 'not a software vendor partner', decidedBy: 'reviewer-key' }],
    });
    await expect(
      handle.executeUpdate(reviewDecisionUpdate, { args: [{ reviewTaskId, decision: 'approve', reason: '', decidedBy: 'other' }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    expect(await handle.result()).toEqual({ status: 'rejected', reviewTaskId });
    const partner = await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } });
    expect(partner.status).toBe('rejected');
    const task = await prisma.reviewTask.findUniqueOrThrow({ where: { id: reviewTaskId } });
    expect(task).toMatchObject({ status: 'rejected', reason: 'not a software vendor partner' });
    await maybeRecordHistory(handle, 'enrollment-rejected');
  });

  it('reminds reviewers 3 days before the 14-day deadline, then expires the enrollment', async () => {
    const reviewer = await createReviewerWithEmail(prisma, ['enrollment']);
    const { handle, enrollmentId, partnerId } = await startEnrollment(sampleApplication());
    const reviewTaskId = await openReview(handle);

    // Waiting on the result lets the test server skip the two weeks.
    expect(await handle.result()).toEqual({ status: 'expired', reviewTaskId });
    await reviewer.revoke();

    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const startedAt = Number(events[0].eventTime!.seconds);
    const scheduled = (name: string, kind?: string) =>
      events.find((event) => {
        const attributes = event.activityTaskScheduledEventAttributes;
        if (attributes?.activityType?.name !== name) return false;
        const input = JSON.parse(Buffer.from(attributes.input!.payloads![0].data!).toString()) as { kind?: string };
        return kind === undefined || input.kind === kind;
      });
    const reminder = scheduled('noticeReviewers', 'review-reminder');
    const expiry = scheduled('expireReviewTask');
    expect(reminder).toBeDefined();
    expect(expiry).toBeDefined();
    const reminderDay = ((Number(reminder!.eventTime!.seconds) - startedAt) * 1000) / DAY_MS;
    const expiryDay = ((Number(expiry!.eventTime!.seconds) - startedAt) * 1000) / DAY_MS;
    expect(reminderDay).toBeGreaterThanOrEqual(11);
    expect(reminderDay).toBeLessThan(11.01);
    expect(expiryDay).toBeGreaterThanOrEqual(14);
    expect(expiryDay).toBeLessThan(14.01);

    // The reviewer heard of the task and of its reminder; the partner of its enrollment and of its expiry.
    const toReviewer = await prisma.notification.findMany({ where: { recipient: reviewer.email }, orderBy: { createdAt: 'asc' } });
    expect(toReviewer.map((notice) => [notice.kind, notice.dedupeKey])).toEqual([
      ['review-task', `review:${reviewTaskId}:review-task:${reviewer.email}`],
      ['review-reminder', `review:${reviewTaskId}:review-reminder:${reviewer.email}`],
    ]);
    const notifications = await prisma.notification.findMany({ where: { partnerId }, orderBy: { createdAt: 'asc' } });
    expect(notifications.map((notice) => notice.kind)).toEqual(['enrollment-received', 'enrollment-expired']);
    expect(notifications.every((notice) => notice.sentAt instanceof Date)).toBe(true);
    // Other live enrollment reviewers of the shared database hear of it too; this reviewer got both mails.
    expect(worker.mailer.sent.filter((mail) => mail.to === reviewer.email && mail.body.includes(reviewTaskId))).toHaveLength(2);

    expect(await prisma.reviewTask.findUniqueOrThrow({ where: { id: reviewTaskId } })).toMatchObject({ status: 'expired' });
    expect(await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ status: 'expired' });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'rejected' });
    await expect(
      handle.executeUpdate(reviewDecisionUpdate, { args: [{ reviewTaskId, decision: 'approve', reason: '', decidedBy: 'late' }] }),
    ).rejects.toThrow();
    await maybeRecordHistory(handle, 'enrollment-expired');
  });

  it('still accepts a decision made after the reminder', async () => {
    const { handle } = await startEnrollment(sampleApplication());
    const reviewTaskId = await openReview(handle);
    await env.sleep(12 * DAY_MS);
    await handle.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId, decision: 'approve', reason: '', decidedBy: 'reviewer-key' }],
    });
    expect(await handle.result()).toEqual({ status: 'active', reviewTaskId });
  });

  it('activates a Gold applicant that does not meet Gold yet at Registered, with Gold as its target', async () => {
    const { handle, enrollmentId, partnerId } = await startEnrollment(sampleApplication('gold'));
    const reviewTaskId = await openReview(handle);
    await handle.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId, decision: 'approve', reason: '', decidedBy: 'reviewer-key' }],
    });

    expect(await handle.result()).toEqual({ status: 'active', reviewTaskId });
    const enrollment = await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId }, include: { steps: true } });
    expect(enrollment.statusReason).toBe('Activated at registered: gold needs points 0/120, competencies 0/1, and stays the target');
    expect(enrollment.steps.find((step) => step.name === 'requirements')).toMatchObject({ status: 'pending' });
    expect(enrollment.steps.find((step) => step.name === 'activation')).toMatchObject({ status: 'completed', detail: 'registered' });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({
      status: 'active',
      level: 'registered',
      targetLevel: 'gold',
    });
    // Its membership starts at Registered, like any activation's.
    await eventually(() => prisma.membership.findFirst({ where: { partnerId, level: 'registered' } }));
    await maybeRecordHistory(handle, 'enrollment-gold-activated-below-target');
  });

  it('rejects at validation an application the catalog does not allow, without a review', async () => {
    const application = sampleApplication();
    application.primaryLocation.country = 'FR';
    const { handle, enrollmentId, partnerId } = await startEnrollment(application);

    expect(await handle.result()).toEqual({ status: 'rejected', reviewTaskId: null });
    const enrollment = await prisma.enrollment.findUniqueOrThrow({ where: { id: enrollmentId }, include: { steps: true } });
    expect(enrollment.status).toBe('rejected');
    expect(enrollment.statusReason).toMatch(/primaryLocation.country/);
    expect(enrollment.steps.find((step) => step.name === 'validate')).toMatchObject({ status: 'failed' });
    expect(await prisma.reviewTask.count({ where: { partnerId } })).toBe(0);
  });
});
