import { ApplicationFailure } from '@temporalio/activity';
import type { LevelCode } from '../domain/catalog';
import type { MissingItem } from '../domain/eligibility';
import { isOpenPartner } from '../domain/partners';
import type { PrismaClient } from '../lib/database';
import { type CatalogInForce, findCatalogInForce } from '../queries/catalog';
import { computeStanding, missingForLevel, type PartnerStanding } from '../queries/standing';
import { OPEN_ENROLLMENT_STATUSES } from '../workflows/enrollments/definitions';
import type { TermsAccepted, TermsAcceptanceInput, WithdrawalInput } from '../workflows/partners/definitions';
import { recordAudit } from '../lib/audit';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';
import { closeChannelOffersOfDeparted } from './channels';
import { createNotificationActivities } from './notifications';

/**
 * Where a partner stands as of the workflow's time, under the catalog then in force. A missing
 * partner (or catalog) fails the activity for good: retrying cannot make it appear.
 */
export async function standingAsOf(
  prisma: PrismaClient,
  partnerId: string,
  asOf: string,
): Promise<{ catalog: CatalogInForce; standing: PartnerStanding }> {
  const at = new Date(asOf);
  const catalog = await findCatalogInForce(prisma, at);
  const standing = catalog && (await computeStanding(prisma, partnerId, catalog, at));
  if (!catalog || !standing) throw ApplicationFailure.nonRetryable(`Partner ${partnerId} not found`, 'PartnerNotFound');
  return { catalog, standing };
}

export interface LevelReevaluation {
  partnerId: string;
  /** Derived from the event that asked for it, so a retry records and notifies once. */
  dedupeKey: string;
  actor: string;
  cause: string;
  asOf: string;
  /**
   * Only an administrator's revocation takes a level away mid-term; everything else that lowers
   * what a partner meets waits for the renewal decision, so the level holds for the term it paid.
   */
  mayLower?: boolean;
}

export interface LevelReevaluated {
  level: string;
  highestEligibleLevel: LevelCode | null;
  outcome: 'unchanged' | 'downgraded' | 'upgrade-available';
}

/**
 * The partner's standing in the program: its level as its resources change mid-term, and its
 * withdrawal. A level holds for the term; only a revocation lowers it at once (to the highest
 * level the partner still meets). A higher level it now meets is only offered: moving up takes an
 * upgrade request, its review and its fee.
 */
export function createPartnerActivities(deps: ActivityDeps) {
  const { prisma, clock } = deps;
  const { notifyPartner } = createNotificationActivities(deps);
  return {
    /** Records the program terms version the partner accepted, once per version. */
    async recordTermsAcceptance(input: TermsAcceptanceInput): Promise<TermsAccepted> {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const partner = await tx.partner.findUniqueOrThrow({ where: { id: input.partnerId } });
        if (partner.termsVersion === input.version && partner.termsAcceptedAt) {
          return { termsVersion: input.version, acceptedAt: partner.termsAcceptedAt.toISOString() };
        }
        await tx.partner.update({ where: { id: partner.id }, data: { termsVersion: input.version, termsAcceptedAt: at } });
        await recordAudit(tx, at, [
          {
            dedupeKey: `terms:${partner.id}:${input.version}`,
            actor: input.acceptedBy,
            entityType: 'partner',
            entityId: partner.id,
            action: 'partner.terms_accepted',
            before: { termsVersion: partner.termsVersion },
            after: { termsVersion: input.version },
          },
        ]);
        return { termsVersion: input.version, acceptedAt: at.toISOString() };
      });
    },

    /** Ends a pending or active membership; answers false when there was none to end. */
    async withdrawPartner(input: WithdrawalInput): Promise<boolean> {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const partner = await tx.partner.findUniqueOrThrow({ where: { id: input.partnerId } });
        if (partner.status === 'withdrawn') return true;
        if (!isOpenPartner(partner.status)) return false;
        // Conditional on the status read: an enrollment decided meanwhile moves the partner first, then this retries.
        const { count } = await tx.partner.updateMany({ where: { id: partner.id, status: partner.status }, data: { status: 'withdrawn' } });
        if (count === 0) throw new Error(`partner ${partner.id} changed status while withdrawing; retrying`);
        await refreshDirectoryListing(tx, partner.id, at);
        await closeChannelOffersOfDeparted(tx, partner.id, at);
        await recordAudit(tx, at, [
          {
            dedupeKey: `withdrawal:${partner.id}`,
            actor: input.requestedBy,
            entityType: 'partner',
            entityId: partner.id,
            action: 'partner.withdrawn',
            before: { status: partner.status, level: partner.level },
            after: { status: 'withdrawn', reason: input.reason },
          },
        ]);
        return true;
      });
    },

    /** The workflow of the partner's enrollment while it still runs: a withdrawal closes it. */
    async openEnrollmentOf(partnerId: string): Promise<string | null> {
      const open = await prisma.enrollment.findFirst({
        where: { partnerId, status: { in: [...OPEN_ENROLLMENT_STATUSES] } },
        select: { workflowId: true },
      });
      return open?.workflowId ?? null;
    },

    /** What the partner still lacks for a level, as of the workflow's time. */
    async missingForLevelNow(input: { partnerId: string; level: LevelCode; asOf: string }): Promise<MissingItem[]> {
      const { standing } = await standingAsOf(prisma, input.partnerId, input.asOf);
      return missingForLevel(standing, input.level);
    },

    async reevaluatePartnerLevel(input: LevelReevaluation): Promise<LevelReevaluated> {
      const { catalog, standing } = await standingAsOf(prisma, input.partnerId, input.asOf);
      const rank = (code: string | null) => catalog.levels.find((level) => level.code === code)?.rank ?? 0;
      const eligible = standing.highestEligibleLevel;
      const outcome: LevelReevaluated['outcome'] =
        standing.status !== 'active' || rank(eligible) === rank(standing.level)
          ? 'unchanged'
          : rank(eligible) < rank(standing.level)
            ? input.mayLower
              ? 'downgraded'
              : 'unchanged'
            : 'upgrade-available';
      const newLevel = outcome === 'downgraded' ? (eligible ?? catalog.levels[0].code) : standing.level;

      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        if (outcome === 'downgraded') {
          await tx.partner.updateMany({ where: { id: input.partnerId, level: standing.level }, data: { level: newLevel } });
          await refreshDirectoryListing(tx, input.partnerId, at);
        }
        await recordAudit(tx, at, [
          {
            dedupeKey: `${input.dedupeKey}:level`,
            actor: input.actor,
            entityType: 'partner',
            entityId: input.partnerId,
            action: outcome === 'downgraded' ? 'partner.level_changed' : 'partner.level_reevaluated',
            before: { level: standing.level },
            after: { level: newLevel, highestEligibleLevel: eligible, points: standing.points.total, cause: input.cause },
          },
        ]);
      });
      if (outcome !== 'unchanged') {
        await notifyPartner({
          dedupeKey: `${input.dedupeKey}:level-notice`,
          kind: outcome === 'downgraded' ? 'level-downgraded' : 'upgrade-available',
          partnerId: input.partnerId,
          subject: outcome === 'downgraded' ? `Your level is now ${newLevel}` : `You now qualify for ${eligible}`,
          body:
            outcome === 'downgraded'
              ? `${input.cause}. Your partner level changed from ${standing.level} to ${newLevel}.`
              : `${input.cause}. You meet the ${eligible} requirements; request an upgrade to move up.`,
        });
      }
      return { level: newLevel, highestEligibleLevel: eligible, outcome };
    },
  };
}
