import { HttpStatus, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { isOpenOffer, type PublishRefusal, threadOf } from '#domain/channels';
import {
  type ChannelOfferMessageView,
  type ChannelOfferView,
  findChannelOffer,
  listChannelOfferMessages,
  listPartnerChannelOffers,
  searchChannelOffers,
} from '#queries/channels';
import {
  type ChannelOfferMessageOutcome,
  type ChannelOfferMessageRefusal,
  channelOfferMessageUpdate,
  type ChannelOfferPublication,
  channelOfferPublishedUpdate,
  channelOfferWorkflowId,
} from '#workflows/channels/definitions';
import type { channelOfferWorkflow } from '#workflows/channels/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict, type FieldProblem, notFound } from '../common/api-error';
import type { IdempotentRequest } from '../common/idempotent';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { ChannelOfferMessageRequestDto, PublishChannelOfferDto, SearchChannelOffersQuery } from './channels.dto';

const unprocessable = (code: string, message: string, fields?: FieldProblem[]) =>
  new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, fields);

const PUBLISH_REFUSALS: Record<PublishRefusal, () => ApiError> = {
  channel_builder_not_held: () =>
    unprocessable('channel_builder_not_held', 'Only an active partner holding the Partner Channel Builder benefit publishes offers'),
  too_many_open_channel_offers: () => conflict('too_many_open_channel_offers', 'The partner has as many open offers as it may keep'),
  invalid_valid_until: () =>
    unprocessable('invalid_valid_until', 'validUntil must be after now and at most one membership term ahead', [
      { field: 'validUntil', reason: 'must be after now and at most one membership term ahead', code: 'invalid_valid_until' },
    ]),
};

const MESSAGE_REFUSALS: Record<ChannelOfferMessageRefusal, () => ApiError> = {
  channel_offer_closed: () => conflict('channel_offer_closed', 'The offer no longer takes answers'),
  channel_builder_not_held: () =>
    unprocessable('channel_builder_not_held', 'Only an active partner holding the Partner Channel Builder benefit answers offers'),
  no_such_thread: () =>
    unprocessable('no_such_thread', 'That partner has not answered this offer', [
      { field: 'respondentId', reason: 'must be a partner that answered this offer', code: 'no_such_thread' },
    ]),
};

/** The caller's partner on a route only partner keys reach (`@Roles('partner')`). */
function partnerOf(principal: Principal): string {
  if (!principal.partnerId) throw new Error('a partner-only route was reached without a partner key');
  return principal.partnerId;
}

/**
 * The Partner Channel Builder. Reads come from Postgres; an offer is published, answered and
 * closed by its own workflow.
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  async publish(
    principal: Principal,
    partnerId: string,
    body: PublishChannelOfferDto,
    idempotency: IdempotentRequest,
  ): Promise<ChannelOfferView> {
    await this.access.requireActivePartner(principal, partnerId, 'publish channel offers');
    const catalog = await this.catalog.inForce();
    const known = new Set(catalog.competencies.map((competency) => competency.code));
    const unknown = body.competencies.filter((code) => !known.has(code));
    if (unknown.length) {
      throw unprocessable(
        'unknown_competency',
        `${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a competency of catalog ${catalog.catalogVersionId}`,
        [{ field: 'competencies', reason: `each value must be one of ${[...known].join(', ')}`, code: 'unknown_competency' }],
      );
    }
    const offerId = await idempotency.requestId();
    const workflowId = channelOfferWorkflowId(partnerId, offerId);
    const publication: ChannelOfferPublication =
      (await this.temporal.updateWithStart<typeof channelOfferWorkflow, ChannelOfferPublication>(
        'channelOfferWorkflow',
        workflowId,
        [{ offerId, partnerId, ...body, validUntil: new Date(body.validUntil).toISOString(), requestedBy: principal.keyId }],
        channelOfferPublishedUpdate,
      )) ?? (await this.endedPublication(workflowId, offerId));
    if (publication.outcome !== 'published') throw PUBLISH_REFUSALS[publication.outcome]();
    return (await findChannelOffer(this.prisma, offerId)) ?? publication.offer;
  }

  /** How an ended offer workflow published: its offer on record, or the refusal it ended with. */
  private async endedPublication(workflowId: string, offerId: string): Promise<ChannelOfferPublication> {
    const offer = await findChannelOffer(this.prisma, offerId);
    if (offer) return { outcome: 'published', offer };
    const ended = await this.temporal.result<typeof channelOfferWorkflow>(workflowId);
    return { outcome: ended.status === 'refused' ? ended.refusal : 'channel_builder_not_held' };
  }

  async listOwn(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<ChannelOfferView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listPartnerChannelOffers(this.prisma, partnerId, pageRequest(query)));
  }

  async search(query: SearchChannelOffersQuery): Promise<Page<ChannelOfferView>> {
    const { q, kind, competency, country } = query;
    const page = await searchChannelOffers(
      this.prisma,
      { q, kinds: kind, competencies: competency, countries: country },
      pageRequest(query),
      new Date(),
    );
    return pageResponse(page);
  }

  /**
   * An offer as the caller may see it: staff any, its partner its own in every state, other
   * partners one that still takes answers. Anything else is the same 404.
   */
  async get(principal: Principal, offerId: string): Promise<ChannelOfferView> {
    const offer = await findChannelOffer(this.prisma, offerId);
    const visible =
      offer &&
      (!principal.partnerId ||
        offer.partnerId === principal.partnerId ||
        isOpenOffer({ status: offer.status, validUntil: new Date(offer.validUntil) }, new Date()));
    if (!visible) throw notFound('Channel offer');
    return offer;
  }

  /** The threads: staff and the offering partner see every one, a respondent its own. */
  async messages(principal: Principal, offerId: string, query: PageQuery): Promise<Page<ChannelOfferMessageView>> {
    const offer = await this.get(principal, offerId);
    const respondentId = principal.partnerId && principal.partnerId !== offer.partnerId ? principal.partnerId : null;
    return pageResponse(await listChannelOfferMessages(this.prisma, offerId, respondentId, pageRequest(query)));
  }

  /** A message to a thread of the offer, through the offer's workflow; the other side is told. */
  async answer(
    principal: Principal,
    offerId: string,
    body: ChannelOfferMessageRequestDto,
    idempotency: IdempotentRequest,
  ): Promise<ChannelOfferMessageView> {
    const author = partnerOf(principal);
    const offer = await this.get(principal, offerId);
    const respondentId = threadOf(offer, author, body.respondentId);
    if (!respondentId) {
      throw unprocessable('respondent_required', 'The offering partner names the respondent whose thread it answers', [
        { field: 'respondentId', reason: 'is required when the offering partner writes', code: 'respondent_required' },
      ]);
    }
    if (offer.status !== 'open') throw MESSAGE_REFUSALS.channel_offer_closed();
    const messageId = await idempotency.requestId();
    let outcome: ChannelOfferMessageOutcome;
    try {
      outcome = await this.temporal.update(channelOfferWorkflowId(offer.partnerId, offerId), channelOfferMessageUpdate, [
        { messageId, authorPartnerId: author, respondentId, body: body.message },
      ]);
    } catch (error) {
      // The offer's workflow ended with it: the offer closed (at its end, or its partner left).
      if (error instanceof WorkflowNotFoundError) throw MESSAGE_REFUSALS.channel_offer_closed();
      throw error;
    }
    if (outcome.outcome !== 'recorded') throw MESSAGE_REFUSALS[outcome.outcome]();
    return outcome.message;
  }
}
