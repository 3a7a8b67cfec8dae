import { ApplicationFailure } from '@temporalio/activity';
import { assessDesignation, type DesignationAssessment, describeDesignationAssessment } from '../domain/designations';
import { termEndAt, termTiming } from '../domain/renewal';
import type { Prisma, TransactionClient } from '../lib/database';
import type { CatalogInForce } from '../queries/catalog';
import { designationHoldings } from '../queries/designations';
import type { CompetencyReverificationRequest } from '../workflows/competencies/definitions';
import {
  DESIGNATION_NOT_GRANTED,
  type DesignationAssessmentRequest,
  type DesignationGrant,
  type DesignationRun,
  type DesignationTransition,
  type GrantedDesignation,
  type RevokedDesignation,
  type SettledDesignation,
} from '../workflows/designations/definitions';
import { recordAudit } from '../lib/audit';
import { createEntitlementGrants } from './benefits';
import { catalogInForce } from './catalog';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';
import { createNotificationActivities } from './notifications';
import { membershipYearEnd } from './renewals';

const json = (value: unknown) => value as Prisma.InputJsonValue;

/**
 * A designation's records: the application's assessment and status, the grant with its
 * entitlements, and its end (revoked, or expired at the end of its membership year).
 */
export function createDesignationActivities({ prisma, clock, membershipTermMinutes }: ActivityDeps) {
  const { syncTermEntitlements } = createEntitlementGrants(membershipTermMinutes);

  /** Ends a granted designation of this run and, in the same transaction, the entitlements it gave. */
  const endGrant = async (
    tx: TransactionClient,
    run: DesignationRun,
    ending: { status: 'revoked' | 'expired'; reason: string; actor: string; at: Date; catalog: CatalogInForce },
  ) => {
    await tx.partnerDesignation.update({
      where: { id: run.designationId },
      data: { status: ending.status, statusReason: ending.reason, updatedAt: clock.now() },
    });
    await syncTermEntitlements(tx, { partnerId: run.partnerId, asOf: ending.at, catalog: ending.catalog });
    await refreshDirectoryListing(tx, run.partnerId, ending.at);
    await recordAudit(tx, clock.now(), [
      {
        dedupeKey: `designation:${run.runId}:${ending.status}`,
        actor: ending.actor,
        entityType: 'designation',
        entityId: run.designationId,
        action: `designation.${ending.status}`,
        before: { status: 'granted' },
        after: { status: ending.status, code: run.code, partnerId: run.partnerId, reason: ending.reason },
      },
    ]);
  };

  return {
    /** What the partner holds now against the designation's requirements: the counts, not the evidence. */
    async assessPartnerDesignation(request: DesignationAssessmentRequest): Promise<DesignationAssessment> {
      const holdings = await designationHoldings(prisma, request.partnerId, {
        asOf: new Date(request.asOf),
        windowDays: request.windowDays,
      });
      return assessDesignation(request.designation, holdings, request.communityMemberId);
    },

    /** Moves the partner's designation to a status, with its audit event; a new run's first step resets the row. */
    async transitionDesignation(transition: DesignationTransition): Promise<void> {
      const at = clock.now();
      const id = transition.designationId;
      await prisma.$transaction(async (tx) => {
        const before = await tx.partnerDesignation.findUnique({ where: { id } });
        const fields = {
          status: transition.status,
          statusReason: transition.reason ?? null,
          catalogVersionId: transition.catalogVersionId,
          updatedAt: at,
          ...(transition.assessment ? { assessment: json(transition.assessment) } : {}),
          ...(transition.reviewTaskId ? { reviewTaskId: transition.reviewTaskId } : {}),
        };
        const newRun = {
          runId: transition.runId,
          workflowId: transition.workflowId,
          requestId: transition.requestId,
          communityMemberId: transition.communityMemberId,
          requestedBy: transition.requestedBy,
          grantedAt: null,
          validUntil: null,
          reviewTaskId: transition.reviewTaskId ?? null,
        };
        const sameRun = before?.runId === transition.runId;
        await tx.partnerDesignation.upsert({
          where: { id },
          create: { id, partnerId: transition.partnerId, code: transition.code, createdAt: at, ...newRun, ...fields },
          update: sameRun ? fields : { ...newRun, ...fields },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `designation:${transition.runId}:${transition.step}`,
            actor: transition.actor,
            entityType: 'designation',
            entityId: id,
            action: `designation.${transition.status}`,
            before: before && sameRun ? { status: before.status } : undefined,
            after: json({
              status: transition.status,
              code: transition.code,
              partnerId: transition.partnerId,
              communityMemberId: transition.communityMemberId,
              ...(transition.reason ? { reason: transition.reason } : {}),
              ...(transition.assessment ? { checks: transition.assessment.checks } : {}),
            }),
          },
        ]);
      });
    },

    /**
     * Grants the designation for the membership year (to the current term's end, or the next
     * one's once the renewal decision is past; a partner without a membership: the catalog's term
     * from now) and, in the same transaction, the benefits it gives for the term.
     */
    async grantDesignation(grant: DesignationGrant): Promise<GrantedDesignation> {
      const grantedAt = new Date(grant.grantedAt);
      const catalog = await catalogInForce(prisma, grantedAt);
      return prisma.$transaction(async (tx) => {
        const row = await tx.partnerDesignation.findUniqueOrThrow({ where: { id: grant.designationId } });
        if (row.runId === grant.runId && row.status === 'granted') return { validUntil: row.validUntil!.toISOString() };
        const timing = termTiming(catalog.rules.termMonths, membershipTermMinutes);
        const validUntil =
          (await membershipYearEnd(tx, grant.partnerId, grantedAt, membershipTermMinutes)) ??
          new Date(termEndAt(grantedAt.getTime(), timing)).toISOString();
        await tx.partnerDesignation.update({
          where: { id: grant.designationId },
          data: { status: 'granted', statusReason: null, grantedAt, validUntil: new Date(validUntil), updatedAt: clock.now() },
        });
        const entitlements = await syncTermEntitlements(tx, { partnerId: grant.partnerId, asOf: grantedAt, catalog });
        await refreshDirectoryListing(tx, grant.partnerId, grantedAt);
        await recordAudit(tx, clock.now(), [
          {
            dedupeKey: `designation:${grant.runId}:granted`,
            actor: grant.actor,
            entityType: 'designation',
            entityId: grant.designationId,
            action: 'designation.granted',
            before: { status: 'in-review' },
            after: { status: 'granted', code: grant.code, partnerId: grant.partnerId, validUntil, entitlements },
          },
        ]);
        return { validUntil };
      });
    },

    /** An admin ends the grant early: the designation and its entitlements stop now. */
    async revokeDesignation(input: DesignationRun & { actor: string; reason: string }): Promise<RevokedDesignation> {
      const at = clock.now();
      const catalog = await catalogInForce(prisma, at);
      return prisma.$transaction(async (tx) => {
        const row = await tx.partnerDesignation.findUnique({ where: { id: input.designationId } });
        if (row?.runId === input.runId && row.status === 'revoked') return { status: 'revoked' };
        if (row?.runId !== input.runId || row.status !== 'granted') {
          throw ApplicationFailure.nonRetryable(`Designation ${input.code} is not granted`, DESIGNATION_NOT_GRANTED);
        }
        await endGrant(tx, input, { status: 'revoked', reason: input.reason, actor: input.actor, at, catalog });
        return { status: 'revoked' };
      });
    },

    /**
     * The grant's end has come: when a renewal re-verified it, its end on record is later and it
     * stays granted until then; otherwise it expires now, with the entitlements it gave.
     */
    async settleDesignation(input: DesignationRun & { asOf: string }): Promise<SettledDesignation> {
      const asOf = new Date(input.asOf);
      const catalog = await catalogInForce(prisma, asOf);
      return prisma.$transaction(async (tx) => {
        const row = await tx.partnerDesignation.findUniqueOrThrow({ where: { id: input.designationId } });
        if (row.runId !== input.runId || row.status !== 'granted') return { status: 'expired' };
        if (row.validUntil! > asOf) return { status: 'granted', validUntil: row.validUntil!.toISOString() };
        const reason = 'The membership year it was granted for ended; the renewal did not re-verify it';
        await endGrant(tx, input, { status: 'expired', reason, actor: 'system', at: asOf, catalog });
        return { status: 'expired' };
      });
    },
  };
}

/**
 * Designations meet the membership year: re-verified at each renewal decision, inside the
 * `reverifyCompetencies` activity (after the competencies, which a designation may rest on), so
 * the membership workflow issues no new command and recorded renewals replay.
 */
export function createDesignationReverification(deps: ActivityDeps) {
  const { prisma, clock } = deps;
  const { notifyPartner } = createNotificationActivities(deps);
  return {
    /**
     * Each designation the partner holds is assessed again against the catalog in force, counting
     * only competencies still valid when the next term starts. A pass extends it to the next
     * term's end (its benefits follow into that term); a fail leaves it to end with the current
     * term, and the partner is told now. The holding workflow finds the end on record.
     */
    async reverifyDesignations(input: CompetencyReverificationRequest): Promise<void> {
      const asOf = new Date(input.asOf);
      const grants = await prisma.partnerDesignation.findMany({
        where: { partnerId: input.partnerId, status: 'granted', validUntil: { gt: asOf } },
        orderBy: { code: 'asc' },
      });
      if (grants.length === 0) return;
      const catalog = await catalogInForce(prisma, asOf);
      const holdings = await designationHoldings(prisma, input.partnerId, {
        asOf,
        windowDays: catalog.rules.competencyVerification.evidenceWindowDays,
        competenciesValidAt: new Date(input.currentTermEnd),
      });
      for (const grant of grants) {
        const designation = catalog.designations.find((candidate) => candidate.code === grant.code);
        const assessment = designation ? assessDesignation(designation, holdings, grant.communityMemberId) : null;
        const passed = assessment?.met ?? false;
        const currentEnd = new Date(Math.min(grant.validUntil!.getTime(), Date.parse(input.currentTermEnd)));
        const validUntil = passed ? new Date(input.nextTermEnd) : currentEnd;
        const at = clock.now();
        await prisma.$transaction(async (tx) => {
          await tx.partnerDesignation.update({
            where: { id: grant.id },
            data: { validUntil, updatedAt: at, ...(assessment ? { assessment: json(assessment) } : {}) },
          });
          await recordAudit(tx, at, [
            {
              dedupeKey: `designation:${grant.runId}:reverified:term:${input.termNumber}`,
              actor: 'system',
              entityType: 'designation',
              entityId: grant.id,
              action: passed ? 'designation.reverified' : 'designation.reverification_failed',
              before: { validUntil: grant.validUntil!.toISOString() },
              after: json({
                validUntil: validUntil.toISOString(),
                catalogVersionId: catalog.catalogVersionId,
                checks: assessment?.checks ?? [],
              }),
            },
          ]);
        });
        if (passed) continue;
        const name = designation?.name ?? grant.code;
        await notifyPartner({
          dedupeKey: `designation:${grant.runId}:reverification-failed:term:${input.termNumber}`,
          kind: 'designation-reverification-failed',
          partnerId: input.partnerId,
          subject: `${name} ends with your current term`,
          body: `${name} no longer meets its requirements (${assessment ? describeDesignationAssessment({ checks: assessment.missing }) : 'no longer in the catalog'}); it ends on ${validUntil.toISOString()}.`,
        });
      }
    },
  };
}
