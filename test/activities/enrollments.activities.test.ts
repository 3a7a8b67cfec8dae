import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { RegisterApplicantInput } from '../../activities/enrollments';
import { issueRandomApiKey } from '../../lib/api-keys';
import type { PrismaClient } from '../../lib/database';
import { REVIEW_NOT_OPEN } from '../../workflows/reviews/definitions';
import { RecordingMailer, RecordingPaymentProvider, sampleApplication, testPrisma } from '../support/fixtures';

describe('enrollment, review and notification activities (real Postgres)', () => {
  let prisma: PrismaClient;
  let mailer: RecordingMailer;
  let activities: ReturnType<typeof createActivities>;
  const env = new MockActivityEnvironment();

  beforeAll(() => {
    prisma = testPrisma();
    mailer = new RecordingMailer();
    activities = createActivities({
      prisma,
      mailer,
      payments: new RecordingPaymentProvider(),
      clock: { now: () => new Date('2026-11-25T12:00:00Z') },
    });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  function applicant(overrides: Partial<RegisterApplicantInput> = {}): RegisterApplicantInput {
    const enrollmentId = randomUUID();
    const key = issueRandomApiKey();
    return {
      enrollmentId,
      partnerId: randomUUID(),
      partnerApiKey: { id: key.id, hash: key.hash },
      application: sampleApplication(),
      workflowId: `enrollment-${enrollmentId}`,
      primaryLocationId: randomUUID(),
      catalogVersionId: '2026.1',
      problems: [],
      ...overrides,
    };
  }

  /** The reviewer's approval of an applicant at Registered, as the workflow records it. */
  function activation(input: RegisterApplicantInput) {
    return {
      workflowId: input.workflowId,
      enrollmentId: input.enrollmentId,
      partnerId: input.partnerId,
      actor: 'reviewer-1',
      action: 'enrollment.activated',
      status: 'active' as const,
      steps: [{ name: 'activation' as const, status: 'completed' as const }],
      partner: { status: 'active' as const, level: 'registered' as const, activated: true },
    };
  }

  it('loads the catalog in force with its levels and review rules', async () => {
    const catalog = await env.run(activities.loadCatalogInForce);
    expect(catalog).toMatchObject({
      catalogVersionId: '2026.1',
      levelCodes: ['registered', 'certified', 'gold'],
      rules: { enrollmentReview: { deadlineDays: 14, reminderDaysBeforeDeadline: 3 }, pointsWindowDays: 365 },
    });
  });

  it('registers an applicant once, however often the activity is retried', async () => {
    const input = applicant();
    await env.run(activities.registerApplicant, input);
    await env.run(activities.registerApplicant, input);

    expect(await prisma.partner.count({ where: { id: input.partnerId } })).toBe(1);
    expect(await prisma.location.count({ where: { partnerId: input.partnerId } })).toBe(1);
    expect(await prisma.apiKey.findUniqueOrThrow({ where: { id: input.partnerApiKey.id } })).toMatchObject({
      role: 'partner',
      partnerId: input.partnerId,
      hash: input.partnerApiKey.hash,
    });
    expect(await prisma.auditEvent.count({ where: { entityId: input.enrollmentId } })).toBe(1);
    const partner = await prisma.partner.findUniqueOrThrow({ where: { id: input.partnerId } });
    expect(partner).toMatchObject({ status: 'pending', level: 'registered', catalogVersionId: '2026.1' });
  });

  it('records an application that failed validation as rejected, with the reason', async () => {
    const input = applicant({ problems: [{ field: 'requestedLevel', reason: 'not offered', code: 'level_not_offered' }] });
    await env.run(activities.registerApplicant, input);
    const enrollment = await prisma.enrollment.findUniqueOrThrow({ where: { id: input.enrollmentId }, include: { steps: true } });
    expect(enrollment).toMatchObject({ status: 'rejected', statusReason: 'requestedLevel: not offered' });
    expect(enrollment.steps.find((step) => step.name === 'validate')).toMatchObject({ status: 'failed' });
    expect((await prisma.partner.findUniqueOrThrow({ where: { id: input.partnerId } })).status).toBe('rejected');
  });

  it('writes one audit event per transition even when retried', async () => {
    const input = applicant();
    await env.run(activities.registerApplicant, input);
    const transition = activation(input);
    await env.run(activities.transitionEnrollment, transition);
    await env.run(activities.transitionEnrollment, transition);

    const events = await prisma.auditEvent.findMany({ where: { entityId: { in: [input.enrollmentId, input.partnerId] } } });
    expect(events.map((event) => event.action).sort()).toEqual(['enrollment.activated', 'enrollment.submitted', 'partner.active']);
    const partnerEvent = events.find((event) => event.action === 'partner.active');
    expect(partnerEvent).toMatchObject({
      actor: 'reviewer-1',
      before: { status: 'pending', level: 'registered' },
      after: { status: 'active', level: 'registered' },
    });
    const partner = await prisma.partner.findUniqueOrThrow({ where: { id: input.partnerId } });
    expect(partner.activatedAt?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it('moves only a pending partner: one that withdrew meanwhile stays withdrawn and its enrollment closes withdrawn', async () => {
    const input = applicant();
    await env.run(activities.registerApplicant, input);
    expect(
      await env.run(activities.withdrawPartner, { partnerId: input.partnerId, reason: 'Changed plans', requestedBy: 'partner-key' }),
    ).toBe(true);
    const approval = activation(input);
    expect(await env.run(activities.transitionEnrollment, approval)).toBe('withdrawn');
    expect(await env.run(activities.transitionEnrollment, { ...approval, action: 'enrollment.expired', status: 'expired' as const })).toBe(
      'withdrawn',
    );
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: input.partnerId } })).toMatchObject({
      status: 'withdrawn',
      activatedAt: null,
    });
    expect(await prisma.enrollment.findUniqueOrThrow({ where: { id: input.enrollmentId } })).toMatchObject({ status: 'withdrawn' });
    const actions = await prisma.auditEvent.findMany({ where: { entityId: { in: [input.enrollmentId, input.partnerId] } } });
    expect(actions.map((event) => event.action).sort()).toEqual(['enrollment.submitted', 'enrollment.withdrawn', 'partner.withdrawn']);
  });

  it('decides a review once and refuses a different decision afterwards', async () => {
    const input = applicant();
    await env.run(activities.registerApplicant, input);
    const reviewTaskId = randomUUID();
    const open = {
      id: reviewTaskId,
      kind: 'enrollment' as const,
      workflowId: input.workflowId,
      partnerId: input.partnerId,
      enrollmentId: input.enrollmentId,
      summary: 'review me',
      dueAt: '2026-12-09T12:00:00.000Z',
    };
    await env.run(activities.openReviewTask, open);
    expect(await env.run(activities.openReviewTask, open)).toMatchObject({ id: reviewTaskId, status: 'pending' });
    expect(await prisma.reviewTask.count({ where: { workflowId: input.workflowId } })).toBe(1);

    const decision = { reviewTaskId, decision: 'approve' as const, reason: 'ok', decidedBy: 'reviewer-1' };
    expect(await env.run(activities.recordReviewDecision, decision)).toMatchObject({ status: 'approved', decidedBy: 'reviewer-1' });
    expect(await env.run(activities.recordReviewDecision, decision)).toMatchObject({ status: 'approved' });
    await expect(
      env.run(activities.recordReviewDecision, { ...decision, decision: 'reject' as const, decidedBy: 'reviewer-2' }),
    ).rejects.toMatchObject({ type: REVIEW_NOT_OPEN, nonRetryable: true });

    await env.run(activities.expireReviewTask, reviewTaskId);
    expect((await prisma.reviewTask.findUniqueOrThrow({ where: { id: reviewTaskId } })).status).toBe('approved');
  });

  it('sends a notification once per business event', async () => {
    const dedupeKey = `test:${randomUUID()}`;
    const request = { dedupeKey, kind: 'review-reminder' as const, recipient: 'reviewers', subject: 'Due soon', body: dedupeKey };
    await env.run(activities.sendNotification, request);
    await env.run(activities.sendNotification, request);
    expect(mailer.sent.filter((mail) => mail.body === dedupeKey)).toHaveLength(1);
    const stored = await prisma.notification.findUniqueOrThrow({ where: { dedupeKey } });
    expect(stored.sentAt?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  it('retries delivery when the mailer failed before', async () => {
    const dedupeKey = `test:${randomUUID()}`;
    let failures = 1;
    const flaky = createActivities({
      prisma,
      payments: new RecordingPaymentProvider(),
      clock: { now: () => new Date() },
      mailer: {
        send: async (message) => {
          if (failures-- > 0) throw new Error('relay down');
          mailer.sent.push(message);
        },
      },
    });
    const request = { dedupeKey, kind: 'review-reminder' as const, recipient: 'reviewers', subject: 's', body: dedupeKey };
    await expect(env.run(flaky.sendNotification, request)).rejects.toThrow('relay down');
    expect((await prisma.notification.findUniqueOrThrow({ where: { dedupeKey } })).sentAt).toBeNull();
    await env.run(flaky.sendNotification, request);
    expect(mailer.sent.filter((mail) => mail.body === dedupeKey)).toHaveLength(1);
  });
});
