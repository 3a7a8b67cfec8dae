import { HttpStatus, Injectable } from '@nestjs/common';
import { partnerCompetencyId } from '#lib/ids';
import { type CompetencyView, findCompetencyRecord, listCompetencies } from '#queries/competencies';
import { competencyWorkflowId, revokeCompetencyUpdate } from '#workflows/competencies/definitions';
import type { competencyWorkflow } from '#workflows/competencies/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { CompetencyAcceptedDto, RevokedCompetencyDto } from './competencies.dto';

@Injectable()
export class CompetenciesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  /** Starts the verification, or finds the one already running for this partner and competency. */
  async apply(principal: Principal, partnerId: string, code: string): Promise<CompetencyAcceptedDto> {
    await this.access.requireOpenPartner(principal, partnerId, 'apply for a competency');
    const catalog = await this.catalog.inForce();
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
    const existing = await findCompetencyRecord(this.prisma, partnerId, code);
    if (existing?.status === 'granted') {
      throw conflict('competency_already_granted', `${code} is already granted, valid until ${existing.validUntil?.toISOString()}`);
    }

    const workflowId = competencyWorkflowId(partnerId, code);
    const handle = await this.temporal.bounded(() =>
      this.temporal.client.workflow.start<typeof competencyWorkflow>('competencyWorkflow', {
        workflowId,
        taskQueue: this.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ partnerId, code, requestedBy: principal.keyId }],
      }),
    );
    // The row describes the latest run; until a new run writes it, the run is verifying.
    const sameRun = existing?.runId === handle.firstExecutionRunId;
    return { competencyId: partnerCompetencyId(partnerId, code), code, workflowId, status: sameRun ? existing.status : 'verifying' };
  }

  async list(principal: Principal, partnerId: string): Promise<CompetencyView[]> {
    const [, catalog] = await Promise.all([this.access.requirePartner(principal, partnerId), this.catalog.inForce()]);
    return listCompetencies(this.prisma, partnerId, new Map(catalog.competencies.map((competency) => [competency.code, competency.name])));
  }

  /** The verification workflow holds the grant; it takes the revocation and answers once it is recorded. */
  async revoke(principal: Principal, partnerId: string, code: string, reason: string): Promise<RevokedCompetencyDto> {
    const row = await findCompetencyRecord(this.prisma, partnerId, code);
    if (!row) throw notFound('Competency');
    if (row.status !== 'granted')
      throw conflict('competency_not_granted', `${code} is ${row.status}; only a granted competency can be revoked`);
    const revoked = await this.temporal.update(
      row.workflowId,
      revokeCompetencyUpdate,
      [{ reason: reason.trim(), actor: principal.keyId }],
      { runId: row.runId },
    );
    return { code, ...revoked };
  }
}
