import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';
import type { ApiConfig } from '../../../../lib/config';

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

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalService], exports: [TemporalService] })
export class TemporalModule {}
