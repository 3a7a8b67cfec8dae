import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ChannelOfferMessageView, ChannelOfferView } from '#queries/channels';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { type Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import {
  ChannelOfferDto,
  ChannelOfferMessageDto,
  ChannelOfferMessagePageDto,
  ChannelOfferMessageRequestDto,
  ChannelOfferPageDto,
  PublishChannelOfferDto,
  SearchChannelOffersQuery,
} from './channels.dto';
import { ChannelsService } from './channels.service';

const CHANNEL_BUILDER_NOT_HELD = 'channel_builder_not_held: the partner is not active or holds no Partner Channel Builder benefit';

/** The Partner Channel Builder: offers partners publish to each other, and the threads that answer them. */
@ApiTags('channels')
@ApiKeyRoutes()
@Controller('v1')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post('partners/:id/channel-offers')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.CREATED)
  @Idempotent()
  @ApiOperation({ summary: 'Publish an offer to other partners: reseller wanted, services partner wanted or co-selling' })
  @ApiCreatedResponse({ type: ChannelOfferDto })
  @ApiErrorResponse(409, 'partner_not_active; too_many_open_channel_offers')
  @ApiErrorResponse(422, `unknown_competency; invalid_valid_until; ${CHANNEL_BUILDER_NOT_HELD}`)
  publish(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: PublishChannelOfferDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<ChannelOfferView> {
    return this.channels.publish(principal, id, body, idempotency);
  }

  @Get('partners/:id/channel-offers')
  @ApiOperation({ summary: "The partner's own offers, open and closed, newest first, with a cursor" })
  @ApiOkResponse({ type: ChannelOfferPageDto })
  @ApiPageErrors()
  listOwn(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<Page<ChannelOfferView>> {
    return this.channels.listOwn(principal, id, query);
  }

  @Get('channel-offers')
  @Roles('partner')
  @ApiOperation({
    summary:
      'Search the offers that take answers (partner keys): words of the description, kinds, competencies and countries sought; filters of different kinds all apply, values of one kind are alternatives; newest first',
  })
  @ApiOkResponse({ type: ChannelOfferPageDto })
  @ApiPageErrors()
  search(@Query() query: SearchChannelOffersQuery): Promise<Page<ChannelOfferView>> {
    return this.channels.search(query);
  }

  @Get('channel-offers/:id')
  @ApiOperation({ summary: 'An offer: one that takes answers, or the partner’s own in any state (staff: any)' })
  @ApiOkResponse({ type: ChannelOfferDto })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<ChannelOfferView> {
    return this.channels.get(principal, id);
  }

  @Post('channel-offers/:id/responses')
  @Roles('partner')
  @HttpCode(HttpStatus.CREATED)
  @Idempotent()
  @ApiOperation({
    summary:
      'Answer an offer (a message in the caller’s thread with the offering partner), or, as the offering partner, reply in a respondent’s thread; the other side is notified',
  })
  @ApiCreatedResponse({ type: ChannelOfferMessageDto })
  @ApiErrorResponse(409, 'channel_offer_closed: the offer no longer takes answers')
  @ApiErrorResponse(422, `respondent_required; no_such_thread; ${CHANNEL_BUILDER_NOT_HELD}`)
  answer(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: ChannelOfferMessageRequestDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<ChannelOfferMessageView> {
    return this.channels.answer(principal, id, body, idempotency);
  }

  @Get('channel-offers/:id/responses')
  @ApiOperation({
    summary: "The offer's threads, oldest message first: the offering partner and staff see every thread, a respondent its own",
  })
  @ApiOkResponse({ type: ChannelOfferMessagePageDto })
  @ApiPageErrors()
  messages(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Query() query: PageQuery,
  ): Promise<Page<ChannelOfferMessageView>> {
    return this.channels.messages(principal, id, query);
  }
}
