import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '#activities';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (scripts/bundle-workflows.ts); without one the worker bundles at start. */
  workflowBundlePath?: string;
  /**
   * At most the database pool's size: an activity beyond it would wait for a connection inside
   * its transaction and time out, where the task queue lets it wait harmlessly.
   */
  maxConcurrentActivities: number;
  /** Activities per second for the whole task queue; undefined for no limit. */
  activitiesPerSecond?: number;
}

export function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.deps),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities,
    ...(options.activitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: options.activitiesPerSecond } : {}),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../../../workflows') }),
  });
}
