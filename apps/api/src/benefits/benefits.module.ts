import { Module } from '@nestjs/common';
import { BenefitPurchasesService } from './benefit-purchases.service';
import { BenefitUsesService } from './benefit-uses.service';
import { BenefitsController } from './benefits.controller';
import { BenefitsService } from './benefits.service';
import { SupportIncidentsController } from './support-incidents.controller';

@Module({
  controllers: [BenefitsController, SupportIncidentsController],
  providers: [BenefitsService, BenefitUsesService, BenefitPurchasesService],
})
export class BenefitsModule {}
