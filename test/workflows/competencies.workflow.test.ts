import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { evidenceNaturalKey, type EvidenceDetails, type EvidenceKind } from '../../domain/points';
import { partnerCompetencyId } from '../../lib/ids';
import type { PrismaClient } from '../../lib/database';
import { competencyWorkflowId, revokeCompetencyUpdate } from '../../workflows/competencies/definitions';
import { competencyWorkflow } from '../../workflows/competencies/workflow';
import { evidenceWorkflowId } from '../../workflows/points/definitions';
import { evidenceWorkflow } from '../../workflows/points/workflow';
import type { ReviewDecision } from '../../domain/reviews';
import { reviewDecisionUpdate } from '../../workflows/reviews/definitions';
import { createActivePartner, eventually, pendingReviewOf } from '../support/fixtures';
import { maybeRecordHistory, scheduledActivities, waitsOnTimer } from '../support/histories';
import { createIsolatedDatabase, publishCatalogVariant } from '../support/isolated-database';
import { type RunningTestWorker, startTimeSkippingRig, type TimeSkippingRig } from '../support/temporal';

const CATALOG = 'test-evidence-verified-on-record';

describe('competency verification workflow (time-skipping server, real activities and Postgres)', () => {
  let rig: TimeSkippingRig;
  let env: TestWorkflowEnvironment;
  let prisma: PrismaClient;
  let worker: RunningTestWorker;
  let realTime: Client;

  beforeAll(async () => {
    // The default competency rules, with professionals and references verified as they are
    // recorded, so each test can add evidence without a reviewer in the loop.
    const databaseUrl = await createIsolatedDatabase();
    await publishCatalogVariant(databaseUrl, CATALOG, (doc) => {
      for (const source of doc.pointSources) {
        if (source.code === 'certified-professional' || source.code === 'business-win') source.requiresReview = false;
      }
    });
    rig = await startTimeSkippingRig(databaseUrl);
    ({ env, prisma, worker, realTime } = rig);
  });

  afterAll(() => rig?.stop());

  async function recordEvidence<K extends EvidenceKind>(partnerId: string, kind: K, details: EvidenceDetails[K]): Promise<void> {
    const evidenceId = randomUUID();
    const outcome = await realTime.workflow.execute(evidenceWorkflow, {
      workflowId: evidenceWorkflowId(evidenceId),
      taskQueue: worker.taskQueue,
      args: [
        {
          evidenceId,
          partnerId,
          kind,
          naturalKey: evidenceNaturalKey(kind, details, new Date().toISOString()),
          details,
          locationId: null,
          recordedBy: 'partner-key',
        },
      ],
    });
    expect(outcome.status).toBe('verified');
  }

  /** Security asks for two professionals with a security certification and three tagged references. */
  async function addSecurityEvidence(partnerId: string, professionals: number, references: number): Promise<void> {
    const tag = randomUUID().slice(0, 8);
    for (let n = 0; n < professionals; n++) {
      await recordEvidence(partnerId, 'certified-professional', {
        personName: `Pro ${n}`,
        email: `pro-${n}-${tag}@partner.example`,
        certificationIds: ['MCSE-Security'],
      });
    }
    for (let n = 0; n < references; n++) {
      await recordEvidence(partnerId, 'customer-reference', {
        customerName: `Customer ${n} ${tag}`,
        contactEmail: `buyer-${n}@customer.example`,
        projectTitle: 'Perimeter hardening',
        wonAt: '2026-10-01',
        competencyCode: 'security',
      });
    }
  }

  function startVerification(
    partnerId: string,
    code = 'security',
    client: Client = realTime,
  ): Promise<WorkflowHandle<typeof competencyWorkflow>> {
    return client.workflow.start(competencyWorkflow, {
      workflowId: competencyWorkflowId(partnerId, code),
      taskQueue: worker.taskQueue,
      args: [{ partnerId, code, requestedBy: 'partner-key' }],
    });
  }

  async function decide(handle: WorkflowHandle, partnerId: string, decision: ReviewDecision, code = 'security') {
    const reviewTaskId = await pendingReviewOf(prisma, partnerCompetencyId(partnerId, code));
    return handle.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId, decision, reason: `${decision} by test`, decidedBy: 'reviewer-key' }],
    });
  }

  const competencyRow = (partnerId: string, code = 'security') =>
    prisma.partnerCompetency.findUniqueOrThrow({ where: { id: partnerCompetencyId(partnerId, code) } });
  const noticeTo = (partnerId: string, kind: string) => eventually(() => prisma.notification.findFirst({ where: { partnerId, kind } }));
  const statusBecomes = (partnerId: string, status: string, code = 'security') =>
    eventually(
      async () => (await prisma.partnerCompetency.findUnique({ where: { id: partnerCompetencyId(partnerId, code) } }))?.status === status,
    );

  it('grants a competency whose requirements are met at once: 30 + 20 for the first, 25 for the next', async () => {
    const partnerId = await createActivePartner(prisma, CATALOG);
    await addSecurityEvidence(partnerId, 2, 3);
    const handle = await startVerification(partnerId);
    expect(await decide(handle, partnerId, 'approve')).toMatchObject({ kind: 'competency', status: 'approved' });
    await statusBecomes(partnerId, 'granted');

    const row = await competencyRow(partnerId);
    expect(row.assessment).toMatchObject({
      met: true,
      checks: [
        { requirement: 'certifiedProfessionals', have: 2, need: 2 },
        { requirement: 'customerReferences', have: 3, need: 3 },
      ],
    });
    expect(await prisma.pointEntry.findUniqueOrThrow({ where: { id: row.awardEntryId! } })).toMatchObject({
      kind: 'award',
      sourceCode: 'competency-first',
      points: 50,
    });
    // 2 professionals (1 each) + 3 references (2 each) + 50 reach Certified: offered, not imposed.
    const notice = await eventually(() => prisma.notification.findFirst({ where: { partnerId, kind: 'upgrade-available' } }));
    expect(notice.subject).toContain('certified');
    expect((await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).level).toBe('registered');
    const granted = await noticeTo(partnerId, 'competency-granted');
    expect(granted.body).toContain(`competency until ${row.validUntil!.toISOString().slice(0, 10)}`);
    expect(granted.body).toContain(`/v1/partners/${partnerId}/competencies`);

    const tag = randomUUID().slice(0, 8);
    for (let n = 0; n < 2; n++) {
      await recordEvidence(partnerId, 'certified-professional', {
        personName: `Net ${n}`,
        email: `net-${n}-${tag}@partner.example`,
        certificationIds: ['MCSA'],
      });
    }
    for (let n = 0; n < 3; n++) {
      await recordEvidence(partnerId, 'customer-reference', {
        customerName: `Network customer ${n}`,
        contactEmail: `net-${n}@customer.example`,
        projectTitle: 'Campus network',
        wonAt: '2026-09-01',
        competencyCode: 'networking-infrastructure',
      });
    }
    const second = await startVerification(partnerId, 'networking-infrastructure');
    await decide(second, partnerId, 'approve', 'networking-infrastructure');
    await statusBecomes(partnerId, 'granted', 'networking-infrastructure');
    const secondRow = await competencyRow(partnerId, 'networking-infrastructure');
    expect(await prisma.pointEntry.findUniqueOrThrow({ where: { id: secondRow.awardEntryId! } })).toMatchObject({
      sourceCode: 'competency-additional',
      points: 25,
    });
  });

  it('waits while requirements are unmet and resumes when verified evidence arrives', async () => {
    const partnerId = await createActivePartner(prisma, CATALOG);
    await addSecurityEvidence(partnerId, 1, 0);
    const handle = await startVerification(partnerId);
    await statusBecomes(partnerId, 'awaiting-evidence');
    expect((await competencyRow(partnerId)).assessment).toMatchObject({
      met: false,
      checks: [
        { requirement: 'certifiedProfessionals', have: 1, need: 2 },
        { requirement: 'customerReferences', have: 0, need: 3 },
      ],
    });
    expect(await handle.query('competencyState')).toMatchObject({ status: 'awaiting-evidence' });

    // Each verified piece signals the waiting verification; the last one meets the requirements.
    await addSecurityEvidence(partnerId, 1, 3);
    await decide(handle, partnerId, 'approve');
    await statusBecomes(partnerId, 'granted');
    const audit = await prisma.auditEvent.findMany({
      where: { entityType: 'competency', entityId: partnerCompetencyId(partnerId, 'security') },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((event) => event.action)).toEqual([
      'competency.verifying',
      'competency.awaiting-evidence',
      'competency.in-review',
      'competency.granted',
    ]);
  });

  it('sends a verification back for changes, then grants it once more evidence came', async () => {
    const partnerId = await createActivePartner(prisma, CATALOG);
    await addSecurityEvidence(partnerId, 2, 3);
    const handle = await startVerification(partnerId);
    const firstReview = await decide(handle, partnerId, 'request_changes');
    expect(firstReview).toMatchObject({ status: 'changes_requested' });
    await statusBecomes(partnerId, 'awaiting-evidence');
    expect((await competencyRow(partnerId)).statusReason).toBe('request_changes by test');

    // Still met, but only new evidence reopens the review: the workflow is parked on its
    // deadline's timer, with no assessment and no review scheduled since it recorded the changes.
    const parked = await eventually(async () => {
      const history = await handle.fetchHistory();
      return waitsOnTimer(history) && scheduledActivities(history);
    });
    expect(parked.slice(parked.lastIndexOf('recordReviewDecision'))).toEqual([
      'recordReviewDecision',
      'transitionCompetency',
      'noticePartner',
    ]);
    expect((await noticeTo(partnerId, 'competency-changes-requested')).body).toContain('request_changes by test');
    expect(await handle.query('competencyState')).toMatchObject({ status: 'awaiting-evidence' });
    expect(await prisma.reviewTask.count({ where: { subjectId: partnerCompetencyId(partnerId, 'security'), status: 'pending' } })).toBe(0);

    await addSecurityEvidence(partnerId, 0, 1);
    const secondReview = await decide(handle, partnerId, 'approve');
    expect(secondReview.id).not.toBe(firstReview.id);
    await statusBecomes(partnerId, 'granted');
    expect((await competencyRow(partnerId)).assessment).toMatchObject({ checks: [{}, { requirement: 'customerReferences', have: 4 }] });
    await maybeRecordHistory(handle, 'competency-changes-requested');
  });

  it('revokes a grant: points reversed by a correction and the level re-evaluated', async () => {
    const partnerId = await createActivePartner(prisma, CATALOG);
    await addSecurityEvidence(partnerId, 2, 3);
    const handle = await startVerification(partnerId);
    await decide(handle, partnerId, 'approve');
    await statusBecomes(partnerId, 'granted');
    // As if the partner had moved up on the strength of this competency.
    await prisma.partner.update({ where: { id: partnerId }, data: { level: 'certified' } });

    const revoked = await handle.executeUpdate(revokeCompetencyUpdate, { args: [{ reason: 'Professionals left', actor: 'admin-key' }] });
    expect(revoked).toEqual({ status: 'revoked', reversedPoints: 50 });
    expect(await handle.result()).toEqual({ status: 'revoked', points: 0 });

    const award = await prisma.pointEntry.findFirstOrThrow({ where: { partnerId, sourceCode: 'competency-first', kind: 'award' } });
    const reversal = await prisma.pointEntry.findFirstOrThrow({ where: { correctsEntryId: award.id } });
    expect(reversal).toMatchObject({ kind: 'correction', points: -50, occurredAt: award.occurredAt });
    expect(await competencyRow(partnerId)).toMatchObject({ status: 'revoked', statusReason: 'Professionals left' });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'registered' });
    expect(await prisma.auditEvent.findFirst({ where: { entityId: partnerId, action: 'partner.level_changed' } })).toMatchObject({
      before: { level: 'certified' },
      after: { level: 'registered' },
    });
    await expect(handle.executeUpdate(revokeCompetencyUpdate, { args: [{ reason: 'again', actor: 'admin-key' }] })).rejects.toThrow();
    expect((await noticeTo(partnerId, 'competency-revoked')).body).toContain('revoked: Professionals left');
    await maybeRecordHistory(handle, 'competency-revoked');
  });

  it('expires a verification whose requirements stay unmet past the deadline, after one reminder', async () => {
    const partnerId = await createActivePartner(prisma, CATALOG);
    const handle = await startVerification(partnerId, 'security', env.client);
    expect(await handle.result()).toEqual({ status: 'expired', points: 0 });
    expect(await competencyRow(partnerId)).toMatchObject({ status: 'expired' });
    expect((await competencyRow(partnerId)).statusReason).toContain('certifiedProfessionals 0/2');
    expect(await prisma.notification.count({ where: { partnerId, kind: 'competency-evidence-reminder' } })).toBe(1);
    expect((await noticeTo(partnerId, 'competency-expired')).body).toContain(
      'Requirements unmet at the deadline: certifiedProfessionals 0/2',
    );
    expect(await prisma.pointEntry.count({ where: { partnerId } })).toBe(0);
    await maybeRecordHistory(handle, 'competency-expired');
  });
});
