import { type LevelCode, levelRank } from '../domain/catalog';
import { highestEligibleLevel } from '../domain/eligibility';
import { competencyValidUntil, scheduleDayMs, termEndAt, termTiming } from '../domain/renewal';
import { findCatalogInForce } from '../queries/catalog';
import type {
  MembershipStep,
  MembershipTermPlan,
  MembershipTermRef,
  MembershipTermStart,
  OpenMembershipTerm,
  PartnerNotice,
  RenewalDecision,
  RenewalRequalification,
} from '../workflows/renewals/definitions';
import type { TransactionClient } from '../lib/database';
import { recordAudit } from '../lib/audit';
import { purchaseRenewalsDue } from './benefit-purchases';
import { createEntitlementGrants, endEntitlements } from './benefits';
import { catalogInForce } from './catalog';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';
import { closeChannelOffersOfDeparted } from './channels';
import { createNotificationActivities } from './notifications';
import { standingAsOf } from './partners';

/** The steps after which a membership gives nothing: every entitlement ends at once. */
const MEMBERSHIP_ENDINGS: readonly string[] = ['withdrawn', 'lapsed', 'consolidated'];

const stepKey = (ref: MembershipTermRef, step: string) => `membership:${ref.partnerId}:term:${ref.termNumber}:${step}`;

/**
 * The end of the membership year a grant (of a competency or a designation) made at `grantedAt` belongs to (see
 * `competencyValidUntil`); null for a partner with no membership, whose grant keeps the
 * catalog's own validity.
 */
export async function membershipYearEnd(
  tx: TransactionClient,
  partnerId: string,
  grantedAt: Date,
  termMinutes?: number,
): Promise<string | null> {
  const membership = await tx.membership.findUnique({ where: { partnerId }, select: { termEnd: true } });
  if (!membership) return null;
  const { rules } = await catalogInForce(tx, grantedAt);
  const validUntil = competencyValidUntil(
    { endMs: membership.termEnd.getTime() },
    grantedAt.getTime(),
    rules,
    termTiming(rules.termMonths, termMinutes),
  );
  return new Date(validUntil).toISOString();
}

/** The partner's notice for one step of a term, sent once whatever the retries. */
function termNotices(deps: ActivityDeps) {
  const { notifyPartner } = createNotificationActivities(deps);
  return (ref: MembershipTermRef, step: string, notice: PartnerNotice) =>
    notifyPartner({ dedupeKey: `${stepKey(ref, step)}:notice`, partnerId: ref.partnerId, ...notice });
}

/**
 * The membership's records: one row per partner (never a shared row, so thousands of
 * memberships with one anniversary renew side by side), its audit trail and its notices.
 * This part opens a term and starts it; the renewal activities below take its later steps.
 */
export function createMembershipTermActivities(deps: ActivityDeps) {
  const { prisma, clock, membershipTermMinutes } = deps;
  const noticeFor = termNotices(deps);
  const { syncTermEntitlements } = createEntitlementGrants(membershipTermMinutes);

  return {
    /**
     * Puts a term on record once (a renewed term replaces the row's previous one, never the
     * reverse) and answers how it is scheduled under the catalog in force at `asOf`. Asked
     * again for the same term, it only answers the plan: that is how a catalog change reaches
     * the term's remaining milestones.
     */
    async openMembershipTerm(input: OpenMembershipTerm): Promise<MembershipTermPlan> {
      const catalog = await catalogInForce(prisma, new Date(input.asOf));
      const { termMonths } = catalog.rules;
      const timing = termTiming(termMonths, membershipTermMinutes);
      const termEnd = input.termEnd ?? new Date(termEndAt(Date.parse(input.termStart), timing)).toISOString();
      const term = {
        termNumber: input.termNumber,
        termStart: new Date(input.termStart),
        termEnd: new Date(termEnd),
        level: input.level,
        status: 'active',
        statusReason: null,
        renewalLevel: null,
        renewalInvoiceId: null,
        nextMilestone: 'term-starts',
        nextMilestoneAt: new Date(input.termStart),
        catalogVersionId: catalog.catalogVersionId,
      };
      const at = clock.now();
      const opened = await prisma.$transaction(async (tx) => {
        const { count } = await tx.membership.createMany({
          data: [{ partnerId: input.partnerId, workflowId: input.workflowId, ...term, updatedAt: at }],
          skipDuplicates: true,
        });
        const replaced =
          count === 0 &&
          (
            await tx.membership.updateMany({
              where: { partnerId: input.partnerId, termNumber: { lt: input.termNumber } },
              data: { ...term, updatedAt: at },
            })
          ).count > 0;
        if (count === 0 && !replaced) {
          // Asked again for the same term (a new catalog version): the next renewal is decided under it.
          await tx.membership.updateMany({
            where: { partnerId: input.partnerId, termNumber: input.termNumber },
            data: { catalogVersionId: catalog.catalogVersionId, updatedAt: at },
          });
          // The new version may list other levels or rank them otherwise.
          await refreshDirectoryListing(tx, input.partnerId, new Date(input.asOf));
          return false;
        }
        await recordAudit(tx, at, [
          {
            dedupeKey: stepKey(input, 'opened'),
            actor: 'system',
            entityType: 'membership',
            entityId: input.partnerId,
            action: input.termNumber === 1 ? 'membership.started' : 'membership.renewed',
            after: { termNumber: input.termNumber, termStart: input.termStart, termEnd, level: input.level },
          },
        ]);
        return true;
      });
      if (opened) {
        await noticeFor(input, 'opened', {
          kind: input.termNumber === 1 ? 'membership-started' : 'membership-renewed',
          subject: input.termNumber === 1 ? 'Your membership has started' : 'Your membership is renewed',
          body: `Term ${input.termNumber} at ${input.level} runs from ${input.termStart} to ${termEnd}.`,
        });
      }
      const { renewalWindowOpensDaysBefore, onlineBenefitsGraceDays, renewal } = catalog.rules;
      return {
        termEnd,
        timing,
        dayMs: scheduleDayMs(timing),
        schedule: { renewalWindowOpensDaysBefore, onlineBenefitsGraceDays, renewal },
        catalogVersionId: catalog.catalogVersionId,
      };
    },

    /**
     * The term begins: the partner takes the term's level (an active partner only) and the
     * benefits of that level, its competencies and designations are granted afresh for the term
     * (the last term's end), as listed in the event.
     */
    async startMembershipTerm(
      input: MembershipTermRef & { level: LevelCode; asOf: string; nextMilestone: MembershipStep['nextMilestone'] },
    ): Promise<MembershipTermStart> {
      const catalog = await findCatalogInForce(prisma, new Date(input.asOf));
      const at = clock.now();
      const { entitlements, purchaseRenewals } = await prisma.$transaction(async (tx) => {
        const partner = await tx.partner.findUniqueOrThrow({ where: { id: input.partnerId }, select: { level: true, status: true } });
        const changesLevel = partner.status === 'active' && partner.level !== input.level;
        if (changesLevel) {
          await tx.partner.update({ where: { id: input.partnerId }, data: { level: input.level } });
          await refreshDirectoryListing(tx, input.partnerId, at);
        }
        await tx.membership.updateMany({
          where: { partnerId: input.partnerId, termNumber: input.termNumber },
          data: {
            level: input.level,
            nextMilestone: input.nextMilestone?.kind ?? null,
            nextMilestoneAt: input.nextMilestone ? new Date(input.nextMilestone.at) : null,
            updatedAt: at,
          },
        });
        const entitlements = catalog
          ? await syncTermEntitlements(tx, { partnerId: input.partnerId, asOf: new Date(input.asOf), catalog })
          : [];
        await recordAudit(tx, at, [
          {
            dedupeKey: stepKey(input, 'started'),
            actor: 'system',
            entityType: 'membership',
            entityId: input.partnerId,
            action: 'membership.term_started',
            before: { level: partner.level },
            after: { termNumber: input.termNumber, level: input.level, entitlements },
          },
          ...(changesLevel
            ? [
                {
                  dedupeKey: `${stepKey(input, 'started')}:level`,
                  actor: 'system',
                  entityType: 'partner',
                  entityId: input.partnerId,
                  action: 'partner.level_changed',
                  before: { level: partner.level },
                  after: { level: input.level, cause: `Membership term ${input.termNumber} started` },
                },
              ]
            : []),
        ]);
        const purchaseRenewals = await purchaseRenewalsDue(tx, { ...input, asOf: new Date(input.asOf) });
        return { entitlements, purchaseRenewals };
      });
      await noticeFor(input, 'started', {
        kind: 'membership-term-started',
        subject: `Membership term ${input.termNumber} has begun`,
        body: `Your level for this term is ${input.level}; included benefits: ${[...new Set(entitlements.map((key) => key.split('|')[0]))].join(', ') || 'none'}.`,
      });
      return { purchaseRenewals };
    },
  };
}

/** A term's later steps (window, decision, invoice, notices, end) and the renewal decision itself. */
export function createRenewalActivities(deps: ActivityDeps) {
  const { prisma, clock, membershipTermMinutes } = deps;
  const noticeFor = termNotices(deps);
  const { syncTermEntitlements } = createEntitlementGrants(membershipTermMinutes);

  return {
    /** One step of the term: the row, the audit event and the partner's notice, each once. */
    async transitionMembership(step: MembershipStep): Promise<void> {
      const at = clock.now();
      const stepAt = step.at ? new Date(step.at) : at;
      const levelCatalog = step.level ? await catalogInForce(prisma, stepAt) : null;
      await prisma.$transaction(async (tx) => {
        const before = await tx.membership.findUnique({ where: { partnerId: step.partnerId } });
        await tx.membership.updateMany({
          where: { partnerId: step.partnerId, termNumber: step.termNumber },
          data: {
            ...(step.status ? { status: step.status, statusReason: step.statusReason ?? null } : {}),
            ...(step.level ? { level: step.level } : {}),
            ...(step.renewalLevel !== undefined ? { renewalLevel: step.renewalLevel } : {}),
            ...(step.renewalInvoiceId !== undefined ? { renewalInvoiceId: step.renewalInvoiceId } : {}),
            nextMilestone: step.nextMilestone?.kind ?? null,
            nextMilestoneAt: step.nextMilestone ? new Date(step.nextMilestone.at) : null,
            updatedAt: at,
          },
        });
        if (step.partnerStatus) {
          const { count } = await tx.partner.updateMany({
            where: { id: step.partnerId, status: 'active' },
            data: { status: step.partnerStatus },
          });
          if (count > 0) {
            await recordAudit(tx, at, [
              {
                dedupeKey: `${stepKey(step, step.step)}:partner`,
                actor: step.actor,
                entityType: 'partner',
                entityId: step.partnerId,
                action: `partner.${step.partnerStatus}`,
                before: { status: 'active' },
                after: { status: step.partnerStatus, ...(step.statusReason ? { reason: step.statusReason } : {}) },
              },
            ]);
          }
          await refreshDirectoryListing(tx, step.partnerId, stepAt);
          await closeChannelOffersOfDeparted(tx, step.partnerId, stepAt);
        }
        if (step.status && MEMBERSHIP_ENDINGS.includes(step.status)) {
          await endEntitlements(tx, { partnerId: step.partnerId, at: stepAt, reason: step.status });
        } else if (levelCatalog) {
          await syncTermEntitlements(tx, { partnerId: step.partnerId, asOf: stepAt, catalog: levelCatalog });
        }
        await recordAudit(tx, at, [
          {
            dedupeKey: stepKey(step, step.step),
            actor: step.actor,
            entityType: 'membership',
            entityId: step.partnerId,
            action: step.action,
            before: { status: before?.status ?? null },
            after: {
              termNumber: step.termNumber,
              status: step.status ?? before?.status ?? null,
              ...(step.statusReason ? { reason: step.statusReason } : {}),
              ...step.details,
            },
          },
        ]);
      });
      await noticeFor(step, step.step, step.notice);
    },

    /**
     * The decision point: the level the partner meets now, on its trailing points window and on
     * the competencies still valid when the next term starts. No grandfathering: only a
     * documented exception keeps a level the partner does not meet.
     */
    async requalifyForRenewal(input: RenewalRequalification): Promise<RenewalDecision> {
      const asOf = new Date(input.asOf);
      const { catalog, standing } = await standingAsOf(prisma, input.partnerId, input.asOf);
      const [competenciesValidAtStart, primaryLocations] = await Promise.all([
        prisma.partnerCompetency.count({
          where: {
            partnerId: input.partnerId,
            status: 'granted',
            grantedAt: { lte: asOf },
            validUntil: { gt: new Date(input.newTermStart) },
          },
        }),
        prisma.location.count({ where: { partnerId: input.partnerId, isPrimary: true, removedAt: null } }),
      ]);
      // Terms are asked for before the decision (the workflow waits for them), so they count as accepted here.
      const resources = {
        points: standing.points.total,
        grantedCompetencies: competenciesValidAtStart,
        primaryLocations,
        termsAccepted: true,
      };
      const qualifiedLevel = highestEligibleLevel(catalog.levels, resources) ?? catalog.levels[0].code;
      const level = input.exception && levelRank(input.currentLevel) > levelRank(qualifiedLevel) ? input.currentLevel : qualifiedLevel;
      const decision: Omit<RenewalDecision, 'termsRequired'> = {
        qualifiedLevel,
        level,
        points: resources.points,
        competenciesValidAtStart,
        catalogVersionId: catalog.catalogVersionId,
        graceDays: catalog.rules.onlineBenefitsGraceDays,
        unpaidOutcome: catalog.rules.renewal.unpaidOutcome,
      };
      // New program terms come first: nothing is decided until the partner accepts them.
      if (!standing.termsAccepted) return { ...decision, termsRequired: catalog.rules.programTerms };
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        await tx.membership.updateMany({
          where: { partnerId: input.partnerId, termNumber: input.termNumber },
          data: { renewalLevel: level, catalogVersionId: catalog.catalogVersionId, updatedAt: at },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: stepKey(input, 'requalified'),
            actor: input.exception?.actor ?? 'system',
            entityType: 'membership',
            entityId: input.partnerId,
            action: 'membership.requalified',
            before: { level: input.currentLevel },
            after: { ...decision, ...(input.exception ? { exception: { ...input.exception } } : {}) },
          },
        ]);
      });
      await noticeFor(input, 'requalified', {
        kind: 'renewal-requalified',
        subject: level === input.currentLevel ? `You renew at ${level}` : `Your renewal level is ${level}`,
        body: `With ${resources.points} points and ${competenciesValidAtStart} competencies valid at the next term's start (${input.newTermStart}) you meet ${qualifiedLevel}; the next term is at ${level}${level !== qualifiedLevel ? ' by an exception' : ''}.`,
      });
      return decision;
    },
  };
}
