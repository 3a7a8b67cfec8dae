import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { totalPoints } from '../../domain/points';
import { findCatalogInForce } from '../../queries/catalog';
import type { PrismaClient } from '../../lib/database';
import { ensureLedgerExpirySchedule, LEDGER_EXPIRY_SCHEDULE_ID } from '../../lib/schedules';
import { createActivePartner, eventually, testPrisma } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { createIsolatedDatabase } from '../support/isolated-database';
import { type RunningTestWorker, startTestWorker } from '../support/temporal';
import { DAY_MS } from '../../domain/time';

describe('the daily ledger-expiry schedule (Temporal dev server, real Postgres)', () => {
  let prisma: PrismaClient;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: RunningTestWorker;

  beforeAll(async () => {
    prisma = testPrisma(await createIsolatedDatabase());
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection });
    worker = await startTestWorker(nativeConnection, { prisma });
    // The schedule's id is fixed on the shared dev server: an API test may have left one aimed at its own, stopped, worker.
    await client.schedule
      .getHandle(LEDGER_EXPIRY_SCHEDULE_ID)
      .delete()
      .catch(() => undefined);
  });

  afterAll(async () => {
    await client?.schedule.getHandle(LEDGER_EXPIRY_SCHEDULE_ID).delete();
    await worker?.stop();
    await connection?.close();
    await nativeConnection?.close();
    await prisma?.$disconnect();
  });

  async function award(partnerId: string, points: number, daysAgo: number, sourceCode = 'tested-solution') {
    return prisma.pointEntry.create({
      data: {
        id: randomUUID(),
        dedupeKey: `test:${randomUUID()}`,
        partnerId,
        sourceCode,
        kind: 'award',
        points,
        catalogVersionId: '2026.1',
        occurredAt: new Date(Date.now() - daysAgo * DAY_MS),
        recordedAt: new Date(),
      },
    });
  }

  it('is created once, and records one expiry per award that left the window, for its net points', async () => {
    await ensureLedgerExpirySchedule(client, worker.taskQueue);
    await ensureLedgerExpirySchedule(client, worker.taskQueue);
    const description = await client.schedule.getHandle(LEDGER_EXPIRY_SCHEDULE_ID).describe();
    expect(description.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 0, end: 0, step: 1 }] })]);

    const partnerId = await createActivePartner(prisma, '2026.1');
    const old = await award(partnerId, 10, 366);
    const corrected = await award(partnerId, 10, 400);
    await prisma.pointEntry.create({
      data: {
        id: randomUUID(),
        dedupeKey: `test:${randomUUID()}`,
        partnerId,
        sourceCode: 'tested-solution',
        kind: 'correction',
        points: -4,
        correctsEntryId: corrected.id,
        catalogVersionId: '2026.1',
        occurredAt: corrected.occurredAt,
        recordedAt: new Date(),
      },
    });
    const boundary = await award(partnerId, 5, 365);
    const catalog = (await findCatalogInForce(prisma, new Date()))!;
    const ledger = async () =>
      (await prisma.pointEntry.findMany({ where: { partnerId } })).map((entry) => ({
        ...entry,
        kind: entry.kind as 'award',
        occurredAt: entry.occurredAt.toISOString(),
      }));
    const before = totalPoints(await ledger(), catalog.pointSources, new Date().toISOString());

    // Twice, one run after the other: the second finds nothing new to expire.
    const schedule = client.schedule.getHandle(LEDGER_EXPIRY_SCHEDULE_ID);
    for (let run = 0; run < 2; run++) {
      const before = (await schedule.describe()).info.recentActions.length;
      await schedule.trigger();
      const taken = await eventually(async () => (await schedule.describe()).info.recentActions[before]);
      const sweep = client.workflow.getHandle(taken.action.workflow.workflowId, taken.action.workflow.firstExecutionRunId);
      expect(await sweep.result()).toEqual({ expired: run === 0 ? 2 : 0 });
      if (run === 0) await maybeRecordHistory(sweep, 'ledger-expiry');
    }

    const expiries = await prisma.pointEntry.findMany({ where: { partnerId, kind: 'expiry' }, orderBy: { points: 'asc' } });
    expect(expiries.map((entry) => [entry.correctsEntryId, entry.points, entry.occurredAt.toISOString()])).toEqual([
      [old.id, -10, old.occurredAt.toISOString()],
      [corrected.id, -6, corrected.occurredAt.toISOString()],
    ]);
    expect(expiries.some((entry) => entry.correctsEntryId === boundary.id)).toBe(false);
    expect(totalPoints(await ledger(), catalog.pointSources, new Date().toISOString())).toBe(before);
  });
});
