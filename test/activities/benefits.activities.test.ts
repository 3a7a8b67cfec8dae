import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { systemClock } from '../../lib/clock';
import type { PrismaClient } from '../../lib/database';
import { newLicenseKey } from '../../lib/license-keys';
import { benefitsOf } from '../../queries/benefits';
import { RecordingMailer, RecordingPaymentProvider, testPrisma } from '../support/fixtures';
import { memberAt } from '../support/members';

describe('license keys follow the membership term (real activities and Postgres)', () => {
  let prisma: PrismaClient;
  let activities: ReturnType<typeof createActivities>;
  const env = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run(activity, ...args) as Promise<R>;

  beforeAll(() => {
    prisma = testPrisma();
    activities = createActivities({ prisma, clock: systemClock, mailer: new RecordingMailer(), payments: new RecordingPaymentProvider() });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  const issue = (partnerId: string, licenseKeyId = randomUUID()) => {
    const key = newLicenseKey();
    return run(activities.issueLicenseKey, {
      licenseKeyId,
      partnerId,
      benefitCode: 'demo-licenses',
      requestedBy: 'partner-key',
      keyHash: key.hash,
      lastChars: key.lastChars,
      note: null,
    });
  };

  const demoLicenses = async (partnerId: string) =>
    (await benefitsOf(prisma, partnerId, new Date())).entitlements.find((item) => item.benefitCode === 'demo-licenses')!;

  it('issues a key once per use, however often the activity is retried', async () => {
    const partnerId = await memberAt(prisma, 'certified');
    const licenseKeyId = randomUUID();
    const first = await issue(partnerId, licenseKeyId);
    const retried = await issue(partnerId, licenseKeyId);
    expect(retried).toEqual(first);
    expect(await demoLicenses(partnerId)).toMatchObject({
      quantity: 5,
      used: 1,
      licenseKeys: [expect.objectContaining({ id: licenseKeyId })],
    });
  });

  it('revokes the keys of a term when the next one starts, which begins with every license unit unused', async () => {
    const partnerId = await memberAt(prisma, 'certified');
    const issued = await issue(partnerId);
    if (issued.outcome !== 'used') throw new Error(`no key issued: ${issued.outcome}`);

    const nextStart = new Date().toISOString();
    const term = { partnerId, termNumber: 2, level: 'certified' as const, asOf: nextStart };
    await run(activities.openMembershipTerm, { ...term, workflowId: `membership-${partnerId}`, termStart: nextStart });
    await run(activities.startMembershipTerm, { ...term, nextMilestone: null });

    const revoked = await prisma.licenseKey.findUniqueOrThrow({ where: { id: issued.produced.id } });
    expect(revoked.revokedAt).toEqual(new Date(nextStart));
    expect(await prisma.entitlement.findUniqueOrThrow({ where: { id: issued.produced.entitlementId } })).toMatchObject({
      termNumber: 1,
      used: 1,
      endReason: 'term-ended',
    });
    const next = await demoLicenses(partnerId);
    expect(next).toMatchObject({ used: 0, remaining: 5, state: 'active', licenseKeys: [] });
    expect(next.id).not.toBe(issued.produced.entitlementId);
    // Keys are issued from the new term's units from now on.
    expect(await issue(partnerId)).toMatchObject({ outcome: 'used', produced: { entitlementId: next.id } });
  });

  describe('benefit purchases: reserved under a lock, completed once (real activities and Postgres)', () => {
    const reserve = (partnerId: string, purchaseId = randomUUID()) =>
      run(activities.reserveBenefitPurchase, {
        purchaseId,
        partnerId,
        benefitCode: 'msdn-subscription',
        requestedBy: 'partner-key',
        invoiceId: randomUUID(),
        workflowId: `benefit-purchase-${partnerId}-${purchaseId}`,
        asOf: new Date().toISOString(),
      });

    it('reserves one of ten purchases of the same benefit made at once; the others are refused as duplicates', async () => {
      const partnerId = await memberAt(prisma, 'gold');
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => reserve(partnerId)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(refused.map((outcome) => (outcome.reason as { type?: string }).type)).toEqual(Array(9).fill('SubscriptionActive'));
      expect(await prisma.benefitPurchase.count({ where: { partnerId } })).toBe(1);
    });

    it('answers a retried reservation and completion with what the first did, granting one subscription', async () => {
      const partnerId = await memberAt(prisma, 'registered');
      const purchaseId = randomUUID();
      const first = await reserve(partnerId, purchaseId);
      expect(await reserve(partnerId, purchaseId)).toEqual(first);
      expect(first.draft.totalMinor).toBe(108000);
      const asOf = new Date().toISOString();
      const completed = await run(activities.completeBenefitPurchase, { purchaseId, asOf });
      expect(await run(activities.completeBenefitPurchase, { purchaseId, asOf })).toEqual(completed);
      const rows = await prisma.entitlement.findMany({ where: { partnerId, source: 'purchase' } });
      expect(rows).toEqual([
        expect.objectContaining({ id: completed.entitlementId, sourceRef: purchaseId, validUntil: new Date(first.validUntil) }),
      ]);
      expect(await prisma.auditEvent.count({ where: { entityId: partnerId, action: 'benefit.purchased' } })).toBe(1);
      // Held for the term now: a new purchase is refused.
      await expect(reserve(partnerId)).rejects.toMatchObject({ type: 'SubscriptionActive' });
    });
  });
});
