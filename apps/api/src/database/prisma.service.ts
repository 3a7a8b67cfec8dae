import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrismaPg } from '@prisma/adapter-pg';
import type { ApiConfig } from '#lib/config';
import { PrismaClient } from '#lib/database';
import { poolConfigFromUrl } from '#lib/database-url';

/** The API's read connection. Business writes happen in activities. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: ConfigService<ApiConfig, true>) {
    super({ adapter: new PrismaPg(poolConfigFromUrl(config.get('databaseUrl', { infer: true }))) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
