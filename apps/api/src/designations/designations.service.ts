import { HttpStatus, Injectable } from '@nestjs/common';
import type { CatalogDesignation } from '#domain/catalog';
import { assessDesignation, LIVE_DESIGNATION_STATUSES, type DesignationStatus } from '#domain/designations';
import { partnerDesignationId } from '#lib/ids';
import type { CatalogInForce } from '#queries/catalog';
import { type DesignationView, designationHoldings, findDesignationRecord, listDesignations } from '#queries/designations';
import { designationWorkflowId, revokeDesignationUpdate } from '#workflows/designations/definitions';
import type { designationWorkflow } from '#workflows/designations/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict, notFound } from '../common/api-error';
import type { IdempotentRequest } from '../common/idempotent';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ApplyForDesignationDto, DesignationAcceptedDto, RevokedDesignationDto } from './designations.dto';

@Injectable()
export class DesignationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * Refuses at once what the partner does not meet, with the missing checks; otherwise starts the
   * application, whose workflow checks again and asks a reviewer. While one is in review or
   * granted, only the same request again (its Idempotency-Key) is answered, with where it stands.
   */
  async apply(
    principal: Principal,
    partnerId: string,
    body: ApplyForDesignationDto,
    idempotency: IdempotentRequest,
  ): Promise<DesignationAcceptedDto> {
    await this.access.requireActivePartner(principal, partnerId, 'apply for a designation');
    const catalog = await this.catalog.inForce();
    const designation = designationOf(catalog, body.code);
    const designationId = partnerDesignationId(partnerId, body.code);
    const workflowId = designationWorkflowId(partnerId, body.code);
    const accepted = (status: string) => ({ designationId, code: body.code, workflowId, status });

    const existing = await findDesignationRecord(this.prisma, partnerId, body.code);
    if (existing && LIVE_DESIGNATION_STATUSES.includes(existing.status as DesignationStatus)) {
      if (existing.requestId === (await idempotency.requestId())) return accepted(existing.status);
      throw existing.status === 'granted'
        ? conflict('designation_already_granted', `${body.code} is already granted, valid until ${existing.validUntil?.toISOString()}`)
        : conflict('designation_in_review', `An application for ${body.code} is already in review`);
    }

    const now = new Date();
    const holdings = await designationHoldings(this.prisma, partnerId, {
      asOf: now,
      windowDays: catalog.rules.competencyVerification.evidenceWindowDays,
    });
    const communityMemberId = body.communityMemberId.trim();
    const assessment = assessDesignation(designation, holdings, communityMemberId);
    if (!assessment.met) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'designation_requirements_unmet',
        `The partner does not meet the ${designation.name} requirements yet`,
        undefined,
        { code: body.code, missing: assessment.missing },
      );
    }

    const requestId = await idempotency.requestId();
    const start = () =>
      this.temporal.bounded(() =>
        this.temporal.client.workflow.start<typeof designationWorkflow>('designationWorkflow', {
          workflowId,
          taskQueue: this.temporal.taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [{ partnerId, code: body.code, designationId, communityMemberId, requestId, requestedBy: principal.keyId }],
        }),
      );
    const running = await start();
    if (existing && running.firstExecutionRunId === existing.runId) {
      // The run that ended this row is still closing (its last notice): once it has, the application starts afresh.
      await this.temporal.bounded(() => running.result()).catch(() => undefined);
      await start();
    }
    return accepted('in-review');
  }

  async list(principal: Principal, partnerId: string): Promise<DesignationView[]> {
    const [, catalog] = await Promise.all([this.access.requirePartner(principal, partnerId), this.catalog.inForce()]);
    return listDesignations(
      this.prisma,
      partnerId,
      new Map(catalog.designations.map((designation) => [designation.code, designation.name])),
    );
  }

  /** The application's workflow holds the grant; it takes the revocation and answers once it is recorded. */
  async revoke(principal: Principal, partnerId: string, code: string, reason: string): Promise<RevokedDesignationDto> {
    await this.access.requirePartner(principal, partnerId);
    const row = await findDesignationRecord(this.prisma, partnerId, code);
    if (!row) throw notFound('Designation');
    if (row.status !== 'granted') {
      throw conflict('designation_not_granted', `${code} is ${row.status}; only a granted designation can be revoked`);
    }
    const revoked = await this.temporal.update(
      row.workflowId,
      revokeDesignationUpdate,
      [{ reason: reason.trim(), actor: principal.keyId }],
      { runId: row.runId },
    );
    return { code, ...revoked };
  }
}

/** The designation of the catalog in force by that code; 422 with the valid codes otherwise. */
function designationOf(catalog: CatalogInForce, code: string): CatalogDesignation {
  const designation = catalog.designations.find((candidate) => candidate.code === code);
  if (designation) return designation;
  const validCodes = catalog.designations.map((candidate) => candidate.code);
  throw new ApiError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'unknown_designation',
    `${code} is not a designation of catalog ${catalog.catalogVersionId}`,
    [{ field: 'code', reason: `must be one of ${validCodes.join(', ') || '(none in this catalog)'}`, code: 'unknown_designation' }],
    { validCodes },
  );
}
