import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { ApiConfig } from '#lib/config';
import { PrismaService } from '../database/prisma.service';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { callerKey, callerTracker, isPublicRoute, PER_CALLER, PUBLIC_PER_IP, RateLimitGuard } from './rate-limit.guard';

const MINUTE_MS = 60_000;

/**
 * Limits every route per caller, and public writes also per client IP and route. Registered
 * before the auth guard, so refused keys count too. Health and the signed payment webhook opt out.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, PrismaService, Reflector],
      useFactory: (settings: ConfigService<ApiConfig, true>, prisma: PrismaService, reflector: Reflector) => ({
        storage: settings.get('rateLimitStore', { infer: true }) === 'postgres' ? new PostgresThrottlerStorage(prisma) : undefined,
        throttlers: [
          {
            name: PER_CALLER,
            ttl: MINUTE_MS,
            limit: settings.get('rateLimitPerMinute', { infer: true }),
            getTracker: callerTracker,
            generateKey: callerKey,
          },
          {
            name: PUBLIC_PER_IP,
            ttl: MINUTE_MS,
            limit: settings.get('publicRateLimitPerMinute', { infer: true }),
            skipIf: (context) => !isPublicRoute(reflector, context) || context.switchToHttp().getRequest().method === 'GET',
          },
        ],
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitsModule {}
