import type { LevelCode } from '../domain/catalog';
import type { MissingItem } from '../domain/eligibility';
import { missingForLevel } from '../lib/standing';
import { recordAudit } from './audit';
import type { ActivityDeps } from './deps';
import { createNotificationActivities } from './notifications';
import { standingAsOf } from './standing';

export interface LevelReevaluation {
  partnerId: string;
  /** Derived from the event that asked for it, so a retry records and notifies once. */
  dedupeKey: string;
  actor: string;
  cause: string;
  asOf: string;
}

export interface LevelReevaluated {
  level: string;
  highestEligibleLevel: LevelCode | null;
  outcome: 'unchanged' | 'downgraded' | 'upgrade-available';
}

/**
 * What changes when a partner's resources change mid-term. A level the partner no longer meets
 * is lost at once (an active partner drops to the highest level it still meets). A higher level
 * it now meets is only offered: moving up takes an upgrade request, its review and its fee.
 */
export function createLevelActivities(deps: ActivityDeps) {
  const { prisma, clock } = deps;
  const { notifyPartner } = createNotificationActivities(deps);
  return {
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
            ? 'downgraded'
            : 'upgrade-available';
      const newLevel = outcome === 'downgraded' ? (eligible ?? catalog.levels[0].code) : standing.level;

      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        if (outcome === 'downgraded') {
          await tx.partner.updateMany({ where: { id: input.partnerId, level: standing.level }, data: { level: newLevel } });
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
