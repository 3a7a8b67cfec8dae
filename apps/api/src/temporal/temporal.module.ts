import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection, type Workflow, WorkflowExecutionAlreadyStartedError, type WorkflowStartOptions } from '@temporalio/client';
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

  constructor(@Inject(ConfigService) config: ConfigService<ApiConfig, true>) {
    const temporal = config.get('temporal', { infer: true });
    this.connection = Connection.lazy({ address: temporal.address });
    this.client = new Client({ connection: this.connection, namespace: temporal.namespace });
    this.taskQueue = temporal.taskQueue;
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
      await this.client.workflow.start<W>(workflowType, options as unknown as WorkflowStartOptions<W>);
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalService], exports: [TemporalService] })
export class TemporalModule {}
