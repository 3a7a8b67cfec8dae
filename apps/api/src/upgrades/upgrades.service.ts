import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { computeStanding, missingForLevel } from '../../../../lib/standing';
import { uuidFromKey } from '../../../../lib/ids';
import { upgradeWorkflowId } from '../../../../workflows/upgrade/definitions';
import type { upgradeWorkflow } from '../../../../workflows/upgrade/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { PointsService } from '../points/points.service';
import { TemporalService } from '../temporal/temporal.module';
import type { RequestUpgradeDto, UpgradeAcceptedDto, UpgradeRequestDto } from './upgrades.dto';

@Injectable()
export class UpgradesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly points: PointsService,
  ) {}

  /**
   * Refuses at once, with the missing items, when the partner is not eligible now; otherwise
   * starts the upgrade workflow, which checks again and asks a reviewer.
   */
  async request(principal: Principal, partnerId: string, body: RequestUpgradeDto, idempotencyKey?: string): Promise<UpgradeAcceptedDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const catalog = await this.points.catalogInForce();
    const standing = await computeStanding(this.prisma, partnerId, catalog, new Date());
    if (!standing) throw notFound('Partner');
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
        {
          level: body.level,
          missing,
        },
      );
    }

    const requestId = idempotencyKey ? uuidFromKey(`upgrade|${partnerId}|${idempotencyKey}`) : randomUUID();
    const workflowId = upgradeWorkflowId(partnerId, requestId);
    // The same Idempotency-Key again: the first request stands.
    await this.temporal.startOnce<typeof upgradeWorkflow>('upgradeWorkflow', workflowId, [
      { requestId, partnerId, level: body.level, requestedBy: principal.keyId },
    ]);
    return { upgradeRequestId: requestId, workflowId, status: 'checking' };
  }

  async get(principal: Principal, partnerId: string, requestId: string): Promise<UpgradeRequestDto> {
    assertPartnerAccess(principal, partnerId, 'Upgrade request');
    const row = await this.prisma.upgradeRequest.findUnique({ where: { id: requestId } });
    if (!row || row.partnerId !== partnerId) throw notFound('Upgrade request');
    return {
      id: row.id,
      partnerId: row.partnerId,
      fromLevel: row.fromLevel,
      toLevel: row.toLevel,
      status: row.status,
      statusReason: row.statusReason,
      missing: row.missing ?? [],
      reviewTaskId: row.reviewTaskId,
      catalogVersionId: row.catalogVersionId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
