import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { RegisterApplicantInput } from '../../activities/enrollments';
import type { LevelCode } from '../../domain/catalog';
import type { OfficeAddress } from '../../domain/locations';
import { issueRandomApiKey } from '../../lib/api-keys';
import type { PrismaClient } from '../../lib/database';
import { partnerCompetencyId } from '../../lib/ids';
import { RecordingMailer, RecordingPaymentProvider, sampleApplication, testPrisma } from '../support/fixtures';

const NOW = new Date('2026-12-10T12:00:00Z');
const MANCHESTER: OfficeAddress = { addressLine1: '2 Deansgate', city: 'Manchester', postalCode: 'M3 2BB', country: 'GB' };

describe('the directory read model follows every activity that changes what it shows (real Postgres)', () => {
  let prisma: PrismaClient;
  let activities: ReturnType<typeof createActivities>;
  const env = new MockActivityEnvironment();

  beforeAll(() => {
    prisma = testPrisma();
    activities = createActivities({
      prisma,
      mailer: new RecordingMailer(),
      payments: new RecordingPaymentProvider(),
      clock: { now: () => NOW },
    });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  const rowsOf = (partnerId: string) => prisma.directoryListing.findMany({ where: { partnerId }, orderBy: { country: 'asc' } });

  /** A partner enrolled and activated at `level` by its enrollment's approval, as the workflow records it. */
  async function activated(level: LevelCode, offices: OfficeAddress[] = []): Promise<RegisterApplicantInput> {
    const enrollmentId = randomUUID();
    const key = issueRandomApiKey();
    const input: RegisterApplicantInput = {
      enrollmentId,
      partnerId: randomUUID(),
      partnerApiKey: { id: key.id, hash: key.hash },
      application: { ...sampleApplication(), locations: offices },
      workflowId: `enrollment-${enrollmentId}`,
      primaryLocationId: randomUUID(),
      catalogVersionId: '2026.4',
      problems: [],
    };
    await env.run(activities.registerApplicant, input);
    expect(await rowsOf(input.partnerId)).toEqual([]);
    await env.run(activities.transitionEnrollment, {
      workflowId: input.workflowId,
      enrollmentId,
      partnerId: input.partnerId,
      actor: 'reviewer-1',
      action: 'enrollment.activated',
      status: 'active' as const,
      steps: [],
      partner: { status: 'active' as const, level, activated: true },
    });
    return input;
  }

  const changeProfile = (partnerId: string, change: object) =>
    env.run(activities.changePartnerProfile, { requestId: randomUUID(), partnerId, change, actor: 'partner-key' });

  it('lists a partner that reaches Certified at its activation, one row per office country, found by its name', async () => {
    const partner = await activated('certified', [MANCHESTER]);
    const rows = await rowsOf(partner.partnerId);
    expect(rows).toEqual([
      expect.objectContaining({
        country: 'GB',
        presence: 'office',
        name: partner.application.organization.legalName,
        level: 'certified',
        cities: ['London', 'Manchester'],
        technologies: ['sql-server'],
        competencies: [],
        searchConfig: 'simple',
        updatedAt: NOW,
      }),
    ]);
    const tag = partner.application.organization.legalName.split(' ')[1];
    const found = await prisma.$queryRaw<Array<{ partnerId: string }>>`
      SELECT "partnerId"::text FROM "DirectoryListing" WHERE search @@ websearch_to_tsquery('simple', ${tag})`;
    expect(found).toEqual([{ partnerId: partner.partnerId }]);

    // Registered is not a level the catalog lists.
    expect(await rowsOf((await activated('registered')).partnerId)).toEqual([]);
  });

  it('follows offices and the profile: a new office’s city, a country moved to or served, and the opt-out', async () => {
    const { partnerId, primaryLocationId } = await activated('certified');
    await env.run(activities.applyLocationChange, {
      changeId: randomUUID(),
      partnerId,
      change: { kind: 'update' as const, locationId: primaryLocationId, address: { ...MANCHESTER, country: 'IE', city: 'Dublin' } },
      actor: 'partner-key',
    });
    expect((await rowsOf(partnerId)).map((row) => [row.country, row.cities])).toEqual([['IE', ['Dublin']]]);

    await changeProfile(partnerId, {
      serviceAreas: ['FR', 'IE-D', 'DE-BY'],
      languages: ['de', 'en'],
      description: 'Sicherheitsberatung',
      technologies: ['azure'],
    });
    const rows = await rowsOf(partnerId);
    expect(rows.map((row) => [row.country, row.presence, row.cities, row.regions])).toEqual([
      ['DE', 'service-area', [], ['DE-BY']],
      ['FR', 'service-area', [], []],
      ['IE', 'office', ['Dublin'], ['IE-D']],
    ]);
    expect(rows.every((row) => row.searchConfig === 'german' && row.technologies[0] === 'azure')).toBe(true);
    // Stemmed in German: the description's word found by another form of it, weighed below the name.
    const found = await prisma.$queryRaw<Array<{ country: string }>>`
      SELECT country FROM "DirectoryListing"
      WHERE "partnerId" = ${partnerId}::uuid AND search @@ websearch_to_tsquery('german', 'Sicherheitsberatungen') ORDER BY country`;
    expect(found.map((row) => row.country)).toEqual(['DE', 'FR', 'IE']);

    await changeProfile(partnerId, { listed: false });
    expect(await rowsOf(partnerId)).toEqual([]);
    await changeProfile(partnerId, { listed: true });
    expect(await rowsOf(partnerId)).toHaveLength(3);
  });

  it('shows Gold after an upgrade, competencies while granted, and nothing once the partner lapses or withdraws', async () => {
    const { partnerId } = await activated('certified');
    const requestId = randomUUID();
    await prisma.upgradeRequest.create({
      data: {
        id: requestId,
        partnerId,
        workflowId: `upgrade-${partnerId}-${requestId}`,
        fromLevel: 'certified',
        toLevel: 'gold',
        status: 'approved_payment_pending',
        catalogVersionId: '2026.4',
        requestedBy: 'test',
        createdAt: NOW,
        updatedAt: NOW,
      },
    });
    const certifiedRank = (await rowsOf(partnerId))[0].levelRank;
    await env.run(activities.transitionUpgrade, {
      requestId,
      workflowId: `upgrade-${partnerId}-${requestId}`,
      status: 'approved' as const,
      actor: 'system',
      newLevel: 'gold' as const,
    });
    const [gold] = await rowsOf(partnerId);
    expect(gold.level).toBe('gold');
    expect(gold.levelRank).toBeGreaterThan(certifiedRank);

    const runId = randomUUID();
    await prisma.partnerCompetency.create({
      data: {
        id: partnerCompetencyId(partnerId, 'security'),
        partnerId,
        code: 'security',
        workflowId: `competency-${partnerId}-security`,
        runId,
        status: 'granted',
        catalogVersionId: '2026.4',
        requestedBy: 'test',
        grantedAt: NOW,
        validUntil: new Date(NOW.getTime() + 86_400_000),
        createdAt: NOW,
        updatedAt: NOW,
      },
    });
    await changeProfile(partnerId, { description: 'Security first' });
    expect((await rowsOf(partnerId))[0].competencies).toEqual(['security']);
    await env.run(activities.transitionCompetency, {
      workflowId: `competency-${partnerId}-security`,
      runId,
      partnerId,
      code: 'security',
      step: 2,
      status: 'expired' as const,
      actor: 'system',
      requestedBy: 'test',
      catalogVersionId: '2026.4',
    });
    expect((await rowsOf(partnerId))[0].competencies).toEqual([]);

    await env.run(activities.transitionMembership, {
      partnerId,
      termNumber: 1,
      step: 'lapsed',
      action: 'membership.lapsed',
      actor: 'system',
      status: 'lapsed' as const,
      partnerStatus: 'lapsed' as const,
      nextMilestone: null,
      notice: { kind: 'membership-lapsed' as const, subject: 'Lapsed', body: 'Your membership lapsed.' },
    });
    expect(await rowsOf(partnerId)).toEqual([]);

    const leaving = await activated('certified');
    expect(await rowsOf(leaving.partnerId)).toHaveLength(1);
    await env.run(activities.withdrawPartner, { partnerId: leaving.partnerId, reason: 'leaving', requestedBy: 'partner-key' });
    expect(await rowsOf(leaving.partnerId)).toEqual([]);
  });

  it('moves an absorbed partner’s offices into the survivor’s row and removes the absorbed partner’s', async () => {
    const survivor = await activated('certified');
    const absorbed = await activated('certified', [MANCHESTER]);
    const input = { consolidationId: randomUUID(), survivorId: survivor.partnerId, absorbedId: absorbed.partnerId, requestedBy: 'test' };
    const workflowId = `consolidation-${absorbed.partnerId}`;
    await env.run(activities.transitionConsolidation, { ...input, workflowId, step: 1, status: 'in_review' as const, actor: 'test' });
    await env.run(activities.mergePartners, { ...input, workflowId, actor: 'reviewer', asOf: NOW.toISOString() });
    expect(await rowsOf(absorbed.partnerId)).toEqual([]);
    expect((await rowsOf(survivor.partnerId)).map((row) => row.cities)).toEqual([['London', 'Manchester']]);
  });
});
