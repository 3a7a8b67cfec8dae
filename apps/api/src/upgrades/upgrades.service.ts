import { HttpStatus, Injectable } from '@nestjs/common';
import { computeStanding, missingForLevel } from '#queries/standing';
import { findUpgradeRequest, liveUpgradeRequest, type UpgradeRequestView } from '#queries/upgrades';
import { upgradeWorkflowId } from '#workflows/upgrades/definitions';
import type { upgradeWorkflow } from '#workflows/upgrades/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { IdempotentRequest } from '../common/idempotent';
import type { RequestUpgradeDto, UpgradeAcceptedDto } from './upgrades.dto';

@Injectable()
export class UpgradesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * Refuses at once, with the missing items, when the partner is not eligible now; otherwise
   * starts the upgrade workflow, which checks again and asks a reviewer.
   */
  async request(
    principal: Principal,
    partnerId: string,
    body: RequestUpgradeDto,
    idempotency: IdempotentRequest,
  ): Promise<UpgradeAcceptedDto> {
    const catalog = await this.catalog.inForce();
    const standing = await this.access.requirePartner(principal, partnerId, (db, id) => computeStanding(db, id, catalog, new Date()));
    if (standing.status !== 'active') throw conflict('partner_not_active', `A ${standing.status} partner cannot request an upgrade`);
    const rank = (code: string) => catalog.levels.find((level) => level.code === code)?.rank ?? 0;
    if (rank(body.level) <= rank(standing.level)) {
      throw conflict('not_an_upgrade', `The partner is already ${standing.level}; ${body.level} is not higher`);
    }
    const missing = missingForLevel(standing, body.level);
    if (missing.length > 0) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'not_eligible',
        `The partner does not meet the ${body.level} requirements yet`,
        undefined,
        { level: body.level, missing },
      );
    }

    const requestId = await idempotency.requestId();
    const inFlight = await liveUpgradeRequest(this.prisma, partnerId, requestId);
    if (inFlight) throw conflict('upgrade_in_progress', `Upgrade ${inFlight} of this partner is still in progress; one at a time`);
    const workflowId = upgradeWorkflowId(partnerId, requestId);
    // The same Idempotency-Key again: the first request stands.
    await this.temporal.startOnce<typeof upgradeWorkflow>('upgradeWorkflow', workflowId, [
      { requestId, partnerId, level: body.level, requestedBy: principal.keyId },
    ]);
    return { upgradeRequestId: requestId, workflowId, status: 'checking' };
  }

  async get(principal: Principal, partnerId: string, requestId: string): Promise<UpgradeRequestView> {
    await this.access.requirePartner(principal, partnerId);
    const request = await findUpgradeRequest(this.prisma, requestId);
    if (!request || request.partnerId !== partnerId) throw notFound('Upgrade request');
    return request;
  }
}
