import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { PrismaClient } from '../../lib/database';
import type { MembershipStep } from '../../workflows/renewals/definitions';
import { createActivePartner, RecordingMailer, RecordingPaymentProvider, testPrisma } from '../support/fixtures';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('membership and renewal activities (real Postgres)', () => {
  let prisma: PrismaClient;
  let mailer: RecordingMailer;
  let activities: ReturnType<typeof createActivities>;
  const env = new MockActivityEnvironment();
  /** Runs an activity as a worker would, keeping its result's type. */
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run(activity, ...args) as Promise<R>;

  beforeAll(() => {
    prisma = testPrisma();
    mailer = new RecordingMailer();
    activities = createActivities({ prisma, mailer, payments: new RecordingPaymentProvider(), clock: { now: () => NOW } });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  const sentTo = async (partnerId: string) => {
    const { contactEmail } = await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } });
    return mailer.sent.filter((message) => message.to === contactEmail).map((message) => message.subject);
  };

  function openTerm(partnerId: string, termNumber: number, termStart: string, level: 'registered' | 'certified' | 'gold' = 'registered') {
    return run(activities.openMembershipTerm, {
      partnerId,
      termNumber,
      workflowId: `membership-${partnerId}`,
      level,
      termStart,
      asOf: NOW.toISOString(),
    });
  }

  it('opens a term once, twelve calendar months long, and a later term replaces it, never the reverse', async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    const plan = await openTerm(partnerId, 1, NOW.toISOString());
    await openTerm(partnerId, 1, NOW.toISOString());
    expect(plan).toMatchObject({
      termEnd: '2027-11-25T12:00:00.000Z',
      timing: { kind: 'calendar', termMonths: 12 },
      catalogVersionId: '2026.1',
      schedule: { renewalWindowOpensDaysBefore: 90, renewal: { decisionDaysBeforeEnd: 60 } },
    });
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'membership.started' } })).toBe(1);
    expect(await sentTo(partnerId)).toEqual(['Your membership has started']);

    await openTerm(partnerId, 2, plan.termEnd);
    await openTerm(partnerId, 1, NOW.toISOString());
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({
      termNumber: 2,
      termStart: new Date(plan.termEnd),
      status: 'active',
    });
  });

  it("starts a term at its level: an active partner takes it, with the level's included benefits on record", async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    await openTerm(partnerId, 1, NOW.toISOString(), 'certified');
    const start = { partnerId, termNumber: 1, level: 'certified' as const, asOf: NOW.toISOString(), nextMilestone: null };
    await run(activities.startMembershipTerm, start);
    await run(activities.startMembershipTerm, start);
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ level: 'certified' });
    const started = await prisma.auditEvent.findMany({ where: { entityId: partnerId, action: 'membership.term_started' } });
    expect(started).toHaveLength(1);
    expect(started[0].after).toMatchObject({ level: 'certified', entitlements: expect.arrayContaining([expect.any(String)]) });
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'partner.level_changed' } })).toBe(1);
  });

  it('records each step of a term once, and a lapse ends the partner too', async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    await openTerm(partnerId, 1, NOW.toISOString());
    const lapse: MembershipStep = {
      partnerId,
      termNumber: 1,
      step: 'lapsed',
      action: 'membership.lapsed',
      actor: 'system',
      status: 'lapsed',
      statusReason: 'Unpaid after the grace period',
      partnerStatus: 'lapsed',
      nextMilestone: null,
      notice: { kind: 'membership-lapsed', subject: 'Your membership has lapsed', body: 'Unpaid.' },
    };
    await run(activities.transitionMembership, lapse);
    await run(activities.transitionMembership, lapse);
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({ status: 'lapsed', nextMilestone: null });
    expect(await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ status: 'lapsed' });
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'membership.lapsed' } })).toBe(1);
    expect((await sentTo(partnerId)).filter((subject) => subject === 'Your membership has lapsed')).toHaveLength(1);
  });

  it('re-qualifies at the decision point with no grandfathering; an exception keeps the current level', async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    await prisma.partner.update({ where: { id: partnerId }, data: { level: 'certified' } });
    await openTerm(partnerId, 1, NOW.toISOString(), 'certified');
    const decision = {
      partnerId,
      termNumber: 1,
      currentLevel: 'certified' as const,
      newTermStart: '2027-11-25T12:00:00.000Z',
      asOf: NOW.toISOString(),
    };
    // No points and no competencies: Certified is not met any more.
    expect(await run(activities.requalifyForRenewal, decision)).toMatchObject({
      qualifiedLevel: 'registered',
      level: 'registered',
      points: 0,
      competenciesValidAtStart: 0,
      graceDays: 30,
      unpaidOutcome: 'lapse',
    });
    const kept = await run(activities.requalifyForRenewal, { ...decision, exception: { actor: 'admin', reason: 'strategic partner' } });
    expect(kept).toMatchObject({ qualifiedLevel: 'registered', level: 'certified' });
    expect(await prisma.membership.findUniqueOrThrow({ where: { partnerId } })).toMatchObject({ renewalLevel: 'certified' });
  });

  it('withdraws an open partner once, and answers false for one that is not in the program', async () => {
    const partnerId = await createActivePartner(prisma, '2026.1');
    const withdrawal = { partnerId, reason: 'leaving', requestedBy: 'partner-key' };
    expect(await run(activities.withdrawPartner, withdrawal)).toBe(true);
    expect(await run(activities.withdrawPartner, withdrawal)).toBe(true);
    expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'partner.withdrawn' } })).toBe(1);
    const rejected = await createActivePartner(prisma, '2026.1');
    await prisma.partner.update({ where: { id: rejected }, data: { status: 'rejected' } });
    expect(await run(activities.withdrawPartner, { ...withdrawal, partnerId: rejected })).toBe(false);
  });
});
