import { entitlementState, isUsable } from '../domain/benefits';
import { CHANNEL_BUILDER_BENEFIT, isOpenOffer, OPEN_OFFERS_PER_PARTNER, validUntilRefusal } from '../domain/channels';
import { recordAudit } from '../lib/audit';
import type { TransactionClient } from '../lib/database';
import { findCatalogInForce } from '../queries/catalog';
import { findChannelOffer, toMessageView } from '../queries/channels';
import type {
  ChannelOfferInput,
  ChannelOfferMessageOutcome,
  ChannelOfferMessageRequest,
  ChannelOfferPublication,
} from '../workflows/channels/definitions';
import type { ActivityDeps } from './deps';

/** Whether the partner is active and holds the Channel Builder benefit now (online access counts in its grace too). */
async function holdsChannelBuilder(tx: TransactionClient, partnerId: string, at: Date): Promise<boolean> {
  const [partner, entitlements] = await Promise.all([
    tx.partner.findUnique({ where: { id: partnerId }, select: { status: true } }),
    tx.entitlement.findMany({
      where: { partnerId, benefitCode: CHANNEL_BUILDER_BENEFIT, endedAt: null },
      select: { validFrom: true, validUntil: true, graceUntil: true, endedAt: true },
    }),
  ]);
  return partner?.status === 'active' && entitlements.some((row) => isUsable(entitlementState(row, at)));
}

/**
 * Closes the partner's open offers once it has left the program (withdrawn, lapsed, absorbed), in
 * the caller's transaction: the activities that move a partner out call it beside the directory's
 * refresh. Conditional on the partner not being active, so a call for an active one does nothing.
 */
export async function closeChannelOffersOfDeparted(tx: TransactionClient, partnerId: string, at: Date): Promise<void> {
  const partner = await tx.partner.findUniqueOrThrow({ where: { id: partnerId }, select: { status: true } });
  if (partner.status === 'active') return;
  await tx.channelOffer.updateMany({
    where: { partnerId, status: 'open' },
    data: { status: 'closed', closedReason: partner.status, closedAt: at },
  });
}

export function createChannelActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Puts the offer on record under the partner's row lock, with its audit event, or says why
     * not. Keyed by the offer id: a retry finds the offer and answers it as it is.
     */
    async publishChannelOffer(input: ChannelOfferInput & { workflowId: string }): Promise<ChannelOfferPublication> {
      const at = clock.now();
      const catalog = await findCatalogInForce(prisma, at);
      return prisma.$transaction(async (tx): Promise<ChannelOfferPublication> => {
        await tx.$queryRaw`SELECT id FROM "Partner" WHERE id = ${input.partnerId}::uuid FOR UPDATE`;
        const existing = await findChannelOffer(tx, input.offerId);
        if (existing) return { outcome: 'published', offer: existing };
        if (!(await holdsChannelBuilder(tx, input.partnerId, at))) return { outcome: 'channel_builder_not_held' };
        const refusal = validUntilRefusal(new Date(input.validUntil), at, catalog!.rules.termMonths);
        if (refusal) return { outcome: refusal };
        const open = await tx.channelOffer.count({ where: { partnerId: input.partnerId, status: 'open', validUntil: { gt: at } } });
        if (open >= OPEN_OFFERS_PER_PARTNER) return { outcome: 'too_many_open_channel_offers' };
        await tx.channelOffer.create({
          data: {
            id: input.offerId,
            partnerId: input.partnerId,
            kind: input.kind,
            description: input.description,
            competencies: input.competencies,
            countries: input.countries,
            validUntil: new Date(input.validUntil),
            status: 'open',
            workflowId: input.workflowId,
            createdAt: at,
          },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `channel-offer:${input.offerId}`,
            actor: input.requestedBy,
            entityType: 'partner',
            entityId: input.partnerId,
            action: 'channel_offer.published',
            after: { offerId: input.offerId, kind: input.kind, validUntil: input.validUntil },
          },
        ]);
        return { outcome: 'published', offer: (await findChannelOffer(tx, input.offerId))! };
      });
    },

    /**
     * One message to a thread, under the offer's row lock: refused when the offer no longer takes
     * answers, when its author may not use the Channel Builder, or when the offering partner
     * writes to a thread nobody opened. Keyed by the message id, so a retry records it once.
     */
    async recordChannelOfferMessage(input: ChannelOfferMessageRequest & { offerId: string }): Promise<ChannelOfferMessageOutcome> {
      const at = clock.now();
      return prisma.$transaction(async (tx): Promise<ChannelOfferMessageOutcome> => {
        const offers = await tx.$queryRaw<Array<{ partnerId: string; status: string; validUntil: Date }>>`
          SELECT "partnerId"::text AS "partnerId", status, "validUntil" FROM "ChannelOffer" WHERE id = ${input.offerId}::uuid FOR UPDATE`;
        const existing = await tx.channelOfferMessage.findUnique({ where: { id: input.messageId } });
        if (existing) return { outcome: 'recorded', message: toMessageView(existing) };
        const offer = offers[0]!;
        if (!isOpenOffer(offer, at)) return { outcome: 'channel_offer_closed' };
        if (!(await holdsChannelBuilder(tx, input.authorPartnerId, at))) return { outcome: 'channel_builder_not_held' };
        if (input.authorPartnerId === offer.partnerId) {
          const opened = await tx.channelOfferMessage.count({
            where: { offerId: input.offerId, respondentId: input.respondentId, authorPartnerId: input.respondentId },
          });
          if (opened === 0) return { outcome: 'no_such_thread' };
        }
        const message = await tx.channelOfferMessage.create({
          data: {
            id: input.messageId,
            offerId: input.offerId,
            respondentId: input.respondentId,
            authorPartnerId: input.authorPartnerId,
            body: input.body,
            createdAt: at,
          },
        });
        return { outcome: 'recorded', message: toMessageView(message) };
      });
    },

    /** The offer's end: closed as expired, unless it closed before. */
    async closeChannelOffer(input: { offerId: string; reason: string }): Promise<void> {
      await prisma.channelOffer.updateMany({
        where: { id: input.offerId, status: 'open' },
        data: { status: 'closed', closedReason: input.reason, closedAt: clock.now() },
      });
    },
  };
}
