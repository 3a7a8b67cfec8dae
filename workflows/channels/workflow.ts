import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { recipientOf } from '../../domain/channels';
import type { ChannelOfferMessageView } from '../../queries/channels';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { answerWhenRecorded } from '../update-answers';
import {
  type ChannelOfferInput,
  channelOfferMessageUpdate,
  type ChannelOfferOutcome,
  type ChannelOfferPublication,
  channelOfferPublishedUpdate,
} from './definitions';

const { publishChannelOffer, recordChannelOfferMessage, closeChannelOffer, notifyPartner } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** What the other side of a thread is told: that there is a message and where to read it, not the message itself. */
function messageNotice(input: ChannelOfferInput, message: ChannelOfferMessageView): { subject: string; body: string } {
  const fromOfferer = message.authorPartnerId === input.partnerId;
  return {
    subject: fromOfferer ? 'A reply about a channel offer you answered' : 'A partner answered your channel offer',
    body:
      `${fromOfferer ? 'The offering partner replied in your thread about' : 'A partner wrote about'} the ${input.kind.replace(/-/g, ' ')} ` +
      `offer ${input.offerId} (valid until ${input.validUntil.slice(0, 10)}). ` +
      `Read the thread: GET /v1/channel-offers/${input.offerId}/responses`,
  };
}

/**
 * One channel offer: published (or refused) on the API's update-with-start, then open to answers,
 * each recorded by an update and told to the other side of its thread, until the offer's end,
 * when it closes. An offer closed earlier (its partner left the program) refuses every answer and
 * ends the workflow at the first one. Busy offers continue as new before their history grows long.
 */
export async function channelOfferWorkflow(input: ChannelOfferInput): Promise<ChannelOfferOutcome> {
  const { offerId } = input;
  let publication: ChannelOfferPublication | undefined;
  answerWhenRecorded(channelOfferPublishedUpdate, () => publication);

  const toTell: ChannelOfferMessageView[] = [];
  let closedMeanwhile = false;
  setHandler(channelOfferMessageUpdate, async (request) => {
    await condition(() => publication !== undefined);
    if (publication!.outcome !== 'published') return { outcome: 'channel_offer_closed' };
    const recorded = await recordChannelOfferMessage({ offerId, ...request });
    if (recorded.outcome === 'recorded') toTell.push(recorded.message);
    if (recorded.outcome === 'channel_offer_closed') closedMeanwhile = true;
    return recorded;
  });

  const tellRecipients = async () => {
    while (toTell.length > 0) {
      const message = toTell.shift()!;
      await notifyPartner({
        dedupeKey: `channel-offer-message:${message.id}`,
        kind: 'channel-offer-message',
        partnerId: recipientOf(input, message),
        ...messageNotice(input, message),
      });
    }
  };

  publication = await publishChannelOffer({ ...input, workflowId: workflowInfo().workflowId });
  if (publication.outcome !== 'published') {
    await condition(allHandlersFinished);
    return { offerId, status: 'refused', refusal: publication.outcome };
  }
  closedMeanwhile = publication.offer.status !== 'open';

  const endsAt = Date.parse(input.validUntil);
  while (!closedMeanwhile && Date.now() < endsAt) {
    await condition(() => toTell.length > 0 || closedMeanwhile || workflowInfo().continueAsNewSuggested, endsAt - Date.now());
    await tellRecipients();
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof channelOfferWorkflow>(input);
    }
  }
  await closeChannelOffer({ offerId, reason: 'expired' });
  await condition(allHandlersFinished);
  await tellRecipients();
  return { offerId, status: 'closed' };
}
