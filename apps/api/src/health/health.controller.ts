import { Controller, Get, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { temporal as temporalProto } from '@temporalio/proto';
import { pingDatabase } from '#lib/database';
import { Public } from '../auth/principal';
import { ApiErrorResponse } from '../common/api-responses';
import { PrismaService } from '../database/prisma.service';
import { NoRateLimit } from '../rate-limits/rate-limit.guard';
import { TemporalService } from '../temporal/temporal.module';

/**
 * A worker long-polls its task queue about once a minute; one seen more recently than this is
 * taken to be running.
 */
const WORKER_SEEN_WITHIN_MS = 90_000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  /** Each check says up or down and never the underlying error, which the logs keep. */
  @Get()
  @Public()
  @NoRateLimit()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Checks Postgres, Temporal and that a worker polls the task queue' })
  @ApiOkResponse({ description: 'Every check is up: { status: "ok", info, error, details }' })
  @ApiErrorResponse(503, 'service_unavailable: details names each check, up or down')
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.probe('postgres', () => pingDatabase(this.prisma), 'not reachable'),
      () =>
        this.probe(
          'temporal',
          () => this.temporal.bounded(() => this.temporal.connection.workflowService.getSystemInfo({})),
          'not reachable',
        ),
      () => this.probe('worker', () => this.workerPolling(), 'no worker polls the task queue'),
    ]);
  }

  private async probe(name: string, check: () => Promise<unknown>, downMessage: string) {
    const indicator = this.indicators.check(name);
    try {
      await check();
      return indicator.up();
    } catch (error) {
      this.logger.warn(`${name} is down: ${error instanceof Error ? error.message : String(error)}`);
      return indicator.down({ message: downMessage });
    }
  }

  private async workerPolling(): Promise<void> {
    const { pollers } = await this.temporal.bounded(() =>
      this.temporal.connection.workflowService.describeTaskQueue({
        namespace: this.temporal.client.options.namespace,
        taskQueue: { name: this.temporal.taskQueue },
        taskQueueType: temporalProto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const seenSince = Date.now() - WORKER_SEEN_WITHIN_MS;
    const recent = (pollers ?? []).some((poller) => {
      const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
      return seconds * 1000 >= seenSince;
    });
    if (!recent) throw new Error('no recent poller');
  }
}
