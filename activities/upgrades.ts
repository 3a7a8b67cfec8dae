import { type LevelCode, levelRank } from '../domain/catalog';
import type { MissingItem } from '../domain/eligibility';
import type { Prisma } from '../lib/database';
import { missingForLevel } from '../queries/standing';
import { liveUpgradeRequest } from '../queries/upgrades';
import type { UpgradeInput, UpgradeStatus } from '../workflows/upgrades/definitions';
import { type AuditEntry, recordAudit } from '../lib/audit';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';
import { standingAsOf } from './partners';

export interface EligibilityCheck {
  fromLevel: string;
  points: number;
  missing: MissingItem[];
  /** Another upgrade of the partner still in flight: this one is refused. */
  inProgress?: string;
}

export interface UpgradeTransition {
  requestId: string;
  workflowId: string;
  status: UpgradeStatus;
  actor: string;
  reason?: string;
  reviewTaskId?: string;
  /** Set on approval: the partner moves to this level. */
  newLevel?: LevelCode;
}

export function createUpgradeActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Records the request with the eligibility found now: refused when something is missing, or
     * when another upgrade of the partner is still in flight (one at a time, decided under a
     * per-partner lock, so two requests at once cannot both go on).
     */
    async checkUpgradeEligibility(input: UpgradeInput & { workflowId: string; asOf: string }): Promise<EligibilityCheck> {
      const at = clock.now();
      // Evaluated as of the workflow's time: the moment the request is decided on.
      const { standing } = await standingAsOf(prisma, input.partnerId, input.asOf);
      const missing = missingForLevel(standing, input.level);
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`upgrade:${input.partnerId}`}))`;
        const inFlight = await liveUpgradeRequest(tx, input.partnerId, input.requestId);
        const refusal = inFlight ? `Upgrade ${inFlight} is in progress` : missing.length > 0 ? `Not eligible for ${input.level}` : null;
        const { count } = await tx.upgradeRequest.createMany({
          data: [
            {
              id: input.requestId,
              partnerId: input.partnerId,
              workflowId: input.workflowId,
              fromLevel: standing.level,
              toLevel: input.level,
              status: refusal ? 'refused' : 'checking',
              statusReason: refusal,
              missing: missing as unknown as Prisma.InputJsonValue,
              catalogVersionId: standing.catalogVersionId,
              requestedBy: input.requestedBy,
              createdAt: at,
              updatedAt: at,
            },
          ],
          skipDuplicates: true,
        });
        if (count > 0) {
          await recordAudit(tx, at, [
            {
              dedupeKey: `${input.workflowId}:upgrade.requested`,
              actor: input.requestedBy,
              entityType: 'upgrade',
              entityId: input.requestId,
              action: refusal ? 'upgrade.refused' : 'upgrade.requested',
              after: {
                from: standing.level,
                to: input.level,
                points: standing.points.total,
                missing,
                reason: refusal,
              } as unknown as Prisma.InputJsonValue,
            },
          ]);
        }
        return { fromLevel: standing.level, points: standing.points.total, missing, ...(inFlight ? { inProgress: inFlight } : {}) };
      });
    },

    async transitionUpgrade(transition: UpgradeTransition): Promise<void> {
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        const request = await tx.upgradeRequest.findUniqueOrThrow({ where: { id: transition.requestId } });
        await tx.upgradeRequest.update({
          where: { id: transition.requestId },
          data: {
            status: transition.status,
            statusReason: transition.reason ?? null,
            updatedAt: at,
            ...(transition.reviewTaskId ? { reviewTaskId: transition.reviewTaskId } : {}),
          },
        });
        const audit: AuditEntry[] = [
          {
            dedupeKey: `${transition.workflowId}:upgrade.${transition.status}`,
            actor: transition.actor,
            entityType: 'upgrade',
            entityId: transition.requestId,
            action: `upgrade.${transition.status}`,
            before: { status: request.status },
            after: { status: transition.status, ...(transition.reason ? { reason: transition.reason } : {}) },
          },
        ];
        const partner = transition.newLevel ? await tx.partner.findUniqueOrThrow({ where: { id: request.partnerId } }) : null;
        // Only an active partner moves up: one that withdrew, lapsed or was absorbed meanwhile keeps its record as it is.
        if (transition.newLevel && partner?.status === 'active') {
          const reachesTarget =
            partner.targetLevel !== null && levelRank(transition.newLevel) >= levelRank(partner.targetLevel as LevelCode);
          await tx.partner.update({
            where: { id: request.partnerId },
            data: { level: transition.newLevel, ...(reachesTarget ? { targetLevel: null } : {}) },
          });
          await refreshDirectoryListing(tx, request.partnerId, at);
          audit.push({
            dedupeKey: `${transition.workflowId}:partner.level_changed`,
            actor: transition.actor,
            entityType: 'partner',
            entityId: request.partnerId,
            action: 'partner.level_changed',
            before: { level: partner.level },
            after: { level: transition.newLevel },
          });
        }
        await recordAudit(tx, at, audit);
      });
    },
  };
}
