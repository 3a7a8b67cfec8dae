import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { consolidationRefusal } from '#domain/partners';
import { type ConsolidationView, findConsolidation, listConsolidations } from '#queries/consolidations';
import { findPartnerSummary } from '#queries/partners';
import { type ConsolidationInput, consentToConsolidationUpdate, consolidationWorkflowId } from '#workflows/consolidations/definitions';
import type { consolidationWorkflow } from '#workflows/consolidations/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import { IdempotencyService } from '../common/idempotency.service';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';

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
    private readonly idempotency: IdempotencyService,
  ) {}

  async request(principal: Principal, survivorId: string, absorbedId: string, idempotencyKey?: string): Promise<ConsolidationView> {
    const survivor = await this.access.requirePartner(principal, survivorId);
    const absorbed = await findPartnerSummary(this.prisma, absorbedId);
    if (!absorbed) throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'unknown_partner', 'The partner to absorb was not found');
    if (survivor.id === absorbed.id) throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'same_partner', 'A partner cannot absorb itself');
    const refusal = consolidationRefusal(survivor, absorbed);
    if (refusal?.code === 'partner_not_active') throw conflict(refusal.code, refusal.message);
    if (refusal?.code === 'country_mismatch') {
      const { survivorCountry, absorbedCountry } = refusal;
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, refusal.code, refusal.message, undefined, { survivorCountry, absorbedCountry });
    }

    const proposed = { consolidationId: randomUUID() };
    const { consolidationId } = idempotencyKey
      ? await this.idempotency.reserve(`consolidation:${survivorId}`, idempotencyKey, { absorbedId }, proposed)
      : proposed;
    const earlier = await findConsolidation(this.prisma, consolidationId);
    if (earlier) return earlier;
    const input: ConsolidationInput = { consolidationId, survivorId, absorbedId, requestedBy: principal.keyId };
    const workflowId = consolidationWorkflowId(absorbedId);
    if (!(await this.temporal.startOnce<typeof consolidationWorkflow>('consolidationWorkflow', workflowId, [input], 'ALLOW_DUPLICATE'))) {
      throw conflict('consolidation_in_progress', `Partner ${absorbedId} is already part of a consolidation in progress`);
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

  async list(principal: Principal, partnerId: string): Promise<ConsolidationView[]> {
    await this.access.requirePartner(principal, partnerId);
    return listConsolidations(this.prisma, partnerId);
  }

  async get(principal: Principal, id: string): Promise<ConsolidationView> {
    return this.visible(principal, id);
  }

  /** Only the absorbed partner's own key consents; the survivor consented by asking. */
  async consent(principal: Principal, id: string): Promise<ConsolidationView> {
    const consolidation = await this.visible(principal, id);
    if (principal.partnerId !== consolidation.absorbedId) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'consent_by_absorbed_partner', "Only the absorbed partner's own key can consent");
    }
    await this.temporal.update(consolidation.workflowId, consentToConsolidationUpdate, [{ actor: principal.keyId }]);
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
