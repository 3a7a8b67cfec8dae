import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiPageErrors, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import { ConsolidationDto, ConsolidationPageDto, RequestConsolidationDto } from './consolidations.dto';
import { ConsolidationsService } from './consolidations.service';

@ApiTags('consolidations')
@ApiKeyRoutes()
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
  @ApiErrorResponse(409, 'partner_not_active (the survivor), too_many_open_consolidations')
  @ApiErrorResponse(
    422,
    'same_partner; consolidation_refused: the partner named is unknown, not eligible or already asked for (one answer for all)',
  )
  @Idempotent()
  request(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: RequestConsolidationDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<ConsolidationDto> {
    return this.consolidations.request(principal, id, body.absorbedPartnerId, idempotency);
  }

  @Get('partners/:id/consolidations')
  @ApiPageErrors()
  @ApiOperation({ summary: 'Consolidations the partner is part of, newest first, keyset-paginated' })
  @ApiOkResponse({ type: ConsolidationPageDto })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<ConsolidationPageDto> {
    return this.consolidations.list(principal, id, query);
  }

  @Get('consolidations/:id')
  @ApiOperation({ summary: 'One consolidation and what it moved' })
  @ApiOkResponse({ type: ConsolidationDto })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<ConsolidationDto> {
    return this.consolidations.get(principal, id);
  }

  @Post('consolidations/:id/consent')
  @Roles('partner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The absorbed partner consents with its own key; the consolidation then goes to review' })
  @ApiOkResponse({ type: ConsolidationDto })
  @ApiErrorResponse(403, "consent_by_absorbed_partner: only the absorbed partner's own key answers")
  @ApiErrorResponse(409, 'consolidation_not_awaiting_consent')
  consent(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<ConsolidationDto> {
    return this.consolidations.answer(principal, id, 'consent');
  }

  @Post('consolidations/:id/decline')
  @Roles('partner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The absorbed partner declines with its own key; the consolidation ends and no longer holds it' })
  @ApiOkResponse({ type: ConsolidationDto })
  @ApiErrorResponse(403, "consent_by_absorbed_partner: only the absorbed partner's own key answers")
  @ApiErrorResponse(409, 'consolidation_not_awaiting_consent')
  decline(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<ConsolidationDto> {
    return this.consolidations.answer(principal, id, 'decline');
  }
}
