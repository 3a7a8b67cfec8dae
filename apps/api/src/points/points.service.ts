import { HttpStatus, Injectable } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  EVIDENCE_POINT_SOURCE,
  evidenceActivity,
  type EvidenceDetails,
  type EvidenceKind,
  evidenceNaturalKey,
  evidenceProblems,
  nextEvidenceAttempt,
} from '#domain/points';
import { evidenceIdFor } from '#lib/ids';
import { activeOffices } from '#queries/locations';
import {
  evidenceCounts,
  type EvidenceView,
  latestEvidenceAttempt,
  type LedgerEntryView,
  ledgerEntryOwner,
  listEvidence,
} from '#queries/points';
import type { ProgramRules } from '#domain/catalog';
import { DAY_MS } from '#domain/time';
import { computeStanding, type PartnerStanding } from '#queries/standing';
import { evidenceWorkflowId, ledgerCorrectionWorkflowId } from '#workflows/points/definitions';
import type { evidenceWorkflow, ledgerCorrectionWorkflow } from '#workflows/points/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, badRequest, conflict, notFound } from '../common/api-error';
import { flattenValidationErrors } from '../common/validation';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { IdempotentRequest } from '../common/idempotent';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import { EVIDENCE_DETAILS_SHAPES, type EvidenceAcceptedDto, type PointCorrectionDto, type RecordEvidenceDto } from './evidence.dto';

@Injectable()
export class PointsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  async record(principal: Principal, partnerId: string, body: RecordEvidenceDto): Promise<EvidenceAcceptedDto> {
    await this.access.requireOpenPartner(principal, partnerId, 'record evidence');
    const details = plainToInstance(EVIDENCE_DETAILS_SHAPES[body.kind], body.details);
    const problems = flattenValidationErrors(await validate(details, { whitelist: true, forbidNonWhitelisted: true }), 'details');
    if (problems.length > 0) throw badRequest('The evidence is not valid', problems);
    if (body.locationId && !(await activeOffices(this.prisma, partnerId)).some((office) => office.id === body.locationId)) {
      // Well formed, but not an office of this partner: the rules refuse it, as they refuse an office abroad.
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'unknown_location', "The location is not one of this partner's offices", [
        { field: 'locationId', reason: "is not one of this partner's offices", code: 'unknown_location' },
      ]);
    }

    const kind: EvidenceKind = body.kind;
    const plainDetails = instanceToPlain(details) as EvidenceDetails[EvidenceKind];
    const catalog = await this.catalog.inForce();
    const asOf = new Date().toISOString();
    const refused = evidenceProblems(kind, plainDetails, {
      asOf,
      windowDays:
        catalog.pointSources.find((source) => source.code === EVIDENCE_POINT_SOURCE[kind])?.windowDays ?? catalog.rules.pointsWindowDays,
      competencyCodes: catalog.competencies.map((competency) => competency.code),
      qualifyingCertifications: catalog.rules.qualifyingCertifications,
    });
    if (refused.length > 0) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'evidence_not_accepted', 'The program does not accept this evidence', refused);
    }
    const naturalKey = evidenceNaturalKey(kind, plainDetails, asOf);
    const duplicate = () => conflict('duplicate_evidence', 'This evidence is already recorded for the partner in this period');
    // A rejected or expired submission may be made again, as the next attempt; a pending or verified one stands.
    const attempt = nextEvidenceAttempt(await latestEvidenceAttempt(this.prisma, partnerId, naturalKey));
    if (attempt === null) throw duplicate();
    const evidenceId = evidenceIdFor(partnerId, naturalKey, attempt);
    await this.refuseBeyondEvidenceLimits(partnerId, catalog.rules);

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
        attempt,
        activityAt: evidenceActivity(kind, plainDetails)?.at ?? null,
      },
    ]);
    if (!started) throw duplicate();
    return { evidenceId, workflowId, status: 'recorded' };
  }

  /**
   * The catalog's caps on evidence, checked before the workflow starts: requests racing each other
   * may pass one or two over, which the caps (far above real use) absorb.
   */
  private async refuseBeyondEvidenceLimits(partnerId: string, rules: ProgramRules): Promise<void> {
    if (!rules.limits) return;
    const { evidencePerWindow, pendingEvidencePerPartner } = rules.limits;
    const counts = await evidenceCounts(this.prisma, partnerId, new Date(Date.now() - rules.pointsWindowDays * DAY_MS));
    if (counts.inWindow >= evidencePerWindow) {
      throw conflict(
        'evidence_limit_reached',
        `A partner may record ${evidencePerWindow} pieces of evidence in ${rules.pointsWindowDays} days`,
      );
    }
    if (counts.pending >= pendingEvidencePerPartner) {
      throw conflict('too_much_pending_evidence', `${pendingEvidencePerPartner} pieces of evidence await review; wait for their decisions`);
    }
  }

  async list(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<EvidenceView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listEvidence(this.prisma, partnerId, pageRequest(query)));
  }

  async standing(principal: Principal, partnerId: string): Promise<PartnerStanding> {
    const catalog = await this.catalog.inForce();
    return this.access.requirePartner(principal, partnerId, (db, id) => computeStanding(db, id, catalog, new Date()));
  }

  /** Runs the correction through its workflow and answers with the new ledger entry. */
  async correct(
    principal: Principal,
    partnerId: string,
    body: PointCorrectionDto,
    idempotency: IdempotentRequest,
  ): Promise<LedgerEntryView> {
    if ((await ledgerEntryOwner(this.prisma, body.entryId)) !== partnerId) throw notFound('Ledger entry');
    const correctionId = await idempotency.requestId();
    // A refused correction fails the workflow; the exception filter answers 422 correction_refused.
    return this.temporal.execute<typeof ledgerCorrectionWorkflow>(
      'ledgerCorrectionWorkflow',
      ledgerCorrectionWorkflowId(partnerId, correctionId),
      [{ correctionId, partnerId, entryId: body.entryId, points: body.points, reason: body.reason, actor: principal.keyId }],
    );
  }
}
