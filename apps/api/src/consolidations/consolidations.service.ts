import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { Consolidation } from '../../../../lib/database';
import {
  type ConsolidationInput,
  consentToConsolidationUpdate,
  consolidationWorkflowId,
} from '../../../../workflows/consolidation/definitions';
import type { consolidationWorkflow } from '../../../../workflows/consolidation/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import { IdempotencyService } from '../common/idempotency.service';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ConsolidationDto } from './consolidations.dto';

function toView(row: Consolidation): ConsolidationDto {
  return {
    id: row.id,
    survivorId: row.survivorId,
    absorbedId: row.absorbedId,
    workflowId: row.workflowId,
    status: row.status,
    statusReason: row.statusReason,
    reviewTaskId: row.reviewTaskId,
    consentedAt: row.consentedAt?.toISOString() ?? null,
    moved: row.moved,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/**
 * Consolidations: the API checks what it can answer at once (both partners active, one
 * country); the workflow checks again under lock before anything moves.
 */
@Injectable()
export class ConsolidationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async request(principal: Principal, survivorId: string, absorbedId: string, idempotencyKey?: string): Promise<ConsolidationDto> {
    assertPartnerAccess(principal, survivorId, 'Partner');
    const [survivor, absorbed] = await Promise.all([this.partner(survivorId), this.partner(absorbedId)]);
    if (!survivor) throw notFound('Partner');
    if (!absorbed) throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'unknown_partner', 'The partner to absorb was not found');
    if (survivor.id === absorbed.id) throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'same_partner', 'A partner cannot absorb itself');
    for (const partner of [survivor, absorbed]) {
      if (partner.status !== 'active')
        throw conflict('partner_not_active', `Partner ${partner.id} is ${partner.status}; both must be active`);
    }
    if (survivor.country !== absorbed.country) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'country_mismatch',
        `Offices consolidate within one country: the partners' primary offices are in ${survivor.country} and ${absorbed.country}`,
        undefined,
        { survivorCountry: survivor.country, absorbedCountry: absorbed.country },
      );
    }

    const proposed = { consolidationId: randomUUID() };
    const { consolidationId } = idempotencyKey
      ? await this.idempotency.reserve(`consolidation:${survivorId}`, idempotencyKey, { absorbedId }, proposed)
      : proposed;
    const earlier = await this.prisma.consolidation.findUnique({ where: { id: consolidationId } });
    if (earlier) return toView(earlier);
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

  async list(principal: Principal, partnerId: string): Promise<ConsolidationDto[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const rows = await this.prisma.consolidation.findMany({
      where: { OR: [{ survivorId: partnerId }, { absorbedId: partnerId }] },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toView);
  }

  async get(principal: Principal, id: string): Promise<ConsolidationDto> {
    return toView(await this.visible(principal, id));
  }

  /** Only the absorbed partner's own key consents; the survivor consented by asking. */
  async consent(principal: Principal, id: string): Promise<ConsolidationDto> {
    const row = await this.visible(principal, id);
    if (principal.partnerId !== row.absorbedId) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'consent_by_absorbed_partner', "Only the absorbed partner's own key can consent");
    }
    await this.temporal.client.workflow
      .getHandle(row.workflowId)
      .executeUpdate(consentToConsolidationUpdate, { args: [{ actor: principal.keyId }] });
    return this.get(principal, id);
  }

  /** Parties see their consolidations; reviewers and admins see all; anyone else gets 404. */
  private async visible(principal: Principal, id: string): Promise<Consolidation> {
    const row = await this.prisma.consolidation.findUnique({ where: { id } });
    const party = row && (principal.partnerId === row.survivorId || principal.partnerId === row.absorbedId);
    if (!row || (principal.role === 'partner' && !party)) throw notFound('Consolidation');
    return row;
  }

  /** The partner with its primary office's country, which every office shares. */
  private async partner(id: string) {
    const partner = await this.prisma.partner.findUnique({
      where: { id },
      select: {
        id: true,
        status: true,
        country: true,
        locations: { where: { isPrimary: true, removedAt: null }, select: { country: true } },
      },
    });
    return partner && { ...partner, country: partner.locations[0]?.country ?? partner.country };
  }
}
