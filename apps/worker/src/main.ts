import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { type Mailer, OutboxFileMailer, SmtpMailer } from '#activities/mailer';
import { OutboxPaymentProvider } from '#activities/payment-provider';
import { systemClock } from '#lib/clock';
import { loadWorkerConfig } from '#lib/config';
import { createPrismaClient } from '#lib/database';
import { repoRoot } from '#lib/paths';
import { ensureLedgerExpirySchedule } from '#lib/schedules';
import { ensureCatalogRollouts } from './catalog-rollouts';
import { createWorker } from './worker';

/** The SDK owns shutdown: it drains the worker on SIGINT/SIGTERM and `run()` then resolves. */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const prebuiltBundle = config.workflowBundlePath ?? join(repoRoot(), 'dist', 'workflow-bundle.js');
  const prisma = createPrismaClient(config.databaseUrl, config.maxConcurrentActivities);
  const smtp = config.smtp && new SmtpMailer(config.smtp.url, config.smtp.from);
  const mailer: Mailer = smtp ?? new OutboxFileMailer(join(config.dataDir, 'outbox', 'mail.jsonl'));
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
    await ensureLedgerExpirySchedule(client, config.temporal.taskQueue);
    await ensureCatalogRollouts(client, prisma, config.temporal.taskQueue);
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps: {
        prisma,
        clock: systemClock,
        mailer,
        payments: new OutboxPaymentProvider(join(config.dataDir, 'outbox', 'refunds')),
        membershipTermMinutes: config.membershipTermMinutes,
        publicUrl: config.publicUrl,
        webhooks: config.webhooks,
      },
      workflowBundlePath: existsSync(prebuiltBundle) ? prebuiltBundle : undefined,
      maxConcurrentActivities: config.maxConcurrentActivities,
      activitiesPerSecond: config.activitiesPerSecond,
    });
    await worker.run();
  } finally {
    smtp?.close();
    await connection.close();
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
