import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { LevelCode } from '../../domain/catalog';
import { DAY_MS } from '../../domain/time';
import { systemClock } from '../../lib/clock';
import type { PrismaClient } from '../../lib/database';
import { createActivePartner, RecordingMailer, RecordingPaymentProvider } from './fixtures';

/**
 * An active partner at `level` in the first term of its membership, begun now under the catalog
 * in force: the term is opened and started by the membership's own activities, so its
 * entitlements are the ones a real term start grants. Above Registered it holds the Security
 * competency, as the level asks, and with it the competency's benefits.
 */
export async function memberAt(prisma: PrismaClient, level: LevelCode): Promise<string> {
  const now = new Date();
  const catalog = await prisma.catalogVersion.findFirstOrThrow({
    where: { effectiveFrom: { lte: now } },
    orderBy: { effectiveFrom: 'desc' },
  });
  const partnerId = await createActivePartner(prisma, catalog.id);
  if (level !== 'registered') {
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
        grantedAt: now,
        validUntil: new Date(now.getTime() + 365 * DAY_MS),
        createdAt: now,
        updatedAt: now,
      },
    });
  }
  const activities = createActivities({
    prisma,
    clock: systemClock,
    mailer: new RecordingMailer(),
    payments: new RecordingPaymentProvider(),
  });
  const env = new MockActivityEnvironment();
  const term = { partnerId, termNumber: 1, level, asOf: now.toISOString() };
  await env.run(activities.openMembershipTerm, { ...term, workflowId: `membership-${partnerId}`, termStart: now.toISOString() });
  await env.run(activities.startMembershipTerm, { ...term, nextMilestone: null });
  return partnerId;
}
