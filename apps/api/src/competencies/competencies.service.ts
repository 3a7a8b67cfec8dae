import { HttpStatus, Injectable } from '@nestjs/common';
import { partnerCompetencyId } from '../../../../lib/ids';
import { competencyWorkflowId, revokeCompetencyUpdate } from '../../../../workflows/competency/definitions';
import type { competencyWorkflow } from '../../../../workflows/competency/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { OPEN_PARTNER_STATUSES, PointsService } from '../points/points.service';
import { TemporalService } from '../temporal/temporal.module';
import type { CompetencyAcceptedDto, CompetencyDto, RevokedCompetencyDto } from './competencies.dto';

@Injectable()
export class CompetenciesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly points: PointsService,
  ) {}

  /** Starts the verification, or finds the one already running for this partner and competency. */
  async apply(principal: Principal, partnerId: string, code: string): Promise<CompetencyAcceptedDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const catalog = await this.points.catalogInForce();
    if (!catalog.competencies.some((competency) => competency.code === code)) {
      const validCodes = catalog.competencies.map((competency) => competency.code);
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'unknown_competency',
        `${code} is not a competency of catalog ${catalog.catalogVersionId}`,
        [{ field: 'code', reason: `must be one of ${validCodes.join(', ')}`, code: 'unknown_competency' }],
        { validCodes },
      );
    }
    const partner = await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { status: true } });
    if (!partner) throw notFound('Partner');
    if (!OPEN_PARTNER_STATUSES.includes(partner.status)) {
      throw conflict('partner_not_open', `A ${partner.status} partner cannot apply for a competency`);
    }
    const competencyId = partnerCompetencyId(partnerId, code);
    const existing = await this.prisma.partnerCompetency.findUnique({ where: { id: competencyId } });
    if (existing?.status === 'granted') {
      throw conflict('competency_already_granted', `${code} is already granted, valid until ${existing.validUntil?.toISOString()}`);
    }

    const workflowId = competencyWorkflowId(partnerId, code);
    const handle = await this.temporal.client.workflow.start<typeof competencyWorkflow>('competencyWorkflow', {
      workflowId,
      taskQueue: this.temporal.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ partnerId, code, requestedBy: principal.keyId }],
    });
    // The row describes the latest run; until a new run writes it, the run is verifying.
    const sameRun = existing?.runId === handle.firstExecutionRunId;
    return { competencyId, code, workflowId, status: sameRun ? existing.status : 'verifying' };
  }

  async list(principal: Principal, partnerId: string): Promise<CompetencyDto[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const [partner, catalog] = await Promise.all([
      this.prisma.partner.findUnique({ where: { id: partnerId }, select: { id: true } }),
      this.points.catalogInForce(),
    ]);
    if (!partner) throw notFound('Partner');
    const names = new Map(catalog.competencies.map((competency) => [competency.code, competency.name]));
    const rows = await this.prisma.partnerCompetency.findMany({ where: { partnerId }, orderBy: { code: 'asc' } });
    return rows.map((row) => ({
      id: row.id,
      code: row.code,
      name: names.get(row.code) ?? row.code,
      status: row.status,
      statusReason: row.statusReason,
      assessment: row.assessment,
      reviewTaskId: row.reviewTaskId,
      grantedAt: row.grantedAt?.toISOString() ?? null,
      validUntil: row.validUntil?.toISOString() ?? null,
      catalogVersionId: row.catalogVersionId,
      updatedAt: row.updatedAt.toISOString(),
    }));
  }

  /** The verification workflow holds the grant; it takes the revocation and answers once it is recorded. */
  async revoke(principal: Principal, partnerId: string, code: string, reason: string): Promise<RevokedCompetencyDto> {
    const row = await this.prisma.partnerCompetency.findUnique({ where: { id: partnerCompetencyId(partnerId, code) } });
    if (!row) throw notFound('Competency');
    if (row.status !== 'granted')
      throw conflict('competency_not_granted', `${code} is ${row.status}; only a granted competency can be revoked`);
    const revoked = await this.temporal.client.workflow
      .getHandle(row.workflowId, row.runId)
      .executeUpdate(revokeCompetencyUpdate, { args: [{ reason: reason.trim(), actor: principal.keyId }] });
    return { code, ...revoked };
  }
}
