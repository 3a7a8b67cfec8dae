import { defineUpdate } from '@temporalio/workflow';
import type { ChannelOfferKind, PublishRefusal } from '../../domain/channels';
import type { ChannelOfferMessageView, ChannelOfferView } from '../../queries/channels';

/**
 * One offer of the Partner Channel Builder, from its publication to its end: its id from the
 * partner and the request id reserved under the caller's Idempotency-Key, so a repeated request
 * finds it. The API publishes it with update-with-start and sends each answer as an update.
 */
export const channelOfferWorkflowId = (partnerId: string, offerId: string): string => `channel-offer-${partnerId}-${offerId}`;

export interface ChannelOfferInput {
  /** The request id: also the offer's id. */
  offerId: string;
  partnerId: string;
  kind: ChannelOfferKind;
  description: string;
  competencies: string[];
  countries: string[];
  validUntil: string;
  requestedBy: string;
}

export type ChannelOfferPublication = { outcome: 'published'; offer: ChannelOfferView } | { outcome: PublishRefusal };

/** One message to a thread of the offer, by the respondent or by the offering partner. */
export interface ChannelOfferMessageRequest {
  /** The request id: also the message's id. */
  messageId: string;
  authorPartnerId: string;
  /** Whose thread: the author when a respondent writes, the respondent named when the offering partner does. */
  respondentId: string;
  body: string;
}

export type ChannelOfferMessageRefusal = 'channel_offer_closed' | 'no_such_thread' | 'channel_builder_not_held';
export type ChannelOfferMessageOutcome =
  { outcome: 'recorded'; message: ChannelOfferMessageView } | { outcome: ChannelOfferMessageRefusal };

/** Answers the publication once it is on record; every repeat of the request gets the same answer. */
export const channelOfferPublishedUpdate = defineUpdate<ChannelOfferPublication>('channelOfferPublished');
/** Records one message and answers it; the other side of the thread is told after. */
export const channelOfferMessageUpdate = defineUpdate<ChannelOfferMessageOutcome, [ChannelOfferMessageRequest]>('channelOfferMessage');

export type ChannelOfferOutcome = { offerId: string; status: 'closed' } | { offerId: string; status: 'refused'; refusal: PublishRefusal };
