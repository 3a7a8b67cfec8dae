import { changedProfile, type PartnerProfile } from '../domain/profiles';
import { recordAudit } from '../lib/audit';
import type { Prisma } from '../lib/database';
import { findProfile, type ProfileView } from '../queries/profiles';
import type { ProfileChangeInput } from '../workflows/profiles/definitions';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';

export function createProfileActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Applies one partial change to the partner's profile under its row lock, with an audit event
     * naming the fields it changed, before and after. A change that changes nothing writes
     * nothing; a retry finds its audit event and answers the profile as it is.
     */
    async changePartnerProfile(input: ProfileChangeInput): Promise<ProfileView> {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Partner" WHERE id = ${input.partnerId}::uuid FOR UPDATE`;
        const current = (await findProfile(tx, input.partnerId))!;
        const dedupeKey = `profile-change:${input.requestId}`;
        if (await tx.auditEvent.findUnique({ where: { dedupeKey } })) return current;
        const { partnerId, ...before } = current;
        const { after, changed } = changedProfile(before, input.change);
        if (changed.length === 0) return current;
        const { contact, ...fields } = after;
        await tx.partner.update({
          where: { id: partnerId },
          data: { ...fields, contactName: contact.name, contactEmail: contact.email },
        });
        await refreshDirectoryListing(tx, partnerId, at);
        const pick = (profile: PartnerProfile) =>
          Object.fromEntries(changed.map((field) => [field, profile[field]])) as Prisma.InputJsonObject;
        await recordAudit(tx, at, [
          {
            dedupeKey,
            actor: input.actor,
            entityType: 'partner',
            entityId: input.partnerId,
            action: 'partner.profile_changed',
            before: pick(before),
            after: pick(after),
          },
        ]);
        return { partnerId, ...after };
      });
    },
  };
}
