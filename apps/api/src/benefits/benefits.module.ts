import { Module } from '@nestjs/common';
import { BenefitPurchasesService } from './benefit-purchases.service';
import { BenefitUsesService } from './benefit-uses.service';
import { BenefitsController } from './benefits.controller';
import { BenefitsService } from './benefits.service';
import { LogosController } from './logos.controller';
import { SupportIncidentsController } from './support-incidents.controller';

@Module({
  controllers: [BenefitsController, SupportIncidentsController, LogosController],
  providers: [BenefitsService, BenefitUsesService, BenefitPurchasesService],
})
export class BenefitsModule {}
