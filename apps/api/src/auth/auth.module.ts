import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysController, PartnerApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyAuthGuard } from './auth.guard';
import { PartnerAccess } from './partner-access.service';

@Global()
@Module({
  controllers: [ApiKeysController, PartnerApiKeysController],
  providers: [ApiKeysService, PartnerAccess, { provide: APP_GUARD, useClass: ApiKeyAuthGuard }],
  exports: [PartnerAccess],
})
export class AuthModule {}
