import type { WithdrawalInput } from '../workflows/withdrawal/definitions';
import { recordAudit } from './audit';
import type { ActivityDeps } from './deps';

export function createMembershipActivities({ prisma, clock }: ActivityDeps) {
  return {
    /** Ends a pending or active membership; answers false when there was none to end. */
    async withdrawPartner(input: WithdrawalInput): Promise<boolean> {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const partner = await tx.partner.findUniqueOrThrow({ where: { id: input.partnerId } });
        if (partner.status === 'withdrawn') return true;
        if (!['pending', 'active'].includes(partner.status)) return false;
        await tx.partner.update({ where: { id: partner.id }, data: { status: 'withdrawn' } });
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
  };
}
