import { HttpStatus, Injectable } from '@nestjs/common';
import { STALE_TERMS } from '#domain/enrollment';
import { isOpenPartner } from '#domain/partners';
import { findPartner, type PartnerView } from '#queries/partners';
import { type TermsAccepted, termsAcceptanceWorkflowId, withdrawalWorkflowId } from '#workflows/partners/definitions';
import type { termsAcceptanceWorkflow, withdrawalWorkflow } from '#workflows/partners/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict } from '../common/api-error';
import { TemporalService } from '../temporal/temporal.module';
import type { WithdrawalAcceptedDto } from './partners.dto';

@Injectable()
export class PartnersService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
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

  /** Records the partner's acceptance of the terms in force, through its workflow; accepting again answers the first time. */
  async acceptTerms(principal: Principal, partnerId: string, version: string): Promise<TermsAccepted> {
    await this.access.requireOpenPartner(principal, partnerId, 'accept program terms');
    const terms = (await this.catalog.inForce()).rules.programTerms;
    if (!terms || terms.version !== version) {
      const inForce = terms ? `version ${terms.version} (${terms.url})` : 'no terms';
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, STALE_TERMS, `The program asks to accept ${inForce}`, [
        { field: 'version', reason: `must be the program terms version in force: ${inForce}`, code: STALE_TERMS },
      ]);
    }
    return this.temporal.execute<typeof termsAcceptanceWorkflow>('termsAcceptanceWorkflow', termsAcceptanceWorkflowId(partnerId, version), [
      { partnerId, version, acceptedBy: principal.keyId },
    ]);
  }
}
