import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { evidenceNaturalKey, type EvidenceDetails, type EvidenceKind } from '../../../../domain/points';
import { findCatalogInForce, type CatalogInForce } from '../../../../lib/catalog';
import { uuidFromKey } from '../../../../lib/ids';
import { computeStanding, type PartnerStanding } from '../../../../lib/standing';
import { evidenceWorkflowId } from '../../../../workflows/evidence/definitions';
import type { evidenceWorkflow } from '../../../../workflows/evidence/workflow';
import { type LedgerEntryView, ledgerCorrectionWorkflowId } from '../../../../workflows/ledger/definitions';
import type { ledgerCorrectionWorkflow } from '../../../../workflows/ledger/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, badRequest, conflict, notFound } from '../common/api-error';
import { flattenValidationErrors } from '../common/validation';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import {
  EVIDENCE_DETAILS_SHAPES,
  type EvidenceAcceptedDto,
  type EvidenceDto,
  type PointCorrectionDto,
  type RecordEvidenceDto,
} from './evidence.dto';

export const OPEN_PARTNER_STATUSES = ['pending', 'active'];

@Injectable()
export class PointsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  async catalogInForce(): Promise<CatalogInForce> {
    const catalog = await findCatalogInForce(this.prisma, new Date());
    if (!catalog) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'catalog_unavailable', 'No program catalog is in force yet');
    return catalog;
  }

  async record(principal: Principal, partnerId: string, body: RecordEvidenceDto): Promise<EvidenceAcceptedDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const partner = await this.prisma.partner.findUnique({
      where: { id: partnerId },
      include: { locations: { where: { removedAt: null }, select: { id: true } } },
    });
    if (!partner) throw notFound('Partner');
    if (!OPEN_PARTNER_STATUSES.includes(partner.status)) {
      throw conflict('partner_not_open', `A ${partner.status} partner cannot record evidence`);
    }
    const details = plainToInstance(EVIDENCE_DETAILS_SHAPES[body.kind], body.details);
    const problems = flattenValidationErrors(await validate(details, { whitelist: true, forbidNonWhitelisted: true }), 'details');
    if (body.locationId && !partner.locations.some((location) => location.id === body.locationId)) {
      problems.push({ field: 'locationId', reason: "is not one of this partner's offices", code: 'unknown_location' });
    }
    if (problems.length > 0) throw badRequest('The evidence is not valid', problems);

    const kind: EvidenceKind = body.kind;
    const plainDetails = instanceToPlain(details) as EvidenceDetails[EvidenceKind];
    const naturalKey = evidenceNaturalKey(kind, plainDetails);
    const evidenceId = uuidFromKey(`evidence|${partnerId}|${naturalKey}`);
    const duplicate = () => conflict('duplicate_evidence', 'This evidence is already recorded for the partner');
    if (await this.prisma.evidence.findUnique({ where: { id: evidenceId }, select: { id: true } })) throw duplicate();

    const workflowId = evidenceWorkflowId(evidenceId);
    const started = await this.temporal.startOnce<typeof evidenceWorkflow>('evidenceWorkflow', workflowId, [
      {
        evidenceId,
        partnerId,
        kind,
        naturalKey,
        details: plainDetails,
        locationId: body.locationId ?? null,
        recordedBy: principal.keyId,
      },
    ]);
    if (!started) throw duplicate();
    return { evidenceId, workflowId, status: 'recorded' };
  }

  async list(principal: Principal, partnerId: string): Promise<EvidenceDto[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    if (!(await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { id: true } }))) throw notFound('Partner');
    const rows = await this.prisma.evidence.findMany({ where: { partnerId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      details: row.details as Record<string, unknown>,
      locationId: row.locationId,
      status: row.status,
      points: row.points,
      catalogVersionId: row.catalogVersionId,
      createdAt: row.createdAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
    }));
  }

  async standing(principal: Principal, partnerId: string): Promise<PartnerStanding> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const standing = await computeStanding(this.prisma, partnerId, await this.catalogInForce(), new Date());
    if (!standing) throw notFound('Partner');
    return standing;
  }

  /** Runs the correction through its workflow and answers with the new ledger entry. */
  async correct(principal: Principal, partnerId: string, body: PointCorrectionDto, idempotencyKey?: string): Promise<LedgerEntryView> {
    const entry = await this.prisma.pointEntry.findUnique({ where: { id: body.entryId }, select: { partnerId: true } });
    if (!entry || entry.partnerId !== partnerId) throw notFound('Ledger entry');
    const correctionId = idempotencyKey ? uuidFromKey(`correction|${partnerId}|${idempotencyKey}`) : randomUUID();
    // A refused correction fails the workflow; the exception filter answers 422 correction_refused.
    return this.temporal.client.workflow.execute<typeof ledgerCorrectionWorkflow>('ledgerCorrectionWorkflow', {
      workflowId: ledgerCorrectionWorkflowId(partnerId, correctionId),
      taskQueue: this.temporal.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ correctionId, partnerId, entryId: body.entryId, points: body.points, reason: body.reason, actor: principal.keyId }],
    });
  }
}
