import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createWorker } from '../../apps/worker/src/worker';
import type { ActivityDeps } from '../../activities';
import { systemClock } from '../../lib/clock';
import type { PrismaClient } from '../../lib/database';
import { RecordingMailer, RecordingPaymentProvider, TEST_POOL_SIZE, testPrisma } from './fixtures';

// Installed on import, before any test environment or worker creates the default runtime:
// worker logs stay at warnings so test output remains readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

export interface RunningTestWorker {
  worker: Worker;
  taskQueue: string;
  mailer: RecordingMailer;
  payments: RecordingPaymentProvider;
  stop(): Promise<void>;
}

/** The test stack's signing key; endpoints on 127.0.0.1, and a first retry after a second so a test sees a few. */
export const testWebhookSettings = () => ({
  signingKey: process.env.WEBHOOK_SIGNING_KEY!,
  allowLoopbackHttp: true,
  firstRetrySeconds: 1,
});

/** A worker on its own task queue, running the real workflows and activities. */
export async function startTestWorker(
  connection: NativeConnection,
  deps: Omit<ActivityDeps, 'mailer' | 'clock' | 'payments'> & Partial<ActivityDeps>,
  namespace = 'default',
  taskQueue = `test-${randomUUID()}`,
): Promise<RunningTestWorker> {
  const mailer = new RecordingMailer();
  const payments = new RecordingPaymentProvider();
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    deps: { clock: systemClock, mailer, payments, webhooks: testWebhookSettings(), ...deps },
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    maxConcurrentActivities: TEST_POOL_SIZE,
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    mailer,
    payments,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

/** A time-skipping test server, a worker on it and the Postgres the activities write to. */
export interface TimeSkippingRig {
  env: TestWorkflowEnvironment;
  prisma: PrismaClient;
  worker: RunningTestWorker;
  /**
   * Waiting on a result through `env.client` lets the server skip time, and it also skips
   * while activities run, so workflow time races ahead of the database's. Paths without
   * deadlines wait through this plain client, in real time.
   */
  realTime: Client;
  stop(): Promise<void>;
}

export async function startTimeSkippingRig(databaseUrl = process.env.DATABASE_URL!): Promise<TimeSkippingRig> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH! } },
  });
  const prisma = testPrisma(databaseUrl);
  const worker = await startTestWorker(env.nativeConnection, { prisma });
  return {
    env,
    prisma,
    worker,
    realTime: new Client({ connection: env.connection }),
    stop: async () => {
      await worker.stop();
      await env.teardown();
      await prisma.$disconnect();
    },
  };
}
