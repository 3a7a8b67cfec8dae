import { Injectable } from '@nestjs/common';
import { activeOffices } from '../../../../lib/locations';
import { withdrawalWorkflowId } from '../../../../workflows/withdrawal/definitions';
import type { withdrawalWorkflow } from '../../../../workflows/withdrawal/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { toMembershipDto } from '../renewals/renewals.service';
import { TemporalService } from '../temporal/temporal.module';
import type { PartnerDto, WithdrawalAcceptedDto } from './partners.dto';

@Injectable()
export class PartnersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  /** Starts the partner's one withdrawal; asking again answers the same one. */
  async withdraw(principal: Principal, partnerId: string, reason: string): Promise<WithdrawalAcceptedDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const partner = await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { status: true } });
    if (!partner) throw notFound('Partner');
    if (!['pending', 'active', 'withdrawn'].includes(partner.status)) {
      throw conflict('partner_not_open', `A ${partner.status} partner has no membership to withdraw from`);
    }
    const workflowId = withdrawalWorkflowId(partnerId);
    await this.temporal.startOnce<typeof withdrawalWorkflow>('withdrawalWorkflow', workflowId, [
      { partnerId, reason: reason.trim(), requestedBy: principal.keyId },
    ]);
    return { workflowId, status: partner.status === 'withdrawn' ? 'withdrawn' : 'withdrawing' };
  }

  async get(principal: Principal, partnerId: string): Promise<PartnerDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const [partner, membership] = await Promise.all([
      this.prisma.partner.findUnique({ where: { id: partnerId } }),
      this.prisma.membership.findUnique({ where: { partnerId } }),
    ]);
    if (!partner) throw notFound('Partner');
    return {
      id: partner.id,
      legalName: partner.legalName,
      country: partner.country,
      website: partner.website,
      industries: partner.industries,
      customerSizes: partner.customerSizes,
      technologies: partner.technologies,
      level: partner.level,
      status: partner.status,
      catalogVersionId: partner.catalogVersionId,
      activatedAt: partner.activatedAt?.toISOString() ?? null,
      consolidatedIntoId: partner.consolidatedIntoId,
      membership: membership && toMembershipDto(membership),
      locations: await activeOffices(this.prisma, partnerId),
      createdAt: partner.createdAt.toISOString(),
    };
  }
}
