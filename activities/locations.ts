import { ApplicationFailure } from '@temporalio/activity';
import { type LocationChange, officeChangeRefusal } from '../domain/locations';
import type { Prisma } from '../lib/database';
import { activeOffices, type LocationView } from '../queries/locations';
import { LOCATION_CHANGE_REFUSED, type LocationChangeInput } from '../workflows/locations/definitions';
import { recordAudit } from '../lib/audit';
import { catalogInForce } from './catalog';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';

const AUDIT_ACTIONS: Record<LocationChange['kind'], string> = {
  add: 'location.added',
  update: 'location.updated',
  remove: 'location.removed',
  'make-primary': 'location.made_primary',
};

export function createLocationActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Applies one change to the partner's offices under a per-partner row lock, so the rules
     * hold against concurrent changes: every office is in the primary office's country, there
     * is always exactly one primary, and a removed office is kept, marked removed.
     */
    async applyLocationChange(input: LocationChangeInput): Promise<LocationView[]> {
      const at = clock.now();
      const { change } = input;
      return prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Partner" WHERE id = ${input.partnerId}::uuid FOR UPDATE`;
        const dedupeKey = `location-change:${input.changeId}`;
        if (await tx.auditEvent.findUnique({ where: { dedupeKey } })) return activeOffices(tx, input.partnerId);
        const offices = await activeOffices(tx, input.partnerId);
        const officesPerPartner = change.kind === 'add' ? (await catalogInForce(tx, at)).rules.limits?.officesPerPartner : undefined;
        const refusal = officeChangeRefusal(offices, change, officesPerPartner);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, LOCATION_CHANGE_REFUSED);
        const primary = offices.find((office) => office.isPrimary);
        const target = offices.find((office) => office.id === change.locationId);
        let before: Prisma.InputJsonValue | undefined = target ? { ...target } : undefined;
        switch (change.kind) {
          case 'add':
            await tx.location.create({
              data: { id: change.locationId, partnerId: input.partnerId, isPrimary: false, ...change.address, createdAt: at },
            });
            break;
          case 'update':
            await tx.location.update({ where: { id: change.locationId }, data: change.address });
            break;
          case 'remove':
            await tx.location.update({ where: { id: change.locationId }, data: { removedAt: at } });
            break;
          case 'make-primary':
            before = { primary: primary?.id ?? null };
            await tx.location.updateMany({ where: { partnerId: input.partnerId, isPrimary: true }, data: { isPrimary: false } });
            await tx.location.update({ where: { id: change.locationId }, data: { isPrimary: true } });
            break;
        }
        await refreshDirectoryListing(tx, input.partnerId, at);
        await recordAudit(tx, at, [
          {
            dedupeKey,
            actor: input.actor,
            entityType: 'location',
            entityId: change.locationId,
            action: AUDIT_ACTIONS[change.kind],
            ...(before ? { before } : {}),
            after: { partnerId: input.partnerId, ...('address' in change ? change.address : {}) },
          },
        ]);
        return activeOffices(tx, input.partnerId);
      });
    },
  };
}
