import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { publishStormCatalog, runRenewalStorm } from '../../bench/storm';
import type { PrismaClient } from '../../lib/database';
import { testPrisma } from '../support/fixtures';
import { createIsolatedDatabase } from '../support/isolated-database';
import { type RunningTestWorker, startTestWorker } from '../support/temporal';

/**
 * A fiscal-year storm in small: this many memberships share one anniversary. Enough for every
 * batch of starts and payments to overlap; the large storm is `npm run bench`'s (300 took up to
 * 240 s on CI's machine, too close to the deadline to prove anything but its speed).
 */
const MEMBERSHIPS = 120;
/**
 * Terms of thirty minutes: a schedule "day" lasts about 5 s, so the renewal is decided a few
 * seconds after the start and the invoices stay payable for minutes, longer than the storm takes.
 */
const TERM_MINUTES = 30;

describe('the renewal storm: a hundred memberships and more with one anniversary (Temporal dev server, real Postgres)', () => {
  let prisma: PrismaClient;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: RunningTestWorker;

  beforeAll(async () => {
    prisma = testPrisma(await createIsolatedDatabase());
    await publishStormCatalog(prisma);
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection });
    worker = await startTestWorker(nativeConnection, { prisma, membershipTermMinutes: TERM_MINUTES });
  });

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await nativeConnection?.close();
    await prisma?.$disconnect();
  });

  it('invoices each membership exactly once and renews every paid one from its own end date', async () => {
    const storm = await runRenewalStorm({
      prisma,
      client,
      taskQueue: worker.taskQueue,
      memberships: MEMBERSHIPS,
      termMinutes: TERM_MINUTES,
      timeoutMs: 240_000,
    });
    const renewed = await prisma.membership.findMany({ where: { partnerId: { in: storm.partnerIds } } });
    expect(renewed).toHaveLength(MEMBERSHIPS);
    expect(renewed.every((row) => row.termNumber === 2 && row.status === 'active' && row.level === 'registered')).toBe(true);
    // Every new term starts at the old term's end, the same instant for all: never "today".
    expect(new Set(renewed.map((row) => row.termStart.getTime()))).toEqual(new Set([storm.termStart.getTime() + TERM_MINUTES * 60_000]));
    const perPartner = await prisma.invoice.groupBy({
      by: ['partnerId', 'status'],
      where: { partnerId: { in: storm.partnerIds }, purpose: 'renewal' },
      _count: { _all: true },
    });
    expect(perPartner).toHaveLength(MEMBERSHIPS);
    expect(perPartner.every((group) => group.status === 'paid' && group._count._all === 1)).toBe(true);
    console.log(
      `renewal storm: ${MEMBERSHIPS} memberships invoiced and paid ${(storm.paidMs / 1000).toFixed(1)} s and all renewed ${(storm.renewedMs / 1000).toFixed(1)} s after their workflows started`,
    );
  }, 600_000);
});
