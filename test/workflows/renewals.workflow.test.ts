import { randomUUID } from 'node:crypto';
import { type Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { issueRandomApiKey } from '../../lib/api-keys';
import { partnerCompetencyId, partnerDesignationId } from '../../lib/ids';
import type { LevelCode } from '../../domain/catalog';
import type { ReviewDecision } from '../../domain/reviews';
import { minorUnits } from '../../domain/money';
import { termEnd } from '../../domain/terms';
import { DAY_MS } from '../../domain/time';
import type { PrismaClient } from '../../lib/database';
import { readCatalogDocuments } from '../../prisma/seed';
import { benefitsOf } from '../../queries/benefits';
import { competencyStateQuery, competencyWorkflowId } from '../../workflows/competencies/definitions';
import { competencyWorkflow } from '../../workflows/competencies/workflow';
import { designationStateQuery, designationWorkflowId, revokeDesignationUpdate } from '../../workflows/designations/definitions';
import { designationWorkflow } from '../../workflows/designations/workflow';
import { enrollmentWorkflowId } from '../../workflows/enrollments/definitions';
import { enrollmentWorkflow } from '../../workflows/enrollments/workflow';
import { benefitPurchaseWorkflowId, paymentEventWorkflowId } from '../../workflows/payments/definitions';
import { benefitPurchaseWorkflow, paymentEventWorkflow } from '../../workflows/payments/workflow';
import {
  grantRenewalExceptionUpdate,
  membershipLevelChangedSignal,
  membershipStateQuery,
  membershipWithdrawnSignal,
  membershipWorkflowId,
  renewNowUpdate,
  type MembershipState,
} from '../../workflows/renewals/definitions';
import { membershipWorkflow } from '../../workflows/renewals/workflow';
import { reviewDecisionUpdate } from '../../workflows/reviews/definitions';
import { termsAcceptanceWorkflowId, withdrawalWorkflowId } from '../../workflows/partners/definitions';
import { termsAcceptanceWorkflow, withdrawalWorkflow } from '../../workflows/partners/workflow';
import { createActivePartner, eventually, pendingReviewOf, sampleApplication } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { createIsolatedDatabase, publishCatalogVariant } from '../support/isolated-database';
import { type RunningTestWorker, startTestWorker, startTimeSkippingRig, type TimeSkippingRig } from '../support/temporal';

const catalog = readCatalogDocuments()[0];

const { renewalWindowOpensDaysBefore, onlineBenefitsGraceDays, renewal } = catalog.rules;
/** Certified under the default catalog: 1,500.00 USD. */
const CERTIFIED_FEE = 150000;

/** The rig of the describe block running now; each block starts its own. */
let rig: TimeSkippingRig;
let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let worker: RunningTestWorker;
let realTime: Client;
/** Memberships live forever: each test's are ended so later time skips do not drive them. */
const started: string[] = [];

async function useRig(databaseUrl: string): Promise<void> {
  rig = await startTimeSkippingRig(databaseUrl);
  ({ env, prisma, worker, realTime } = rig);
}

/** Ends a membership through its withdrawal signal, so an open renewal invoice is voided by its own workflow. */
async function endMembership(handle: WorkflowHandle): Promise<void> {
  await handle.signal(membershipWithdrawnSignal, { reason: 'test over', requestedBy: 'test' }).catch(() => undefined);
  await handle.result().catch(() => undefined);
}

afterEach(async () => {
  for (const workflowId of started.splice(0)) await endMembership(realTime.workflow.getHandle(workflowId));
});

/** The server's clock: workflow time, which runs years ahead of the wall clock once tests skip. */
const serverNow = async () => new Date(await env.currentTimeMs());

async function skipTo(at: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (at > now) await env.sleep(at - now);
}

/** An active partner at `level` with points and a competency valid for years, all dated at workflow time. */
async function partnerAt(level: LevelCode): Promise<string> {
  const partnerId = await createActivePartner(prisma, catalog.id);
  await prisma.partner.update({ where: { id: partnerId }, data: { level } });
  if (level !== 'registered') await qualifyForCertified(partnerId);
  return partnerId;
}

/** Points earned now, at workflow time; answers that time. */
async function awardPoints(partnerId: string, sourceCode: string, points: number): Promise<Date> {
  const now = await serverNow();
  await prisma.pointEntry.create({
    data: {
      id: randomUUID(),
      dedupeKey: `test:${randomUUID()}`,
      partnerId,
      sourceCode,
      kind: 'award',
      points,
      catalogVersionId: catalog.id,
      occurredAt: now,
      recordedAt: now,
    },
  });
  return now;
}

/** Certified asks 50 points in the trailing window and one granted competency. */
async function qualifyForCertified(partnerId: string, competencyValidYears = 10): Promise<void> {
  const now = await awardPoints(partnerId, 'competency-first', 60);
  // The evidence Security asks for, recorded now: a grant is re-verified against it at each renewal.
  await recordSecurityEvidence(partnerId, now);
  if (await prisma.partnerCompetency.count({ where: { partnerId } })) return;
  await grantSecurity(partnerId, now, competencyValidYears);
}

/** The Security competency granted at `at` for years, as if verified (no workflow holds it). */
async function grantSecurity(partnerId: string, at: Date, validYears: number): Promise<void> {
  await prisma.partnerCompetency.create({
    data: {
      id: randomUUID(),
      partnerId,
      code: 'security',
      workflowId: `competency-${partnerId}-security`,
      runId: randomUUID(),
      status: 'granted',
      catalogVersionId: catalog.id,
      requestedBy: 'test',
      grantedAt: at,
      validUntil: new Date(at.getTime() + validYears * 365 * DAY_MS),
      createdAt: at,
      updatedAt: at,
    },
  });
}

/** Verified evidence that meets Security (two security professionals, three tagged references), recorded at `at`. */
async function recordSecurityEvidence(partnerId: string, at: Date): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  await recordEvidence(partnerId, at, [
    ...professionals(2, tag),
    ...[1, 2, 3].map((n) => ({
      kind: 'customer-reference',
      details: {
        customerName: `Customer ${n} ${tag}`,
        contactEmail: 'buyer@customer.example',
        projectTitle: 'Hardening',
        wonAt: at.toISOString(),
        competencyCode: 'security',
      },
    })),
  ]);
}

/** Certified professionals holding a security certification. */
function professionals(count: number, tag = randomUUID().slice(0, 8)) {
  return Array.from({ length: count }, (_, index) => ({
    kind: 'certified-professional',
    details: { personName: `Pro ${index + 1}`, email: `pro${index + 1}-${tag}@partner.example`, certificationIds: ['MCSE-Security'] },
  }));
}

/** Evidence verified as it was recorded, at `at`. */
async function recordEvidence(partnerId: string, at: Date, items: Array<{ kind: string; details: object }>): Promise<void> {
  await prisma.evidence.createMany({
    data: items.map((item) => ({
      id: randomUUID(),
      partnerId,
      kind: item.kind,
      naturalKey: `${item.kind}|${randomUUID()}`,
      details: item.details,
      status: 'verified',
      points: 0,
      workflowId: `evidence-${randomUUID()}`,
      catalogVersionId: catalog.id,
      recordedBy: 'test',
      createdAt: at,
      decidedAt: at,
    })),
  });
}

async function startMembership(partnerId: string, level: LevelCode, client: Client = realTime, taskQueue = worker.taskQueue) {
  const handle = await client.workflow.start(membershipWorkflow, {
    workflowId: membershipWorkflowId(partnerId),
    taskQueue,
    args: [{ partnerId, termNumber: 1, level }],
  });
  started.push(handle.workflowId);
  return handle;
}

/**
 * The membership's state once it has put term `termNumber` on record. The row comes first: a
 * query sent while the workflow continues as new can stall on the time-skipping server.
 */
async function stateAt(handle: WorkflowHandle, termNumber: number): Promise<MembershipState> {
  const partnerId = handle.workflowId.replace('membership-', '');
  await eventually(() => prisma.membership.findFirst({ where: { partnerId, termNumber } }));
  return eventually(async () => {
    const state = await realTime.workflow.getHandle(handle.workflowId).query(membershipStateQuery);
    return state.term.number === termNumber && state.term.end !== state.term.start && state;
  });
}

/** The entitlements of the partner's current term at workflow time, by benefit and source. */
async function entitlementsNow(partnerId: string) {
  const view = await benefitsOf(prisma, partnerId, await serverNow());
  return { view, byKey: new Map(view.entitlements.map((item) => [`${item.benefitCode}|${item.sourceRef ?? ''}`, item])) };
}

async function entitlementsOfTerm(partnerId: string, termNumber: number) {
  await eventually(async () => (await prisma.entitlement.count({ where: { partnerId, termNumber } })) > 0);
  return entitlementsNow(partnerId);
}

const expectDueAtTermEnd = (dueAt: Date, end: string) => expect(dueAt.toISOString()).toBe(end);

const daysBeforeEnd = (state: MembershipState, days: number) => Date.parse(state.term.end) - days * DAY_MS;

/** Skips to a day after the decision point and answers the renewal invoice it issued. */
async function renewalInvoiceOf(handle: WorkflowHandle, termNumber: number) {
  const state = await stateAt(handle, termNumber);
  await skipTo(daysBeforeEnd(state, renewal.decisionDaysBeforeEnd - 1));
  return invoiceOfTerm(handle, termNumber);
}

async function invoiceOfTerm(handle: WorkflowHandle, termNumber: number) {
  const partnerId = handle.workflowId.replace('membership-', '');
  const membership = await eventually(() =>
    prisma.membership.findFirst({ where: { partnerId, termNumber, renewalInvoiceId: { not: null }, status: 'awaiting_payment' } }),
  );
  return eventually(() => prisma.invoice.findUnique({ where: { id: membership.renewalInvoiceId! } }));
}

function pay(invoice: { id: string; totalMinor: number }, taskQueue = worker.taskQueue) {
  return realTime.workflow.execute(paymentEventWorkflow, {
    workflowId: paymentEventWorkflowId('processor', randomUUID()),
    taskQueue,
    args: [
      {
        provider: 'processor',
        externalId: `pay_${randomUUID()}`,
        kind: 'payment',
        invoiceId: invoice.id,
        amountMinor: minorUnits(invoice.totalMinor),
        currency: 'USD',
        recordedBy: 'payment-processor',
      },
    ],
  });
}

describe('membership renewal (time-skipping server, real activities and Postgres)', () => {
  beforeAll(async () => useRig(await createIsolatedDatabase()));
  afterAll(() => rig?.stop());

  it('renews at the same level three years running, each term starting at the previous end', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    await stateAt(handle, 1);
    const first = await eventually(async () => {
      const state = await handle.query(membershipStateQuery);
      return state.nextMilestone?.kind === 'window-opens' && state;
    });
    // One run per term: each year's history is recorded, so replay covers the years after continue-as-new too.
    const runIds = [(await handle.describe()).runId];
    expect(first).toMatchObject({ status: 'active', term: { number: 1, level: 'certified' } });
    expect(Date.parse(first.nextMilestone!.at)).toBe(daysBeforeEnd(first, renewalWindowOpensDaysBefore));

    let previous = first;
    for (const termNumber of [1, 2, 3]) {
      if (termNumber > 1) await qualifyForCertified(partnerId);
      const invoice = await renewalInvoiceOf(handle, termNumber);
      expect(invoice).toMatchObject({ purpose: 'renewal', status: 'open', totalMinor: CERTIFIED_FEE, partnerId });
      // Due at the term end, whenever the decision came.
      expectDueAtTermEnd(invoice.dueAt, previous.term.end);
      expect(await pay(invoice)).toMatchObject({ status: 'applied' });

      const next = await stateAt(handle, termNumber + 1);
      runIds.push((await realTime.workflow.getHandle(handle.workflowId).describe()).runId);
      expect(next.term).toEqual({
        number: termNumber + 1,
        start: previous.term.end,
        end: termEnd(new Date(previous.term.end), 12).toISOString(),
        level: 'certified',
      });
      previous = next;
    }
    await skipTo(Date.parse(previous.term.start) + DAY_MS);
    await eventually(async () => (await handle.query(membershipStateQuery)).nextMilestone?.kind === 'window-opens');
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({
      termNumber: 4,
      level: 'certified',
      status: 'active',
      nextMilestone: 'window-opens',
    });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'active', level: 'certified' });
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'membership.renewed' } })).toBe(3);
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'membership.term_started' } })).toBe(4);
    await maybeRecordHistory(realTime.workflow.getHandle(handle.workflowId, runIds[0]), 'membership-renewed');
    for (const [year, runId] of runIds.slice(1, 3).entries()) {
      await maybeRecordHistory(realTime.workflow.getHandle(handle.workflowId, runId), `membership-renewed-year-${year + 2}`);
    }
  });

  it('drops to Registered at the next term when the points left the window, with no fee to pay', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    await pay(await renewalInvoiceOf(handle, 1));

    const second = await stateAt(handle, 2);
    await skipTo(daysBeforeEnd(second, renewal.decisionDaysBeforeEnd - 1));
    const third = await stateAt(handle, 3);
    expect(third.term).toMatchObject({ start: second.term.end, level: 'registered' });
    // Neither the points nor the competency hold: its evidence, two years old, fails the re-verification.
    expect(await prisma.auditEvent.findFirst({ where: { dedupeKey: `membership:${partnerId}:term:2:requalified` } })).toMatchObject({
      after: expect.objectContaining({ qualifiedLevel: 'registered', level: 'registered', points: 0, competenciesValidAtStart: 0 }),
    });
    // The paid term keeps its level to its end; the drop comes with the next term.
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'certified' });
    await skipTo(Date.parse(third.term.start) + DAY_MS);
    await eventually(async () => (await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).level === 'registered');
    expect(await prisma.invoice.count({ where: { partnerId, purpose: 'renewal' } })).toBe(1);
  });

  it('moves up at renewal when the partner earned the next level, once paid', async () => {
    const partnerId = await partnerAt('registered');
    const handle = await startMembership(partnerId, 'registered');
    const first = await stateAt(handle, 1);
    await skipTo(daysBeforeEnd(first, renewalWindowOpensDaysBefore - 1));
    await eventually(async () => (await handle.query(membershipStateQuery)).status === 'renewal_open');
    await qualifyForCertified(partnerId);

    const invoice = await renewalInvoiceOf(handle, 1);
    expect(invoice).toMatchObject({ totalMinor: CERTIFIED_FEE });
    expect(await handle.query(membershipStateQuery)).toMatchObject({ status: 'awaiting_payment', renewalLevel: 'certified' });
    await pay(invoice);
    const second = await stateAt(handle, 2);
    expect(second.term).toMatchObject({ start: first.term.end, level: 'certified' });
    await skipTo(Date.parse(second.term.start) + DAY_MS);
    await eventually(async () => (await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).level === 'certified');
  });

  it('lapses when the renewal stays unpaid past online benefits grace, with every step on record', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified', env.client);
    const { term } = await stateAt(handle, 1);
    expect(await handle.result()).toEqual({ status: 'lapsed', termNumber: 1 });

    const membership = await prisma.membership.findUniqueOrThrow({ where: { partnerId } });
    expect(membership).toMatchObject({ status: 'lapsed', termNumber: 1, renewalLevel: 'certified', nextMilestone: null });
    const invoice = await prisma.invoice.findUniqueOrThrow({ where: { id: membership.renewalInvoiceId! } });
    expect(invoice).toMatchObject({ status: 'void' });
    expectDueAtTermEnd(invoice.dueAt, term.end);
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'lapsed' });
    const voidedAt = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: invoice.id, action: 'invoice.void' } });
    expect(voidedAt).toBeTruthy();
    const notices = await prisma.notification.findMany({ where: { partnerId }, orderBy: { createdAt: 'asc' } });
    expect(notices.map((notice) => notice.kind).filter((kind) => kind.startsWith('renewal') || kind.startsWith('membership'))).toEqual([
      'membership-started',
      'membership-term-started',
      'renewal-window-open',
      'renewal-requalified',
      'renewal-invoiced',
      'renewal-notice',
      'renewal-grace',
      'renewal-notice',
      'renewal-notice',
      'membership-lapsed',
    ]);
    expect(
      (await prisma.auditEvent.findMany({ where: { entityId: partnerId, entityType: 'membership' }, orderBy: { at: 'asc' } })).map(
        (event) => event.action,
      ),
    ).toEqual([
      'membership.started',
      'membership.term_started',
      'membership.renewal_window_opened',
      'membership.requalified',
      'membership.renewal_invoiced',
      'membership.renewal_notice',
      'membership.grace_started',
      'membership.renewal_notice',
      'membership.renewal_notice',
      'membership.lapsed',
    ]);
    expect(onlineBenefitsGraceDays).toBe(30);
    await maybeRecordHistory(handle, 'membership-lapsed');
  });

  it('renews early from the current end date, and a second payment or request extends nothing', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    const first = await stateAt(handle, 1);
    await expect(handle.executeUpdate(renewNowUpdate, { args: [{ requestedBy: 'partner-key' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    await skipTo(daysBeforeEnd(first, renewalWindowOpensDaysBefore - 5));
    await eventually(async () => (await handle.query(membershipStateQuery)).status === 'renewal_open');

    const decided = await handle.executeUpdate(renewNowUpdate, { args: [{ requestedBy: 'partner-key' }] });
    expect(decided).toMatchObject({ status: 'awaiting_payment', renewalLevel: 'certified', renewalInvoiceId: expect.any(String) });
    const invoice = await eventually(() => prisma.invoice.findUnique({ where: { id: decided.renewalInvoiceId! } }));
    expectDueAtTermEnd(invoice.dueAt, first.term.end);
    expect(await pay(invoice)).toMatchObject({ status: 'applied' });
    const second = await stateAt(handle, 2);
    expect(second.term).toMatchObject({ start: first.term.end, end: termEnd(new Date(first.term.end), 12).toISOString() });

    // Paid again: the invoice is settled, so the money is held for an administrator, who returns it.
    const again = pay(invoice);
    const held = await eventually(() => prisma.payment.findFirst({ where: { invoiceId: invoice.id, status: 'held' } }));
    await realTime.workflow.getHandle(held.workflowId).executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId: await pendingReviewOf(prisma, held.id), decision: 'reject', reason: 'Already paid', decidedBy: 'admin-key' }],
    });
    expect(await again).toMatchObject({ status: 'refunded' });
    await expect(handle.executeUpdate(renewNowUpdate, { args: [{ requestedBy: 'partner-key' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({
      termNumber: 2,
      termStart: new Date(first.term.end),
      termEnd: termEnd(new Date(first.term.end), 12),
    });
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'membership.renewed' } })).toBe(1);
    expect(await prisma.invoice.count({ where: { partnerId, purpose: 'renewal' } })).toBe(1);
  });

  it('keeps the level by a documented exception although the partner no longer qualifies', async () => {
    const partnerId = await partnerAt('certified');
    await prisma.pointEntry.deleteMany({ where: { partnerId } });
    const handle = await startMembership(partnerId, 'certified');
    const state = await stateAt(handle, 1);
    await skipTo(daysBeforeEnd(state, renewalWindowOpensDaysBefore - 1));
    await eventually(async () => (await handle.query(membershipStateQuery)).status === 'renewal_open');
    await expect(handle.executeUpdate(grantRenewalExceptionUpdate, { args: [{ actor: 'admin-key', reason: ' ' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    const granted = await handle.executeUpdate(grantRenewalExceptionUpdate, {
      args: [{ actor: 'admin-key', reason: 'Points lost to a data migration; restored next quarter' }],
    });
    expect(granted.status).toBe('renewal_open');

    const invoice = await renewalInvoiceOf(handle, 1);
    expect(invoice).toMatchObject({ totalMinor: CERTIFIED_FEE });
    expect(await prisma.auditEvent.findFirst({ where: { dedupeKey: `membership:${partnerId}:term:1:requalified` } })).toMatchObject({
      actor: 'admin-key',
      after: expect.objectContaining({ qualifiedLevel: 'registered', level: 'certified', points: 0 }),
    });
    expect(
      await prisma.auditEvent.findFirst({ where: { entityId: partnerId, action: 'membership.renewal_exception_granted' } }),
    ).toMatchObject({ actor: 'admin-key', after: expect.objectContaining({ keptLevel: 'certified' }) });
  });

  it('ends cleanly on withdrawal, voiding the open renewal invoice', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    const invoice = await renewalInvoiceOf(handle, 1);

    const withdrawal = await realTime.workflow.start(withdrawalWorkflow, {
      workflowId: withdrawalWorkflowId(partnerId),
      taskQueue: worker.taskQueue,
      args: [{ partnerId, reason: 'Leaving the program', requestedBy: 'partner-key' }],
    });
    expect(await withdrawal.result()).toMatchObject({ status: 'withdrawn' });
    expect(await realTime.workflow.getHandle(handle.workflowId).result()).toEqual({ status: 'withdrawn', termNumber: 1 });
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({
      status: 'withdrawn',
      statusReason: 'Leaving the program',
      nextMilestone: null,
    });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({ status: 'void' });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'withdrawn' });
    await maybeRecordHistory(withdrawal, 'withdrawal-ends-membership');
    await maybeRecordHistory(realTime.workflow.getHandle(handle.workflowId), 'membership-withdrawn');
  });

  it('starts the membership when an enrollment activates the partner', async () => {
    const enrollmentId = randomUUID();
    const partnerId = randomUUID();
    const key = issueRandomApiKey();
    const enrollment = await realTime.workflow.start(enrollmentWorkflow, {
      workflowId: enrollmentWorkflowId(enrollmentId),
      taskQueue: worker.taskQueue,
      args: [{ enrollmentId, partnerId, partnerApiKey: { id: key.id, hash: key.hash }, application: sampleApplication() }],
    });
    started.push(membershipWorkflowId(partnerId));
    const reviewTaskId = await eventually(() => prisma.reviewTask.findFirst({ where: { enrollmentId, status: 'pending' } }));
    await enrollment.executeUpdate(reviewDecisionUpdate, {
      args: [{ reviewTaskId: reviewTaskId.id, decision: 'approve', reason: 'meets the terms', decidedBy: 'reviewer-key' }],
    });
    expect(await enrollment.result()).toMatchObject({ status: 'active' });
    const state = await stateAt(realTime.workflow.getHandle(membershipWorkflowId(partnerId)), 1);
    expect(state).toMatchObject({ status: 'active', term: { number: 1, level: 'registered' } });
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({
      workflowId: membershipWorkflowId(partnerId),
      termNumber: 1,
      termStart: new Date(state.term.start),
      level: 'registered',
    });
    await maybeRecordHistory(enrollment, 'enrollment-starts-membership');
  });
});

describe('membership renewal under a changed catalog and with demo terms (time-skipping server)', () => {
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createIsolatedDatabase();
    await useRig(databaseUrl);
  });

  afterAll(() => rig?.stop());

  it('charges a fee change from the next renewal only', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    const first = await renewalInvoiceOf(handle, 1);
    expect(first.totalMinor).toBe(CERTIFIED_FEE);
    // Mid-term, after this term's decision: Certified now costs 1,800.00 USD.
    await publishCatalogVariant(databaseUrl, 'test-renewal-fee-rise', (doc) => {
      doc.levels.find((level) => level.code === 'certified')!.fees.default.amountMinor = 180000;
    });
    await pay(first);
    await qualifyForCertified(partnerId);
    const second = await renewalInvoiceOf(handle, 2);
    expect(second).toMatchObject({ totalMinor: 180000, catalogVersionId: 'test-renewal-fee-rise' });
    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: 'paid',
      totalMinor: CERTIFIED_FEE,
    });
  });

  it('renews on its own when the worker runs terms of minutes (MEMBERSHIP_TERM_MINUTES)', async () => {
    const demo = await startTestWorker(env.nativeConnection, { prisma, membershipTermMinutes: 2 });
    try {
      const partnerId = await partnerAt('registered');
      const handle = await startMembership(partnerId, 'registered', env.client, demo.taskQueue);
      const first = await stateAt(handle, 1);
      expect(Date.parse(first.term.end) - Date.parse(first.term.start)).toBe(2 * 60_000);
      await env.sleep(5 * 60_000);
      const later = await eventually(() => prisma.membership.findFirst({ where: { partnerId, termNumber: { gte: 3 } } }));
      expect(later.termStart.getTime()).toBe(Date.parse(first.term.start) + (later.termNumber - 1) * 2 * 60_000);
      expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'membership.renewed' } })).toBe(later.termNumber - 1);
      // Ended while its worker still runs.
      await endMembership(handle);
    } finally {
      await demo.stop();
    }
  });
});

describe('competencies follow the membership year (time-skipping server, real activities and Postgres)', () => {
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createIsolatedDatabase();
    await useRig(databaseUrl);
  });
  afterAll(() => rig?.stop());

  /**
   * A Certified member whose Security competency is verified and granted (by a reviewer) in month
   * three of its first term, on evidence recorded then.
   */
  async function certifiedWithCompetencyInMonthThree() {
    const partnerId = await partnerAt('registered');
    await prisma.partner.update({ where: { id: partnerId }, data: { level: 'certified' } });
    const membership = await startMembership(partnerId, 'certified');
    const first = await stateAt(membership, 1);
    await skipTo(Date.parse(first.term.start) + 90 * DAY_MS);
    await recordSecurityEvidence(partnerId, await serverNow());
    const verification = await realTime.workflow.start(competencyWorkflow, {
      workflowId: competencyWorkflowId(partnerId, 'security'),
      taskQueue: worker.taskQueue,
      args: [{ partnerId, code: 'security', requestedBy: 'partner-key' }],
    });
    await verification.executeUpdate(reviewDecisionUpdate, {
      args: [
        {
          reviewTaskId: await pendingReviewOf(prisma, partnerCompetencyId(partnerId, 'security')),
          decision: 'approve',
          reason: 'ok',
          decidedBy: 'reviewer',
        },
      ],
    });
    const grant = await eventually(async () => {
      const row = await prisma.partnerCompetency.findUnique({ where: { id: partnerCompetencyId(partnerId, 'security') } });
      return row?.status === 'granted' && row;
    });
    return { partnerId, membership, verification, first, grant };
  }

  it('keeps the level all term, re-verifies the competency at renewal and renews at Certified while its evidence holds', async () => {
    const { partnerId, membership, verification, first, grant } = await certifiedWithCompetencyInMonthThree();
    // Valid for the membership year, not twelve months from the grant.
    expect(grant.validUntil!.toISOString()).toBe(first.term.end);

    const firstRun = (await membership.describe()).runId;
    const invoice = await renewalInvoiceOf(membership, 1);
    expect(invoice).toMatchObject({ purpose: 'renewal', totalMinor: CERTIFIED_FEE });
    const nextEnd = termEnd(new Date(first.term.end), 12).toISOString();
    const reverified = await prisma.partnerCompetency.findUniqueOrThrow({ where: { id: grant.id } });
    expect(reverified.validUntil!.toISOString()).toBe(nextEnd);
    expect(await prisma.auditEvent.count({ where: { entityId: grant.id, action: 'competency.reverified' } })).toBe(1);
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'certified' });

    await pay(invoice);
    const second = await stateAt(membership, 2);
    expect(second.term).toMatchObject({ start: first.term.end, level: 'certified' });
    // The grant's workflow holds it into the new term: a year past the grant, it has not expired.
    await skipTo(Date.parse(first.term.end) + 120 * DAY_MS);
    expect(await prisma.partnerCompetency.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: 'granted' });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'certified' });
    expect(await verification.query(competencyStateQuery)).toMatchObject({ status: 'granted' });
    await maybeRecordHistory(realTime.workflow.getHandle(membership.workflowId, firstRun), 'membership-renewed-competency-reverified');
    await maybeRecordHistory(verification, 'competency-held-for-membership-year');
  });

  it('renews at Registered when the evidence no longer holds under the catalog then in force, keeping Certified to the term end', async () => {
    const { partnerId, membership, first, grant } = await certifiedWithCompetencyInMonthThree();
    const decisionAt = daysBeforeEnd(first, renewal.decisionDaysBeforeEnd);
    // Before the decision, the program asks more of Security: three professionals.
    await skipTo(decisionAt - 5 * DAY_MS);
    await publishCatalogVariant(databaseUrl, 'test-stricter-security', (doc) => {
      doc.competencies.find((competency) => competency.code === 'security')!.requirements.certifiedProfessionals!.count = 3;
    });
    await skipTo(decisionAt + DAY_MS);
    const decided = await eventually(() =>
      prisma.auditEvent.findFirst({ where: { dedupeKey: `membership:${partnerId}:term:1:requalified` } }),
    );
    expect(decided.after).toMatchObject({ qualifiedLevel: 'registered', level: 'registered', competenciesValidAtStart: 0, points: 50 });
    expect(await prisma.partnerCompetency.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({
      validUntil: new Date(first.term.end),
    });
    expect(await prisma.auditEvent.count({ where: { entityId: grant.id, action: 'competency.reverification_failed' } })).toBe(1);
    // Certified to the last day of the term it paid; Registered from the next one.
    await skipTo(Date.parse(first.term.end) - DAY_MS);
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'certified' });
    const second = await stateAt(membership, 2);
    expect(second.term).toMatchObject({ start: first.term.end, level: 'registered' });
    await skipTo(Date.parse(first.term.end) + DAY_MS);
    await eventually(async () => (await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).level === 'registered');
  });
});

describe('a renewal waits for new program terms (time-skipping server, real activities and Postgres)', () => {
  beforeAll(async () => useRig(await createIsolatedDatabase()));
  afterAll(() => rig?.stop());

  /** A member that accepted last year's terms, not the ones the catalog in force states. */
  async function memberOnOldTerms() {
    const partnerId = await partnerAt('registered');
    await prisma.partner.update({ where: { id: partnerId }, data: { termsVersion: 'PPA-2025-01' } });
    const membership = await startMembership(partnerId, 'registered');
    const first = await stateAt(membership, 1);
    const runId = (await membership.describe()).runId;
    await skipTo(daysBeforeEnd(first, renewal.decisionDaysBeforeEnd - 1));
    await eventually(async () => (await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).status === 'awaiting_terms');
    return { partnerId, membership, first, runId };
  }

  it('asks for the terms at the decision point and decides once the partner accepts them', async () => {
    const { partnerId, membership, first, runId } = await memberOnOldTerms();
    expect(await prisma.notification.findFirst({ where: { partnerId, kind: 'renewal-terms-required' } })).toMatchObject({
      subject: expect.stringContaining('Partner Program Agreement'),
    });
    expect(await prisma.auditEvent.findFirst({ where: { dedupeKey: `membership:${partnerId}:term:1:requalified` } })).toBeNull();

    const version = readCatalogDocuments().at(-1)!.rules.programTerms!.version;
    const acceptance = await realTime.workflow.start(termsAcceptanceWorkflow, {
      workflowId: termsAcceptanceWorkflowId(partnerId, version),
      taskQueue: worker.taskQueue,
      args: [{ partnerId, version, acceptedBy: 'partner-key' }],
    });
    const accepted = await acceptance.result();
    await maybeRecordHistory(acceptance, 'terms-accepted');
    expect(accepted.termsVersion).toBe(version);
    const second = await stateAt(membership, 2);
    expect(second.term).toMatchObject({ start: first.term.end, level: 'registered' });
    expect(await prisma.auditEvent.findFirst({ where: { dedupeKey: `membership:${partnerId}:term:1:requalified` } })).toMatchObject({
      actor: 'system',
    });
    await maybeRecordHistory(realTime.workflow.getHandle(membership.workflowId, runId), 'membership-terms-accepted');
  });

  it('lapses when the terms are still not accepted once online benefits grace has passed', async () => {
    const { partnerId, membership, first } = await memberOnOldTerms();
    await skipTo(Date.parse(first.term.end) + (onlineBenefitsGraceDays + 1) * DAY_MS);
    expect(await membership.result()).toEqual({ status: 'lapsed', termNumber: 1 });
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({
      status: 'lapsed',
      statusReason: 'The program terms in force were not accepted before the grace period ended',
    });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'lapsed' });
  });
});

describe('benefits follow the membership term (time-skipping server, real activities and Postgres)', () => {
  beforeAll(async () => useRig(await createIsolatedDatabase()));
  afterAll(() => rig?.stop());

  /** Gold asks 120 points: 60 from qualifying for Certified and 70 more, all in the trailing window. */
  async function qualifyForGold(partnerId: string): Promise<void> {
    await qualifyForCertified(partnerId);
    await awardPoints(partnerId, 'business-win', 70);
  }

  it("grants a Gold term's benefits, resets usage at the next term and ends the last term's rows", async () => {
    const partnerId = await partnerAt('gold');
    await qualifyForGold(partnerId);
    const handle = await startMembership(partnerId, 'gold');
    const first = await stateAt(handle, 1);
    const { view, byKey } = await entitlementsOfTerm(partnerId, 1);
    expect(view).toMatchObject({ termNumber: 1, termEnd: first.term.end });
    expect(byKey.get('support-incidents-5|')).toMatchObject({ kind: 'counted', source: 'level', quantity: 5, used: 0, state: 'active' });
    expect(byKey.get('internal-use-licenses|')).toMatchObject({ kind: 'license', quantity: 25 });
    expect(byKey.get('technical-services-coordinator|')).toMatchObject({ state: 'active', validUntil: first.term.end });
    expect(byKey.get('partner-knowledge-base|')).toMatchObject({ state: 'active', graceUntil: expect.any(String) });
    expect(byKey.get('competency-logo|security')).toMatchObject({ source: 'competency', state: 'active' });
    expect(byKey.get('competency-support-incidents|security')).toMatchObject({ quantity: 2 });
    expect(byKey.has('latest-technologies|')).toBe(false);
    const incidents = byKey.get('support-incidents-5|')!;
    await prisma.entitlement.update({ where: { id: incidents.id }, data: { used: 4 } });

    await qualifyForGold(partnerId);
    const invoice = await renewalInvoiceOf(handle, 1);
    expect(invoice).toMatchObject({ totalMinor: 250000 });
    await pay(invoice);
    const second = await stateAt(handle, 2);
    // Renewed ahead of its end: the page still shows the term in force, its usage kept.
    expect((await entitlementsNow(partnerId)).view).toMatchObject({ termNumber: 1, termEnd: first.term.end });
    expect((await entitlementsNow(partnerId)).byKey.get('support-incidents-5|')).toMatchObject({ used: 4, remaining: 1 });
    await skipTo(Date.parse(second.term.start) + DAY_MS);
    const next = await entitlementsOfTerm(partnerId, 2);
    expect(next.view).toMatchObject({ termNumber: 2, termStart: first.term.end });
    expect(next.byKey.get('support-incidents-5|')).toMatchObject({ used: 0, remaining: 5, state: 'active', validUntil: second.term.end });
    const lastTerm = await prisma.entitlement.findUniqueOrThrow({ where: { id: incidents.id } });
    expect(lastTerm).toMatchObject({ used: 4, endReason: 'term-ended' });
    expect(lastTerm.endedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(first.term.end));
    // Started, renewed and started again: one row per benefit and source and term, whatever the retries.
    const perTerm = await prisma.entitlement.groupBy({
      by: ['termNumber'],
      where: { partnerId },
      _count: true,
      orderBy: { termNumber: 'asc' },
    });
    expect(perTerm.map((group) => group._count)).toEqual([view.entitlements.length, view.entitlements.length]);
  });

  it('renews an auto-renewing subscription with the term: bought again at the next term’s price, granted once paid', async () => {
    const partnerId = await partnerAt('gold');
    await qualifyForGold(partnerId);
    const handle = await startMembership(partnerId, 'gold');
    const first = await stateAt(handle, 1);
    await entitlementsOfTerm(partnerId, 1);

    const purchaseId = randomUUID();
    const purchase = await realTime.workflow.start(benefitPurchaseWorkflow, {
      workflowId: benefitPurchaseWorkflowId(partnerId, purchaseId),
      taskQueue: worker.taskQueue,
      args: [{ purchaseId, partnerId, benefitCode: 'technet-subscription', requestedBy: 'partner-key', autoRenew: true }],
    });
    // Gold's 175.00 less the 10% Security saves, for a whole term.
    const invoice = await eventually(() => prisma.invoice.findFirst({ where: { subjectId: purchaseId } }));
    expect(invoice).toMatchObject({ purpose: 'benefit', totalMinor: 15750 });
    await pay(invoice);
    expect(await purchase.result()).toEqual({ status: 'paid', invoiceId: invoice.id });
    await maybeRecordHistory(purchase, 'benefit-purchase-auto-renewing');
    const subscribed = (await entitlementsNow(partnerId)).byKey.get(`technet-subscription|${purchaseId}`);
    expect(subscribed).toMatchObject({ source: 'purchase', kind: 'subscription', state: 'active', validUntil: first.term.end });

    await qualifyForGold(partnerId);
    await pay(await renewalInvoiceOf(handle, 1));
    const second = await stateAt(handle, 2);
    const secondRun = (await realTime.workflow.getHandle(handle.workflowId).describe()).runId;
    await skipTo(Date.parse(second.term.start) + DAY_MS);
    // The term start bought it again, for the new term, at its member price.
    const renewal = await eventually(() => prisma.benefitPurchase.findFirst({ where: { renewalOf: purchaseId } }));
    expect(renewal).toMatchObject({ partnerId, benefitCode: 'technet-subscription', termNumber: 2, autoRenew: true, priceMinor: 15750 });
    expect(renewal.validUntil!.toISOString()).toBe(second.term.end);
    const renewalInvoice = await eventually(() => prisma.invoice.findFirst({ where: { subjectId: renewal.id, status: 'open' } }));
    expect((await entitlementsNow(partnerId)).byKey.has(`technet-subscription|${renewal.id}`)).toBe(false);
    await pay(renewalInvoice);
    const renewed = await eventually(async () => (await entitlementsOfTerm(partnerId, 2)).byKey.get(`technet-subscription|${renewal.id}`));
    expect(renewed).toMatchObject({ source: 'purchase', state: 'active', validUntil: second.term.end });
    // The last term's subscription ended with it; one renewal, whatever the retries.
    expect(await prisma.entitlement.findUniqueOrThrow({ where: { id: subscribed!.id } })).toMatchObject({ endReason: 'term-ended' });
    expect(await prisma.benefitPurchase.count({ where: { partnerId } })).toBe(2);
    await maybeRecordHistory(realTime.workflow.getHandle(handle.workflowId, secondRun), 'membership-term-renews-purchase');
  });

  it('keeps online access through the grace period of an unpaid renewal, then ends everything at the lapse', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    const { term } = await stateAt(handle, 1);
    await entitlementsOfTerm(partnerId, 1);
    await skipTo(Date.parse(term.end) + DAY_MS);
    await eventually(async () => (await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).status === 'grace');
    const inGrace = await entitlementsNow(partnerId);
    expect(inGrace.byKey.get('partner-learning-center|')).toMatchObject({ state: 'grace' });
    expect(inGrace.byKey.get('partner-channel-builder|')).toMatchObject({ state: 'grace' });
    expect(inGrace.byKey.get('support-incidents-5|')).toMatchObject({ state: 'ended' });
    expect(inGrace.byKey.get('partner-logos|')).toMatchObject({ state: 'ended' });
    const graceEnds = Date.parse(term.end) + onlineBenefitsGraceDays * DAY_MS;
    expect(inGrace.byKey.get('partner-learning-center|')!.graceUntil).toBe(new Date(graceEnds).toISOString());

    expect(await env.client.workflow.getHandle(handle.workflowId).result()).toEqual({ status: 'lapsed', termNumber: 1 });
    started.splice(started.indexOf(handle.workflowId), 1);
    const lapsed = await entitlementsNow(partnerId);
    expect(lapsed.view.membershipStatus).toBe('lapsed');
    expect(lapsed.view.entitlements.every((item) => item.state === 'ended' && item.endReason === 'lapsed')).toBe(true);
  });

  it('gives the new term the lower level’s set when the partner renews below its level', async () => {
    const partnerId = await partnerAt('gold');
    const handle = await startMembership(partnerId, 'gold');
    const { byKey } = await entitlementsOfTerm(partnerId, 1);
    expect(byKey.get('technical-services-coordinator|')).toMatchObject({ state: 'active' });

    // Its 60 points qualify it for Certified only at the decision.
    const invoice = await renewalInvoiceOf(handle, 1);
    expect(invoice).toMatchObject({ totalMinor: CERTIFIED_FEE });
    await pay(invoice);
    const second = await stateAt(handle, 2);
    expect(second.term.level).toBe('certified');
    await skipTo(Date.parse(second.term.start) + DAY_MS);
    const next = await entitlementsOfTerm(partnerId, 2);
    expect(next.byKey.has('technical-services-coordinator|')).toBe(false);
    expect(next.byKey.has('partner-knowledge-base|')).toBe(false);
    expect(next.byKey.has('solution-finder-priority|')).toBe(false);
    expect(next.byKey.get('internal-use-licenses|')).toMatchObject({ quantity: 10, state: 'active' });
  });

  it('adds the higher level’s benefits from the day of an upgrade, raising counted ones, and stops all at withdrawal', async () => {
    const partnerId = await partnerAt('certified');
    const handle = await startMembership(partnerId, 'certified');
    const first = await stateAt(handle, 1);
    const before = await entitlementsOfTerm(partnerId, 1);
    expect(before.byKey.get('internal-use-licenses|')).toMatchObject({ quantity: 10 });
    expect(before.byKey.has('technical-services-coordinator|')).toBe(false);

    await skipTo(Date.parse(first.term.start) + 100 * DAY_MS);
    const upgradedAt = await serverNow();
    await handle.signal(membershipLevelChangedSignal, { level: 'gold', cause: 'upgrade approved' });
    const tsc = await eventually(() =>
      prisma.entitlement.findFirst({ where: { partnerId, termNumber: 1, benefitCode: 'technical-services-coordinator' } }),
    );
    expect(tsc.validFrom.getTime()).toBeGreaterThanOrEqual(upgradedAt.getTime());
    expect(tsc.validUntil.toISOString()).toBe(first.term.end);
    const after = await entitlementsNow(partnerId);
    expect(after.byKey.get('internal-use-licenses|')).toMatchObject({ quantity: 25, id: before.byKey.get('internal-use-licenses|')!.id });
    expect(after.byKey.get('support-incidents-5|')!.id).toBe(before.byKey.get('support-incidents-5|')!.id);
    expect(after.byKey.get('solution-finder-priority|')).toMatchObject({ kind: 'listing', state: 'active' });

    await endMembership(handle);
    started.splice(started.indexOf(handle.workflowId), 1);
    const ended = await entitlementsNow(partnerId);
    expect(ended.view.entitlements.length).toBeGreaterThan(0);
    expect(ended.view.entitlements.every((item) => item.state === 'ended' && item.endReason === 'withdrawn')).toBe(true);
  });
});

describe('designations follow the membership year (time-skipping server, real activities and Postgres)', () => {
  beforeAll(async () => useRig(await createIsolatedDatabase()));
  afterAll(() => rig?.stop());

  const SBSC = 'small-business-specialist';

  /** An application for the Small Business Specialist as community member SB-1, through its own workflow. */
  function applyForSbsc(partnerId: string) {
    return realTime.workflow.start(designationWorkflow, {
      workflowId: designationWorkflowId(partnerId, SBSC),
      taskQueue: worker.taskQueue,
      args: [
        {
          partnerId,
          code: SBSC,
          designationId: partnerDesignationId(partnerId, SBSC),
          communityMemberId: 'SB-1',
          requestId: randomUUID(),
          requestedBy: 'partner-key',
        },
      ],
    });
  }

  async function decide(application: WorkflowHandle, partnerId: string, decision: ReviewDecision, reason = 'checked') {
    const reviewTaskId = await pendingReviewOf(prisma, partnerDesignationId(partnerId, SBSC));
    await application.executeUpdate(reviewDecisionUpdate, { args: [{ reviewTaskId, decision, reason, decidedBy: 'reviewer' }] });
  }

  const communityEnrollment = (at: Date) => ({
    kind: 'small-business-specialist',
    details: { memberId: 'SB-1', enrolledAt: at.toISOString() },
  });

  const designationOf = (partnerId: string) =>
    prisma.partnerDesignation.findUniqueOrThrow({ where: { id: partnerDesignationId(partnerId, SBSC) } });

  /**
   * A Registered member enrolled in the community as SB-1, holding Security, a month into its
   * first term, when its designation is granted. With `securityEvidence` it also has what
   * re-verifies Security at renewal (two professionals among it); without, one professional only,
   * so the designation rests on Security alone.
   */
  async function designatedMember(securityEvidence: boolean) {
    const partnerId = await partnerAt('registered');
    const membership = await startMembership(partnerId, 'registered');
    const first = await stateAt(membership, 1);
    await entitlementsOfTerm(partnerId, 1);
    await skipTo(Date.parse(first.term.start) + 30 * DAY_MS);
    const now = await serverNow();
    await grantSecurity(partnerId, now, 10);
    await recordEvidence(partnerId, now, [communityEnrollment(now), ...(securityEvidence ? [] : professionals(1))]);
    if (securityEvidence) await recordSecurityEvidence(partnerId, now);
    const application = await applyForSbsc(partnerId);
    await decide(application, partnerId, 'approve');
    const granted = await eventually(async () => {
      const row = await designationOf(partnerId);
      return row.status === 'granted' && row;
    });
    // Valid for the membership year, with its toolkit from the grant.
    expect(granted.validUntil!.toISOString()).toBe(first.term.end);
    expect((await entitlementsNow(partnerId)).byKey.get(`sbsc-toolkit|${SBSC}`)).toMatchObject({ source: 'designation', state: 'active' });
    return { partnerId, membership, application, first };
  }

  it('re-verifies it at renewal while the requirements hold: extended to the next term end, its toolkit granted for that term', async () => {
    const { partnerId, membership, application, first } = await designatedMember(true);
    await skipTo(daysBeforeEnd(first, renewal.decisionDaysBeforeEnd - 1));
    const nextEnd = termEnd(new Date(first.term.end), 12).toISOString();
    await eventually(async () => (await designationOf(partnerId)).validUntil!.toISOString() === nextEnd);
    expect(
      await prisma.auditEvent.count({ where: { entityId: partnerDesignationId(partnerId, SBSC), action: 'designation.reverified' } }),
    ).toBe(1);

    const second = await stateAt(membership, 2);
    await skipTo(Date.parse(second.term.start) + DAY_MS);
    const next = await entitlementsOfTerm(partnerId, 2);
    expect(next.byKey.get(`sbsc-toolkit|${SBSC}`)).toMatchObject({ state: 'active', validUntil: second.term.end });
    // The application's run passed the old end and holds the grant into the new term.
    expect(await designationOf(partnerId)).toMatchObject({ status: 'granted' });
    expect(await application.query(designationStateQuery)).toEqual({ status: 'granted', validUntil: nextEnd });
    await maybeRecordHistory(application, 'designation-granted');

    expect(await application.executeUpdate(revokeDesignationUpdate, { args: [{ reason: 'Left the community', actor: 'admin' }] })).toEqual({
      status: 'revoked',
    });
    expect(await application.result()).toEqual({ status: 'revoked' });
    expect((await entitlementsNow(partnerId)).byKey.get(`sbsc-toolkit|${SBSC}`)).toMatchObject({
      state: 'ended',
      endReason: 'no-longer-included',
    });
    await maybeRecordHistory(application, 'designation-revoked');
  });

  it('lets it expire at the term end once a competency it rests on was lost at renewal, and tells the partner', async () => {
    const { partnerId, membership, application, first } = await designatedMember(false);
    await skipTo(daysBeforeEnd(first, renewal.decisionDaysBeforeEnd - 1));
    // Security fails its re-verification (no evidence): it ends with this term, and one professional is not enough.
    const failed = await eventually(() =>
      prisma.auditEvent.findFirst({
        where: { entityId: partnerDesignationId(partnerId, SBSC), action: 'designation.reverification_failed' },
      }),
    );
    expect(failed.after).toMatchObject({ validUntil: first.term.end });
    const notice = await eventually(() =>
      prisma.notification.findFirst({ where: { partnerId, kind: 'designation-reverification-failed' } }),
    );
    expect(notice.body).toContain('certifiedProfessionals 1/2');
    // Held to the last day of the membership year it was granted for.
    expect(await designationOf(partnerId)).toMatchObject({ status: 'granted', validUntil: new Date(first.term.end) });

    const second = await stateAt(membership, 2);
    await skipTo(Date.parse(second.term.start) + DAY_MS);
    expect(await application.result()).toEqual({ status: 'expired' });
    expect(await designationOf(partnerId)).toMatchObject({ status: 'expired' });
    const next = await entitlementsOfTerm(partnerId, 2);
    expect(next.byKey.has(`sbsc-toolkit|${SBSC}`)).toBe(false);
    const lastTerm = await prisma.entitlement.findFirstOrThrow({ where: { partnerId, termNumber: 1, benefitCode: 'sbsc-toolkit' } });
    expect(lastTerm.endedAt).not.toBeNull();
    await eventually(() => prisma.notification.findFirst({ where: { partnerId, kind: 'designation-expired' } }));
    await maybeRecordHistory(application, 'designation-expired');
  });

  it('refuses an application whose requirements are unmet, and records a rejection', async () => {
    const unmet = await partnerAt('registered');
    const refused = await applyForSbsc(unmet);
    expect(await refused.result()).toEqual({ status: 'refused' });
    expect(await designationOf(unmet)).toMatchObject({
      status: 'refused',
      statusReason: expect.stringContaining('communityEnrollment 0/1'),
    });
    await maybeRecordHistory(refused, 'designation-refused');

    const partnerId = await partnerAt('registered');
    const now = await serverNow();
    await recordEvidence(partnerId, now, [communityEnrollment(now), ...professionals(2)]);
    const rejected = await applyForSbsc(partnerId);
    await decide(rejected, partnerId, 'reject', 'Not on the community roll');
    expect(await rejected.result()).toEqual({ status: 'rejected' });
    expect(await designationOf(partnerId)).toMatchObject({
      status: 'rejected',
      statusReason: 'Not on the community roll',
      validUntil: null,
    });
    await maybeRecordHistory(rejected, 'designation-rejected');
  });
});
