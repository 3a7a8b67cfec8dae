import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  type Workflow,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowResultType,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { ApiConfig } from '#lib/config';

/**
 * The Temporal client, connected lazily so the API starts (and reports unhealthy) while the
 * cluster is unreachable, and closed on shutdown.
 */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  readonly taskQueue: string;
  private readonly callTimeoutMs: number;

  constructor(@Inject(ConfigService) config: ConfigService<ApiConfig, true>) {
    const temporal = config.get('temporal', { infer: true });
    this.connection = Connection.lazy({ address: temporal.address });
    this.client = new Client({ connection: this.connection, namespace: temporal.namespace });
    this.taskQueue = temporal.taskQueue;
    this.callTimeoutMs = config.get('temporalCallTimeoutMs', { infer: true });
  }

  /**
   * Runs calls to Temporal under one deadline, so an unreachable cluster or a stopped worker (an
   * update nobody accepts) ends in an error the API answers with 503, never in a hung request.
   */
  bounded<T>(calls: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + this.callTimeoutMs, calls);
  }

  /**
   * Starts a workflow whose id, derived from a business key, may run only once. Answers false
   * when it runs or ran already: the repeat of a request finds the first one. With
   * ALLOW_DUPLICATE, only a running one stops it: the key may be used again once that ended.
   */
  async startOnce<W extends Workflow>(
    workflowType: string,
    workflowId: string,
    args: Parameters<W>,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE' = 'REJECT_DUPLICATE',
  ): Promise<boolean> {
    const options = { workflowId, taskQueue: this.taskQueue, workflowIdReusePolicy, args };
    try {
      await this.bounded(() => this.client.workflow.start<W>(workflowType, options as unknown as WorkflowStartOptions<W>));
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  /**
   * Runs a short workflow to its result, once per id: a repeat (same business key) joins the
   * running one and answers its result.
   */
  execute<W extends Workflow>(workflowType: string, workflowId: string, args: Parameters<W>): Promise<WorkflowResultType<W>> {
    const options = { workflowId, taskQueue: this.taskQueue, workflowIdConflictPolicy: 'USE_EXISTING' as const, args };
    return this.bounded(() => this.client.workflow.execute<W>(workflowType, options as unknown as WorkflowStartOptions<W>));
  }

  /**
   * Starts a workflow once per id and asks it, in the same call, for the answer its update gives
   * (update-with-start): a repeat while it runs joins it and, the update's id being fixed, gets the
   * same answer. Once it has ended the id is not reused, and the answer is null: the caller answers
   * from the record or the workflow's result.
   */
  async updateWithStart<W extends Workflow, Ret>(
    workflowType: string,
    workflowId: string,
    args: Parameters<W>,
    update: UpdateDefinition<Ret, []>,
  ): Promise<Ret | null> {
    const options = {
      workflowId,
      taskQueue: this.taskQueue,
      args,
      workflowIdConflictPolicy: 'USE_EXISTING' as const,
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    };
    const startWorkflowOperation = new WithStartWorkflowOperation<W>(
      workflowType,
      options as unknown as WorkflowStartOptions<W> & typeof options,
    );
    try {
      return await this.bounded(() =>
        this.client.workflow.executeUpdateWithStart(update, { updateId: update.name, startWorkflowOperation }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return null;
      throw error;
    }
  }

  /** The result of a workflow that has ended (or its wait for it, bounded). */
  result<W extends Workflow>(workflowId: string): Promise<WorkflowResultType<W>> {
    return this.bounded(() => this.client.workflow.getHandle<W>(workflowId).result());
  }

  /**
   * A human decision or request sent to a running workflow, answered by its update handler in
   * bounded time. An `updateId` derived from the request makes a repeat (a client retrying after a
   * 503 whose first attempt went through) join the first update instead of making a second one.
   */
  update<Ret, Args extends unknown[]>(
    workflowId: string,
    definition: UpdateDefinition<Ret, Args>,
    args: Args,
    target: { runId?: string; updateId?: string } = {},
  ): Promise<Ret> {
    const handle = this.client.workflow.getHandle(workflowId, target.runId);
    // executeUpdate's overloads split updates with and without arguments; both take `args` alike.
    const anyArity = definition as unknown as UpdateDefinition<Ret, [unknown]>;
    return this.bounded(() => handle.executeUpdate(anyArity, { args: args as unknown as [unknown], updateId: target.updateId }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalService], exports: [TemporalService] })
export class TemporalModule {}
