import { DAY_MS } from './time';

/**
 * The Partner Channel Builder: partners publish offers to each other (a reseller wanted, a
 * services partner wanted, co-selling) and answer them in threads. Pure rules, shared by the
 * API's early refusal and the activity's locked re-check.
 */

export const CHANNEL_OFFER_KINDS = ['reseller-wanted', 'services-partner-wanted', 'co-selling'] as const;
export type ChannelOfferKind = (typeof CHANNEL_OFFER_KINDS)[number];

/** The catalog benefit a partner must hold (in force, or in its online grace) to publish or answer offers. */
export const CHANNEL_BUILDER_BENEFIT = 'partner-channel-builder';

/**
 * Open offers one partner keeps at once: a guard against flooding the others' searches, not a
 * program rule, so it is not in the catalog.
 */
export const OPEN_OFFERS_PER_PARTNER = 20;

export type ChannelOfferStatus = 'open' | 'closed';

/** Why an offer cannot be published; null when it can. */
export type PublishRefusal = 'channel_builder_not_held' | 'too_many_open_channel_offers' | 'invalid_valid_until';

/**
 * An offer runs from now to a moment after it, at most one membership term ahead (the catalog's
 * `termMonths`, counted as 31-day months so that a date a year ahead always passes).
 */
export function validUntilRefusal(validUntil: Date, now: Date, termMonths: number): 'invalid_valid_until' | null {
  const latest = now.getTime() + termMonths * 31 * DAY_MS;
  return validUntil.getTime() > now.getTime() && validUntil.getTime() <= latest ? null : 'invalid_valid_until';
}

/** Whether an offer still takes answers at `asOf`. */
export const isOpenOffer = (offer: { status: string; validUntil: Date }, asOf: Date): boolean =>
  offer.status === 'open' && offer.validUntil.getTime() > asOf.getTime();

/**
 * Whose thread a message goes to: a respondent writes in its own; the offering partner names the
 * respondent it answers. Null when the offering partner named nobody.
 */
export function threadOf(offer: { partnerId: string }, author: string, respondentId: string | undefined): string | null {
  if (author !== offer.partnerId) return author;
  return respondentId && respondentId !== offer.partnerId ? respondentId : null;
}

/** The partner a message is for: the other side of its thread. */
export const recipientOf = (offer: { partnerId: string }, message: { authorPartnerId: string; respondentId: string }): string =>
  message.authorPartnerId === offer.partnerId ? message.respondentId : offer.partnerId;
