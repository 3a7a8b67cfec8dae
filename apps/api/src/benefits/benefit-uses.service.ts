import { HttpStatus, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { isConsumable, type UseRefusal } from '#domain/benefits';
import { newLicenseKey } from '#lib/license-keys';
import {
  entitlementsToUse,
  findLicenseKey,
  findSupportIncident,
  listPartnerSupportIncidents,
  listSupportIncidents,
  purchasableBenefits,
  type SupportIncidentView,
} from '#queries/benefits';
import {
  type LicenseKeyIssue,
  licenseKeyIssuedUpdate,
  licenseKeyWorkflowId,
  resolveSupportIncidentUpdate,
  startSupportIncidentUpdate,
  type SupportIncidentOpening,
  supportIncidentOpenedUpdate,
  supportIncidentWorkflowId,
} from '#workflows/benefits/definitions';
import type { licenseKeyWorkflow, supportIncidentWorkflow } from '#workflows/benefits/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, badRequest, conflict, type FieldProblem, notFound } from '../common/api-error';
import type { IdempotentRequest } from '../common/idempotent';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import {
  type BenefitUseDto,
  type BenefitUseRequestDto,
  type IssuedLicenseKeyDto,
  type ListSupportIncidentsQuery,
  SUPPORT_INCIDENT_FIELDS,
  type SupportIncidentDto,
} from './benefits.dto';

/** Which body a use sent: a support incident's three fields, or none of them (a license key, with a note or not). */
function requestedUse(body: BenefitUseRequestDto): 'counted' | 'license' {
  const given = SUPPORT_INCIDENT_FIELDS.filter((field) => body[field] !== undefined);
  if (!given.length) return 'license';
  // Some of the three, or a note beside them, is neither body the document allows.
  const problems: FieldProblem[] = [
    ...SUPPORT_INCIDENT_FIELDS.filter((field) => body[field] === undefined).map((field) => ({
      field,
      reason: `is required with ${given.join(' and ')}`,
      code: 'required',
    })),
    ...(body.note !== undefined
      ? [{ field: 'note', reason: 'goes with a license key, not a support incident', code: 'unknown_field' }]
      : []),
  ];
  if (problems.length) throw badRequest('The request is not valid', problems);
  return 'counted';
}

/** The body a benefit of one kind was sent with the other's fields: well formed, but not for this benefit. */
function mismatch(benefitCode: string, kind: 'counted' | 'license'): ApiError {
  const fields =
    kind === 'counted'
      ? SUPPORT_INCIDENT_FIELDS.map((field) => ({ field, reason: 'is required to open a support incident', code: 'required' }))
      : SUPPORT_INCIDENT_FIELDS.map((field) => ({
          field,
          reason: 'is for a support incident; a license key takes a note only',
          code: 'not_for_this_benefit',
        }));
  const what =
    kind === 'counted' ? 'opens a support incident: send subject, description and product' : 'issues a license key: send a note or nothing';
  return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'benefit_use_mismatch', `${benefitCode} ${what}`, fields);
}

const withoutWorkflow = ({ workflowId: _workflow, ...incident }: SupportIncidentView & { workflowId?: string }): SupportIncidentDto =>
  incident;

/**
 * Uses of counted and license benefits, and the support incidents they open. The API validates,
 * authorizes and answers; the use's workflow takes the unit and records what it produced, and
 * staff move incidents through the same workflow's updates.
 */
@Injectable()
export class BenefitUsesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
  ) {}

  /**
   * One use of a benefit the partner holds in the term in force: a support incident opened on a
   * counted benefit, a license key issued from a license benefit. Refused at once for a benefit it
   * does not hold (404), one not used unit by unit (422) or sent the other kind's body (422); the
   * workflow refuses when no unit is left (409) or none is usable now (409).
   */
  async use(
    principal: Principal,
    partnerId: string,
    benefitCode: string,
    body: BenefitUseRequestDto,
    idempotency: IdempotentRequest,
  ): Promise<BenefitUseDto> {
    await this.access.requirePartner(principal, partnerId);
    const requested = requestedUse(body);
    const entitlements = await entitlementsToUse(this.prisma, partnerId, benefitCode, new Date());
    if (!entitlements.length) throw notFound('Benefit');
    const { kind } = entitlements[0];
    if (!isConsumable(kind)) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'benefit_not_consumable',
        `${benefitCode} is an ${kind} benefit: it is held, not used unit by unit`,
      );
    }
    if (kind !== requested) throw mismatch(benefitCode, kind);
    const requestId = await idempotency.requestId();
    const use = { partnerId, benefitCode, requestedBy: principal.keyId };
    if (kind === 'counted') {
      const { subject, description, product } = body as Required<BenefitUseRequestDto>;
      return {
        benefitCode,
        kind,
        supportIncident: await this.openSupportIncident({ ...use, incidentId: requestId, subject, description, product }),
      };
    }
    return { benefitCode, kind, licenseKey: await this.issueLicenseKey(use, requestId, body.note ?? null) };
  }

  private async openSupportIncident(input: Parameters<typeof supportIncidentWorkflow>[0]): Promise<SupportIncidentDto> {
    const workflowId = supportIncidentWorkflowId(input.partnerId, input.incidentId);
    const opening: SupportIncidentOpening =
      (await this.temporal.updateWithStart<typeof supportIncidentWorkflow, SupportIncidentOpening>(
        'supportIncidentWorkflow',
        workflowId,
        [input],
        supportIncidentOpenedUpdate,
      )) ?? (await this.endedOpening(workflowId, input.incidentId));
    if (opening.outcome !== 'used') throw await this.refusal(opening.outcome, input.partnerId, input.benefitCode);
    // A repeat answers the incident as it is now.
    return withoutWorkflow((await findSupportIncident(this.prisma, input.incidentId)) ?? opening.produced);
  }

  /** How an ended incident workflow opened: its incident on record, or the refusal it ended with. */
  private async endedOpening(workflowId: string, incidentId: string): Promise<SupportIncidentOpening> {
    const incident = await findSupportIncident(this.prisma, incidentId);
    if (incident) return { outcome: 'used', produced: incident };
    const outcome = await this.temporal.result<typeof supportIncidentWorkflow>(workflowId);
    return { outcome: outcome.refusal ?? 'exhausted' };
  }

  /**
   * Issues a license key: the key is made here and only its hash and last characters go to the
   * workflow, so no history holds it. It is shown once, to the request whose key was put on record;
   * a repeat of the request made a key of its own, which was not, and answers without one.
   */
  private async issueLicenseKey(
    use: { partnerId: string; benefitCode: string; requestedBy: string },
    licenseKeyId: string,
    note: string | null,
  ): Promise<IssuedLicenseKeyDto> {
    const key = newLicenseKey();
    const workflowId = licenseKeyWorkflowId(use.partnerId, licenseKeyId);
    const issue: LicenseKeyIssue =
      (await this.temporal.updateWithStart<typeof licenseKeyWorkflow, LicenseKeyIssue>(
        'licenseKeyWorkflow',
        workflowId,
        [{ ...use, licenseKeyId, keyHash: key.hash, lastChars: key.lastChars, note }],
        licenseKeyIssuedUpdate,
      )) ?? (await this.temporal.result<typeof licenseKeyWorkflow>(workflowId));
    if (issue.outcome !== 'used') throw await this.refusal(issue.outcome, use.partnerId, use.benefitCode);
    const { keyHash, ...issued } = issue.produced;
    const current = (await findLicenseKey(this.prisma, licenseKeyId)) ?? issued;
    return keyHash === key.hash ? { ...current, key: key.key } : current;
  }

  /** Nothing left: 409 with what the partner can buy instead, at its price. */
  private async refusal(refusal: UseRefusal, partnerId: string, benefitCode: string): Promise<ApiError> {
    if (refusal === 'not_usable') {
      return conflict('entitlement_not_usable', `The partner's ${benefitCode} entitlement is not usable now: it has ended or not begun`);
    }
    const alternatives = (await purchasableBenefits(this.prisma, partnerId, new Date())).map((benefit) => ({
      ...benefit,
      purchase: `/v1/partners/${partnerId}/benefits/${benefit.benefitCode}/purchases`,
    }));
    return new ApiError(
      HttpStatus.CONFLICT,
      'entitlement_exhausted',
      `Every unit of ${benefitCode} in the partner's current term is used`,
      undefined,
      { benefitCode, alternatives },
    );
  }

  async getIncident(principal: Principal, incidentId: string): Promise<SupportIncidentDto> {
    const incident = await findSupportIncident(this.prisma, incidentId);
    if (!incident) throw notFound('Support incident');
    assertPartnerAccess(principal, incident.partnerId, 'Support incident');
    return withoutWorkflow(incident);
  }

  async listPartnerIncidents(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<SupportIncidentDto>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listPartnerSupportIncidents(this.prisma, partnerId, pageRequest(query)));
  }

  async listIncidents(query: ListSupportIncidentsQuery): Promise<Page<SupportIncidentDto>> {
    return pageResponse(await listSupportIncidents(this.prisma, { status: query.status }, pageRequest(query)));
  }

  /** Staff take an open incident on. */
  startIncident(principal: Principal, incidentId: string): Promise<SupportIncidentDto> {
    return this.moveIncident(incidentId, 'open', 'support_incident_not_open', startSupportIncidentUpdate, [{ actor: principal.keyId }]);
  }

  /** Staff resolve an incident they have taken on; the partner reads the resolution in its notice. */
  resolveIncident(principal: Principal, incidentId: string, resolution: string): Promise<SupportIncidentDto> {
    return this.moveIncident(incidentId, 'in_progress', 'support_incident_not_in_progress', resolveSupportIncidentUpdate, [
      { actor: principal.keyId, resolution },
    ]);
  }

  /** Refused at once from the record when the incident is not where the step starts; the workflow decides otherwise. */
  private async moveIncident<Args extends [unknown]>(
    incidentId: string,
    from: SupportIncidentView['status'],
    refusal: string,
    update: UpdateDefinition<SupportIncidentView, Args>,
    args: Args,
  ): Promise<SupportIncidentDto> {
    const incident = await findSupportIncident(this.prisma, incidentId);
    if (!incident) throw notFound('Support incident');
    const refused = (status: string) => conflict(refusal, `This support incident is ${status.replace('_', ' ')}`);
    if (incident.status !== from) throw refused(incident.status);
    try {
      return withoutWorkflow(await this.temporal.update(incident.workflowId, update, args));
    } catch (error) {
      // Its workflow ended meanwhile: the incident was resolved.
      if (error instanceof WorkflowNotFoundError) throw refused('resolved');
      throw error;
    }
  }
}
