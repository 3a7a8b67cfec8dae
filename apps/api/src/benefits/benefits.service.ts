import { Injectable } from '@nestjs/common';
import { type BenefitsView, benefitsOf } from '#queries/benefits';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class BenefitsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly access: PartnerAccess,
  ) {}

  async list(principal: Principal, partnerId: string, stage?: string): Promise<BenefitsView> {
    await this.access.requirePartner(principal, partnerId);
    return benefitsOf(this.prisma, partnerId, new Date(), stage);
  }
}
