import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../lib/database';
import { evidenceNaturalKey } from '../../domain/points';
import { evidenceWorkflowId, type EvidenceInput } from '../../workflows/points/definitions';
import { evidenceWorkflow } from '../../workflows/points/workflow';
import { reviewDecisionUpdate } from '../../workflows/reviews/definitions';
import { ledgerCorrectionWorkflowId } from '../../workflows/points/definitions';
import { ledgerCorrectionWorkflow } from '../../workflows/points/workflow';
import { surveyAnsweredUpdate, surveyWorkflowId } from '../../workflows/surveys/definitions';
import { surveyWorkflow } from '../../workflows/surveys/workflow';
import { upgradeWorkflowId } from '../../workflows/upgrades/definitions';
import { upgradeWorkflow } from '../../workflows/upgrades/workflow';
import { createActivePartner, createReviewerWithEmail, eventually, pendingReviewOf } from '../support/fixtures';
import { minorUnits } from '../../domain/money';
import { paymentEventWorkflowId } from '../../workflows/payments/definitions';
import { paymentEventWorkflow } from '../../workflows/payments/workflow';
import { maybeRecordHistory } from '../support/histories';
import { surveyLinkIn } from '../support/surveys';
import { createIsolatedDatabase, publishCatalogVariant } from '../support/isolated-database';
import { type RunningTestWorker, startTimeSkippingRig, type TimeSkippingRig } from '../support/temporal';
import { DAY_MS } from '../../domain/time';

describe('evidence and upgrade workflows (time-skipping server, real activities and Postgres)', () => {
  let rig: TimeSkippingRig;
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;
  let worker: RunningTestWorker;
  let realTime: Client;

  beforeAll(async () => {
    // Its own database, with a catalog variant in which Certified needs points only.
    const databaseUrl = await createIsolatedDatabase();
    await publishCatalogVariant(databaseUrl, 'test-certified-by-points', (doc) => {
      doc.levels.find((level) => level.code === 'certified')!.minCompetencies = 0;
    });
    rig = await startTimeSkippingRig(databaseUrl);
    ({ env, prisma, worker, realTime } = rig);
  });

  afterAll(() => rig?.stop());

  const activePartner = () => createActivePartner(prisma, 'test-certified-by-points');

  function testedSolution(partnerId: string, testId: string): EvidenceInput {
    const details = { solutionName: 'Ledger', testType: 'software-certification' as const, testId, result: 'passed' as const };
    return {
      evidenceId: randomUUID(),
      partnerId,
      kind: 'tested-solution',
      naturalKey: evidenceNaturalKey('tested-solution', details, new Date().toISOString()),
      details,
      locationId: null,
      recordedBy: 'partner-key',
    };
  }

  const pendingReview = (subjectId: string) => pendingReviewOf(prisma, subjectId);
  const startEvidence = (input: EvidenceInput) =>
    realTime.workflow.start(evidenceWorkflow, {
      workflowId: evidenceWorkflowId(input.evidenceId),
      taskQueue: worker.taskQueue,
      args: [input],
    });
  const startUpgrade = (partnerId: string, requestId: string) =>
    realTime.workflow.start(upgradeWorkflow, {
      workflowId: upgradeWorkflowId(partnerId, requestId),
      taskQueue: worker.taskQueue,
      args: [{ requestId, partnerId, level: 'certified', requestedBy: 'partner-key' }],
    });

  async function decide(handle: WorkflowHandle, reviewTaskId: string, decision: 'approve' | 'reject', reason: string) {
    return handle.executeUpdate(reviewDecisionUpdate, { args: [{ reviewTaskId, decision, reason, decidedBy: 'reviewer-key' }] });
  }
  const approve = (handle: WorkflowHandle, reviewTaskId: string) => decide(handle, reviewTaskId, 'approve', 'verified');
  const noticeOf = (dedupeKey: string) => eventually(() => prisma.notification.findUnique({ where: { dedupeKey } }));

  /** Each test id is a passed software certification: 10 points once verified. */
  async function earnVerifiedPoints(partnerId: string, testIds: string[]): Promise<void> {
    for (const testId of testIds) {
      const input = testedSolution(partnerId, testId);
      const handle = await startEvidence(input);
      await approve(handle, await pendingReview(input.evidenceId));
      await handle.result();
    }
  }

  it('awards verified evidence to the ledger once', async () => {
    const partnerId = await activePartner();
    const input = testedSolution(partnerId, 'T-approve');
    const handle = await startEvidence(input);
    await approve(handle, await pendingReview(input.evidenceId));

    expect(await handle.result()).toEqual({ status: 'verified', points: 10 });
    const entries = await prisma.pointEntry.findMany({ where: { partnerId } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'award',
      sourceCode: 'tested-solution',
      points: 10,
      evidenceId: input.evidenceId,
      catalogVersionId: 'test-certified-by-points',
    });
    expect(await prisma.evidence.findUniqueOrThrow({ where: { id: input.evidenceId } })).toMatchObject({ status: 'verified', points: 10 });
    const notice = await noticeOf(`evidence:${handle.workflowId}:verified`);
    expect(notice).toMatchObject({ kind: 'evidence-verified', partnerId, subject: 'Your tested solution evidence is verified' });
    expect(notice.body).toContain('it earns 10 points');
    expect(notice.body).toContain(`/v1/partners/${partnerId}/evidence`);
    await maybeRecordHistory(handle, 'evidence-verified');
  });

  it('tells the partner why a reviewer rejected its evidence and its upgrade', async () => {
    const partnerId = await activePartner();
    const input = testedSolution(partnerId, 'T-reject');
    const evidence = await startEvidence(input);
    await decide(evidence, await pendingReview(input.evidenceId), 'reject', 'The test report is unsigned');
    expect(await evidence.result()).toEqual({ status: 'rejected', points: 0 });
    const rejected = await noticeOf(`evidence:${evidence.workflowId}:rejected`);
    expect(rejected).toMatchObject({ kind: 'evidence-rejected', subject: 'Your tested solution evidence was not accepted' });
    expect(rejected.body).toContain('The test report is unsigned');

    await earnVerifiedPoints(partnerId, ['K', 'L', 'M', 'N', 'O']);
    const requestId = randomUUID();
    const upgrade = await startUpgrade(partnerId, requestId);
    await decide(upgrade, await pendingReview(requestId), 'reject', 'Two references are from the same customer');
    expect(await upgrade.result()).toEqual({ status: 'rejected', missing: [] });
    const upgradeNotice = await noticeOf(`upgrade:${requestId}:rejected`);
    expect(upgradeNotice).toMatchObject({ kind: 'upgrade-rejected', partnerId, subject: 'Your upgrade to certified was not approved' });
    expect(upgradeNotice.body).toContain('Two references are from the same customer');
    // Evidence verified by reviewers tells the partner each time; nothing told it of an approval here.
    expect(await prisma.notification.count({ where: { partnerId, kind: 'evidence-verified' } })).toBe(5);
    expect(await prisma.notification.count({ where: { partnerId, kind: 'upgrade-approved' } })).toBe(0);
  });

  it('corrects an award with a new entry dated like the award', async () => {
    const partnerId = await activePartner();
    const input = testedSolution(partnerId, 'T-correct');
    const evidence = await startEvidence(input);
    await approve(evidence, await pendingReview(input.evidenceId));
    await evidence.result();
    const award = await prisma.pointEntry.findFirstOrThrow({ where: { partnerId } });

    const correctionId = randomUUID();
    const handle = await realTime.workflow.start(ledgerCorrectionWorkflow, {
      workflowId: ledgerCorrectionWorkflowId(partnerId, correctionId),
      taskQueue: worker.taskQueue,
      args: [{ correctionId, partnerId, entryId: award.id, points: -4, reason: 'lab retest', actor: 'admin-key' }],
    });
    expect(await handle.result()).toMatchObject({
      kind: 'correction',
      points: -4,
      correctsEntryId: award.id,
      occurredAt: award.occurredAt.toISOString(),
    });
    expect(await prisma.pointEntry.count({ where: { partnerId } })).toBe(2);
    await maybeRecordHistory(handle, 'ledger-correction');
  });

  it('takes one survey answer through the mailed token, and expires an unanswered survey', async () => {
    const partnerId = await activePartner();
    const invitationId = randomUUID();
    const customerEmail = `survey-${invitationId}@customer.example`;
    const handle = await realTime.workflow.start(surveyWorkflow, {
      workflowId: surveyWorkflowId(invitationId),
      taskQueue: worker.taskQueue,
      args: [{ invitationId, partnerId, customerEmail, customerName: 'Bea' }],
    });
    for (let attempt = 0; attempt < 100 && !worker.mailer.sent.some((mail) => mail.to === customerEmail); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const mail = worker.mailer.sent.find((message) => message.to === customerEmail)!;
    const invitation = await prisma.surveyInvitation.findUniqueOrThrow({ where: { id: invitationId } });
    const { token } = surveyLinkIn(mail.body);
    expect(invitation.tokenHash).not.toContain(token);
    expect(JSON.stringify((await handle.fetchHistory()).events)).not.toContain(token);

    const result = await handle.executeUpdate(surveyAnsweredUpdate, { args: [{ scores: [5, 5], comment: null }] });
    expect(result).toEqual({ customerSatisfactionIndex: null, pointsAwarded: 0 });
    expect(await handle.result()).toEqual({ status: 'answered', result });
    await expect(handle.executeUpdate(surveyAnsweredUpdate, { args: [{ scores: [1], comment: null }] })).rejects.toThrow();
    await maybeRecordHistory(handle, 'survey-answered');

    const unanswered = randomUUID();
    const expiring = await env.client.workflow.start(surveyWorkflow, {
      workflowId: surveyWorkflowId(unanswered),
      taskQueue: worker.taskQueue,
      args: [{ invitationId: unanswered, partnerId, customerEmail: 'late@customer.example', customerName: 'Late' }],
    });
    expect(await expiring.result()).toEqual({ status: 'expired' });
    expect(await prisma.surveyInvitation.findUniqueOrThrow({ where: { id: unanswered } })).toMatchObject({ status: 'expired' });
  });

  it('expires unreviewed evidence at the deadline with no points', async () => {
    const reviewer = await createReviewerWithEmail(prisma, ['evidence']);
    const partnerId = await activePartner();
    const input = testedSolution(partnerId, 'T-expire');
    const handle = await env.client.workflow.start(evidenceWorkflow, {
      workflowId: evidenceWorkflowId(input.evidenceId),
      taskQueue: worker.taskQueue,
      args: [input],
    });
    await pendingReview(input.evidenceId);

    expect(await handle.result()).toEqual({ status: 'expired', points: 0 });
    expect(await prisma.pointEntry.count({ where: { partnerId } })).toBe(0);
    await reviewer.revoke();
    const reviewTask = await prisma.reviewTask.findFirstOrThrow({ where: { subjectId: input.evidenceId } });
    expect(
      await prisma.notification.count({
        where: { recipient: reviewer.email, kind: 'review-reminder', dedupeKey: { contains: reviewTask.id } },
      }),
    ).toBe(1);
    await maybeRecordHistory(handle, 'evidence-expired');
  });

  it('refuses an upgrade with what is missing, then grants it once earned and approved', async () => {
    const partnerId = await activePartner();
    const refusedId = randomUUID();
    const refused = await realTime.workflow.execute(upgradeWorkflow, {
      workflowId: upgradeWorkflowId(partnerId, refusedId),
      taskQueue: worker.taskQueue,
      args: [{ requestId: refusedId, partnerId, level: 'certified', requestedBy: 'partner-key' }],
    });
    expect(refused).toEqual({ status: 'refused', missing: [{ requirement: 'points', have: 0, need: 50 }] });
    expect(await prisma.upgradeRequest.findUniqueOrThrow({ where: { id: refusedId } })).toMatchObject({
      status: 'refused',
      fromLevel: 'registered',
    });

    await earnVerifiedPoints(partnerId, ['A', 'B', 'C', 'D', 'E']);

    const requestId = randomUUID();
    const handle = await startUpgrade(partnerId, requestId);
    await approve(handle, await pendingReview(requestId));

    // Approved, then invoiced: the level changes once the fee is paid.
    const invoice = await eventually(() => prisma.invoice.findFirst({ where: { subjectId: requestId } }));
    expect(invoice).toMatchObject({ purpose: 'upgrade', status: 'open', totalMinor: 150000, currency: 'USD' });
    expect(await prisma.upgradeRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: 'approved_payment_pending',
    });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'registered' });
    await realTime.workflow.execute(paymentEventWorkflow, {
      workflowId: paymentEventWorkflowId('bank_transfer', randomUUID()),
      taskQueue: worker.taskQueue,
      args: [
        {
          provider: 'bank_transfer',
          externalId: `transfer-${requestId}`,
          kind: 'payment',
          invoiceId: invoice.id,
          amountMinor: minorUnits(invoice.totalMinor),
          currency: invoice.currency,
          recordedBy: 'admin-key',
        },
      ],
    });
    expect(await handle.result()).toEqual({ status: 'approved', missing: [] });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'certified', status: 'active' });
    const approved = await noticeOf(`upgrade:${requestId}:approved`);
    expect(approved).toMatchObject({ kind: 'upgrade-approved', partnerId, subject: expect.stringMatching(/ is now certified$/) });
    expect(approved.body).toContain(`/v1/partners/${partnerId}/standing`);
    await maybeRecordHistory(handle, 'upgrade-paid');
  });

  it('closes an upgrade nobody reviewed after the deadline, keeping the level', async () => {
    const partnerId = await activePartner();
    await earnVerifiedPoints(partnerId, ['F', 'G', 'H', 'I', 'J']);
    const requestId = randomUUID();
    const handle = await env.client.workflow.start(upgradeWorkflow, {
      workflowId: upgradeWorkflowId(partnerId, requestId),
      taskQueue: worker.taskQueue,
      args: [{ requestId, partnerId, level: 'certified', requestedBy: 'partner-key' }],
    });
    await pendingReview(requestId);
    await env.sleep(15 * DAY_MS);
    expect(await handle.result()).toEqual({ status: 'expired', missing: [] });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'registered' });
  });
});
