import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { pingDatabase } from '#lib/database';
import { Public } from '../auth/principal';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Checks Postgres and Temporal' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('postgres');
        try {
          await pingDatabase(this.prisma);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: message(error) });
        }
      },
      async () => {
        const indicator = this.indicators.check('temporal');
        try {
          await this.temporal.connection.ensureConnected();
          await this.temporal.connection.workflowService.getSystemInfo({});
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: message(error) });
        }
      },
    ]);
  }
}
