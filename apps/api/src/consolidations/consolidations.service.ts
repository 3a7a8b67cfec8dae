import { HttpStatus, Injectable } from '@nestjs/common';
import { consolidationRefusal } from '#domain/partners';
import { type ConsolidationView, findConsolidation, listConsolidations, openConsolidationsRequestedBy } from '#queries/consolidations';
import { findPartnerSummary } from '#queries/partners';
import {
  type ConsolidationInput,
  consentToConsolidationUpdate,
  consolidationWorkflowId,
  declineConsolidationUpdate,
  OPEN_CONSOLIDATION_STATUSES,
} from '#workflows/consolidations/definitions';
import type { consolidationWorkflow } from '#workflows/consolidations/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import { CatalogService } from '../catalog/catalog.service';
import type { Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import type { IdempotentRequest } from '../common/idempotent';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';

const refusedToAbsorb = () =>
  new ApiError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'consolidation_refused',
    'This partner cannot absorb the partner named: it is unknown, not eligible, or already asked for',
  );

/**
 * Consolidations: the API checks what it can answer at once (both partners active, one
 * country); the workflow checks again under lock before anything moves.
 */
@Injectable()
export class ConsolidationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * The survivor's own problems are named; anything about the partner named (unknown, not
   * active, abroad, held by another request) is one refusal, so no request learns about others.
   */
  async request(principal: Principal, survivorId: string, absorbedId: string, idempotency: IdempotentRequest): Promise<ConsolidationView> {
    const survivor = await this.access.requirePartner(principal, survivorId);
    if (survivor.id === absorbedId) throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'same_partner', 'A partner cannot absorb itself');
    if (survivor.status !== 'active') throw conflict('partner_not_active', `A ${survivor.status} partner cannot absorb another`);
    const absorbed = await findPartnerSummary(this.prisma, absorbedId);
    if (!absorbed || consolidationRefusal(survivor, absorbed)) throw refusedToAbsorb();

    const consolidationId = await idempotency.requestId();
    const earlier = await findConsolidation(this.prisma, consolidationId);
    if (earlier) return earlier;
    const open = await openConsolidationsRequestedBy(this.prisma, survivorId, OPEN_CONSOLIDATION_STATUSES);
    const same = open.find((consolidation) => consolidation.absorbedId === absorbedId);
    if (same) return same;
    const limit = (await this.catalog.inForce()).rules.limits?.openConsolidationRequests;
    if (limit !== undefined && open.length >= limit) {
      throw conflict('too_many_open_consolidations', `A partner may have ${limit} consolidation requests open at once`);
    }
    const input: ConsolidationInput = { consolidationId, survivorId, absorbedId, requestedBy: principal.keyId };
    const workflowId = consolidationWorkflowId(absorbedId);
    if (!(await this.temporal.startOnce<typeof consolidationWorkflow>('consolidationWorkflow', workflowId, [input], 'ALLOW_DUPLICATE'))) {
      throw refusedToAbsorb();
    }
    const at = new Date().toISOString();
    return {
      id: consolidationId,
      survivorId,
      absorbedId,
      workflowId,
      status: 'awaiting_consent',
      statusReason: null,
      reviewTaskId: null,
      consentedAt: null,
      moved: null,
      createdAt: at,
      completedAt: null,
    };
  }

  async list(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<ConsolidationView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listConsolidations(this.prisma, partnerId, pageRequest(query)));
  }

  async get(principal: Principal, id: string): Promise<ConsolidationView> {
    return this.visible(principal, id);
  }

  /** Only the absorbed partner's own key consents (the survivor consented by asking), or declines. */
  async answer(principal: Principal, id: string, answer: 'consent' | 'decline'): Promise<ConsolidationView> {
    const consolidation = await this.visible(principal, id);
    if (principal.partnerId !== consolidation.absorbedId) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'consent_by_absorbed_partner', "Only the absorbed partner's own key can consent or decline");
    }
    // A consolidation that moved on may have ended its workflow too: the record answers then.
    if (consolidation.status !== 'awaiting_consent') {
      throw conflict('consolidation_not_awaiting_consent', `This consolidation is ${consolidation.status}, not awaiting consent`);
    }
    const update = answer === 'consent' ? consentToConsolidationUpdate : declineConsolidationUpdate;
    await this.temporal.update(consolidation.workflowId, update, [{ actor: principal.keyId }]);
    return this.visible(principal, id);
  }

  /** Parties see their consolidations; reviewers and admins see all; anyone else gets 404. */
  private async visible(principal: Principal, id: string): Promise<ConsolidationView> {
    const consolidation = await findConsolidation(this.prisma, id);
    const party = consolidation && (principal.partnerId === consolidation.survivorId || principal.partnerId === consolidation.absorbedId);
    if (!consolidation || (principal.role === 'partner' && !party)) throw notFound('Consolidation');
    return consolidation;
  }
}
