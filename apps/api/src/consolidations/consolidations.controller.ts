import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { PageQuery } from '../common/pagination';
import { uuidParam } from '../common/params';
import { ConsolidationDto, ConsolidationPageDto, RequestConsolidationDto } from './consolidations.dto';
import { ConsolidationsService } from './consolidations.service';

@ApiTags('consolidations')
@ApiBearerAuth()
@Controller('v1')
export class ConsolidationsController {
  constructor(private readonly consolidations: ConsolidationsService) {}

  @Post('partners/:id/consolidations')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ask to absorb a separately enrolled partner in the same country; its own key must consent, then a reviewer decides',
  })
  @ApiAcceptedResponse({ type: ConsolidationDto })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'partner_not_active (the survivor), too_many_open_consolidations' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorBody,
    description:
      'same_partner; consolidation_refused: the partner named is unknown, not eligible or already asked for (one answer for all)',
  })
  @Idempotent()
  request(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: RequestConsolidationDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<ConsolidationDto> {
    return this.consolidations.request(principal, id, body.absorbedPartnerId, idempotency);
  }

  @Get('partners/:id/consolidations')
  @ApiOperation({ summary: 'Consolidations the partner is part of, newest first, keyset-paginated' })
  @ApiOkResponse({ type: ConsolidationPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQuery,
  ): Promise<ConsolidationPageDto> {
    return this.consolidations.list(principal, id, query);
  }

  @Get('consolidations/:id')
  @ApiOperation({ summary: 'One consolidation and what it moved' })
  @ApiOkResponse({ type: ConsolidationDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<ConsolidationDto> {
    return this.consolidations.get(principal, id);
  }

  @Post('consolidations/:id/consent')
  @Roles('partner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The absorbed partner consents with its own key; the consolidation then goes to review' })
  @ApiOkResponse({ type: ConsolidationDto })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'consolidation_not_awaiting_consent' })
  consent(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<ConsolidationDto> {
    return this.consolidations.answer(principal, id, 'consent');
  }

  @Post('consolidations/:id/decline')
  @Roles('partner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The absorbed partner declines with its own key; the consolidation ends and no longer holds it' })
  @ApiOkResponse({ type: ConsolidationDto })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'consolidation_not_awaiting_consent' })
  decline(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<ConsolidationDto> {
    return this.consolidations.answer(principal, id, 'decline');
  }
}
