import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { ApiConfig } from '#lib/config';
import { AuthModule } from './auth/auth.module';
import { BenefitsModule } from './benefits/benefits.module';
import { CatalogModule } from './catalog/catalog.module';
import { ChannelsModule } from './channels/channels.module';
import { CommonModule } from './common/common.module';
import { CompetenciesModule } from './competencies/competencies.module';
import { ConsolidationsModule } from './consolidations/consolidations.module';
import { PrismaModule } from './database/prisma.module';
import { DesignationsModule } from './designations/designations.module';
import { DirectoryModule } from './directory/directory.module';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { HealthModule } from './health/health.module';
import { LocationsModule } from './locations/locations.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PartnersModule } from './partners/partners.module';
import { RenewalsModule } from './renewals/renewals.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { PaymentsModule } from './payments/payments.module';
import { PointsModule } from './points/points.module';
import { ProfilesModule } from './profiles/profiles.module';
import { ReviewsModule } from './reviews/reviews.module';
import { SurveysModule } from './surveys/surveys.module';
import { TemporalModule } from './temporal/temporal.module';
import { UpgradesModule } from './upgrades/upgrades.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /**
   * The configuration is validated before the module is built (lib/config.ts). Logs go to stdout,
   * or to `logDestination` (tests read what would be logged).
   */
  static forRoot(config: ApiConfig, logLevel = process.env.LOG_LEVEL ?? 'info', logDestination?: DestinationStream): DynamicModule {
    // Requests are logged without bodies (pino-http's default serializers): a survey token or an
    // enrollment's contact never reaches the log.
    const pinoHttp = { level: logLevel, redact: ['req.headers.authorization', 'req.headers["idempotency-key"]'] };
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        LoggerModule.forRoot({ pinoHttp: logDestination ? [pinoHttp, logDestination] : pinoHttp }),
        CommonModule,
        PrismaModule,
        TemporalModule,
        // Its guard runs before the auth guard, so refused keys and anonymous floods count too.
        RateLimitsModule,
        AuthModule,
        CatalogModule,
        HealthModule,
        EnrollmentsModule,
        ReviewsModule,
        PartnersModule,
        PointsModule,
        UpgradesModule,
        WebhooksModule,
        SurveysModule,
        CompetenciesModule,
        DesignationsModule,
        ConsolidationsModule,
        RenewalsModule,
        PaymentsModule,
        LocationsModule,
        DirectoryModule,
        BenefitsModule,
        ProfilesModule,
        NotificationsModule,
        ChannelsModule,
      ],
    };
  }
}
