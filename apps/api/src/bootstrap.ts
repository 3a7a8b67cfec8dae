import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { ApiConfig } from '#lib/config';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { rejectDeepBodies } from './common/body-depth';
import { rejectUndocumentedMethods } from './common/method-not-allowed';
import { RejectNulCharactersPipe } from './common/nul-characters';
import { stateRequestRules } from './common/openapi-document';
import { createValidationPipe } from './common/validation';
import { SIGNATURE_HEADER } from '#lib/webhook-signature';
import { WEBHOOK_SIGNATURE_SCHEME } from './payments/webhook-signature.guard';

/** Builds the API exactly as production runs it; main.ts and the e2e tests both use it. */
export async function createApp(config: ApiConfig, logLevel?: string, logDestination?: DestinationStream): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logLevel, logDestination), {
    bodyParser: false,
    // Payment webhooks are authenticated by an HMAC over the exact bytes received.
    rawBody: true,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Client IPs (rate limits, logs) come from X-Forwarded-For only through the proxies configured here.
  app.set('trust proxy', config.trustProxy);
  app.useBodyParser('json', { limit: config.maxBodyBytes });
  app.use(rejectDeepBodies);
  app.useGlobalPipes(new RejectNulCharactersPipe(), createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();

  const document = stateRequestRules(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Partner Program Orchestrator')
        .setDescription('Enrollment, reviews and partner records of the vendor partner program')
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
        .addApiKey(
          {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADER,
            description:
              'Payment processor webhooks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under PAYMENT_WEBHOOK_SECRET, at most 300 seconds old',
          },
          WEBHOOK_SIGNATURE_SCHEME,
        )
        .build(),
    ),
  );
  // The document lists every route, so a method it does not list for a known path is a 405.
  app.use(rejectUndocumentedMethods(document));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
