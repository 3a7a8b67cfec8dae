import { Injectable } from '@nestjs/common';
import { isOpenPartner } from '#domain/partners';
import { findPartner, type PartnerView } from '#queries/partners';
import { withdrawalWorkflowId } from '#workflows/partners/definitions';
import type { withdrawalWorkflow } from '#workflows/partners/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { conflict } from '../common/api-error';
import { TemporalService } from '../temporal/temporal.module';
import type { WithdrawalAcceptedDto } from './partners.dto';

@Injectable()
export class PartnersService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
  ) {}

  get(principal: Principal, partnerId: string): Promise<PartnerView> {
    return this.access.requirePartner(principal, partnerId, findPartner);
  }

  /** Starts the partner's one withdrawal; asking again answers the same one. */
  async withdraw(principal: Principal, partnerId: string, reason: string): Promise<WithdrawalAcceptedDto> {
    const partner = await this.access.requirePartner(principal, partnerId);
    const withdrawn = partner.status === 'withdrawn';
    if (!withdrawn && !isOpenPartner(partner.status)) {
      throw conflict('partner_not_open', `A ${partner.status} partner has no membership to withdraw from`);
    }
    const workflowId = withdrawalWorkflowId(partnerId);
    await this.temporal.startOnce<typeof withdrawalWorkflow>('withdrawalWorkflow', workflowId, [
      { partnerId, reason: reason.trim(), requestedBy: principal.keyId },
    ]);
    return { workflowId, status: withdrawn ? 'withdrawn' : 'withdrawing' };
  }
}
