import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { OutboxFileMailer } from '../activities/mailer';
import { OutboxPaymentProvider } from '../activities/payment-provider';
import { createWorker } from '../apps/worker/src/worker';
import { systemClock } from '../lib/clock';
import { createPrismaClient } from '../lib/database';
import { WORKFLOW_BUNDLE_PATH } from '../scripts/bundle-workflows';
import { migrateAndSeed } from '../scripts/infra/database';
import { freePort } from '../scripts/infra/ports';
import { startEmbeddedPostgres } from '../scripts/infra/postgres';
import { startTemporalDevServer } from '../scripts/infra/temporal';
import { publishStormCatalog, runRenewalStorm, type StormResult } from './storm';

const TERM_MINUTES = 30;
/** The worker's default (WORKER_MAX_CONCURRENT_ACTIVITIES). */
const POOL_SIZE = 20;
const BASELINE = 20;
const STORM = Number(process.env.BENCH_MEMBERSHIPS ?? 500);

/**
 * `npm run bench`: the cost per membership of a renewal storm against a small renewal measured
 * in the same run, on a fresh embedded Postgres and Temporal dev server. A ratio near or below
 * 1 means the storm renews in parallel; nothing in it waits on one workflow or one row lock.
 */
async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'partner-bench-'));
  chmodSync(scratch, 0o755); // the embedded cluster runs as the `postgres` user when we are root
  const postgres = await startEmbeddedPostgres({
    dir: join(scratch, 'postgres'),
    port: await freePort(),
    database: 'partner_bench',
    persistent: false,
  });
  const temporal = await startTemporalDevServer({ binary: process.env.TEMPORAL_CLI_PATH!, port: await freePort(), uiPort: null });
  const prisma = createPrismaClient(postgres.databaseUrl, POOL_SIZE);
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  try {
    await migrateAndSeed(postgres.databaseUrl);
    await publishStormCatalog(prisma);
    const taskQueue = 'bench';
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: {
        prisma,
        clock: systemClock,
        mailer: new OutboxFileMailer(join(scratch, 'mail.jsonl')),
        payments: new OutboxPaymentProvider(join(scratch, 'refunds')),
        membershipTermMinutes: TERM_MINUTES,
      },
      workflowBundlePath: WORKFLOW_BUNDLE_PATH,
      maxConcurrentActivities: POOL_SIZE,
    });
    const running = worker.run();
    const client = new Client({ connection });
    const run = (memberships: number) =>
      runRenewalStorm({ prisma, client, taskQueue, memberships, termMinutes: TERM_MINUTES, timeoutMs: 30 * 60_000 });
    const report = (label: string, memberships: number, result: StormResult) =>
      console.log(
        `${label}: ${memberships} memberships, paid after ${(result.paidMs / 1000).toFixed(1)} s, renewed after ${(result.renewedMs / 1000).toFixed(1)} s, ${(result.renewedMs / memberships).toFixed(1)} ms per membership`,
      );
    const baseline = await run(BASELINE);
    report('baseline', BASELINE, baseline);
    const storm = await run(STORM);
    report('storm   ', STORM, storm);
    const ratio = storm.renewedMs / STORM / (baseline.renewedMs / BASELINE);
    console.log(`ratio (storm cost per membership / baseline cost per membership): ${ratio.toFixed(3)}`);
    worker.shutdown();
    await running;
  } finally {
    await connection.close();
    await nativeConnection.close();
    await prisma.$disconnect();
    await temporal.stop();
    await postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
