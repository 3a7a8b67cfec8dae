import { randomUUID } from 'node:crypto';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createWorker } from '../../apps/worker/src/worker';
import type { ActivityDeps } from '../../activities';
import { systemClock } from '../../lib/clock';
import { RecordingMailer } from './fixtures';

// Installed on import, before any test environment or worker creates the default runtime:
// worker logs stay at warnings so test output remains readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

export interface RunningTestWorker {
  worker: Worker;
  taskQueue: string;
  mailer: RecordingMailer;
  stop(): Promise<void>;
}

/** A worker on its own task queue, running the real workflows and activities. */
export async function startTestWorker(
  connection: NativeConnection,
  deps: Omit<ActivityDeps, 'mailer' | 'clock'> & Partial<ActivityDeps>,
  namespace = 'default',
): Promise<RunningTestWorker> {
  const taskQueue = `test-${randomUUID()}`;
  const mailer = new RecordingMailer();
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue,
    deps: { clock: systemClock, mailer, ...deps },
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    mailer,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}
