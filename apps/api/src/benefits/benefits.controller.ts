import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { UuidParam } from '../common/params';
import { BenefitPurchasesService } from './benefit-purchases.service';
import { BenefitUsesService } from './benefit-uses.service';
import {
  BenefitPurchaseAcceptedDto,
  BenefitPurchaseRequestDto,
  BenefitQuoteDto,
  BenefitsDto,
  BenefitsQuery,
  BenefitUseDto,
  BenefitUseRequestDto,
  LicenseKeyRequestDto,
  SupportIncidentRequestDto,
} from './benefits.dto';
import { BenefitsService } from './benefits.service';

@ApiTags('benefits')
@ApiKeyRoutes()
@Controller('v1/partners/:id/benefits')
export class BenefitsController {
  constructor(
    private readonly benefits: BenefitsService,
    private readonly uses: BenefitUsesService,
    private readonly purchases: BenefitPurchasesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The partner's entitlements for its current membership term: source, quantity, used, remaining, validity",
  })
  @ApiOkResponse({ type: BenefitsDto })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: BenefitsQuery): Promise<BenefitsDto> {
    return this.benefits.list(principal, id, query.stage);
  }

  @Post(':code/uses')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Use one unit of a benefit (the partner, or staff on its behalf): a counted benefit opens a support incident, a license benefit issues a license key, shown once',
  })
  @Idempotent({ required: true })
  @ApiExtraModels(SupportIncidentRequestDto, LicenseKeyRequestDto)
  @ApiBody({
    description: 'A support incident for a counted benefit; for a license benefit, a note or nothing',
    schema: { oneOf: [{ $ref: getSchemaPath(SupportIncidentRequestDto) }, { $ref: getSchemaPath(LicenseKeyRequestDto) }] },
  })
  @ApiCreatedResponse({ type: BenefitUseDto })
  @ApiErrorResponse(
    409,
    'entitlement_exhausted: every unit of the term is used (details.alternatives: the optional benefits the partner can buy, at its price); entitlement_not_usable: the entitlement has ended or not begun',
  )
  @ApiErrorResponse(
    422,
    'benefit_not_consumable: the benefit is held, not used unit by unit; benefit_use_mismatch: the body is the other kind of benefit’s',
  )
  use(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Param('code') code: string,
    @Body() body: BenefitUseRequestDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<BenefitUseDto> {
    return this.uses.use(principal, id, code, body, idempotency);
  }

  @Get(':code/quote')
  @ApiOperation({
    summary:
      'What buying an optional benefit would cost the partner now (member price, competency saving, proration) and the lines its invoice would carry',
  })
  @ApiOkResponse({ type: BenefitQuoteDto })
  @ApiErrorResponse(422, 'benefit_not_offered: not an optional benefit, or not for sale to the partner (its level, its status)')
  @ApiErrorResponse(409, 'subscription_active: the partner holds the subscription for its current term, or is buying it')
  quote(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Param('code') code: string): Promise<BenefitQuoteDto> {
    return this.purchases.quote(principal, id, code);
  }

  @Post(':code/purchases')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      "Buy an optional benefit for the current term at the partner's price (member price, competency saving, prorated): invoiced, then granted as a subscription until the term ends once paid",
  })
  @Idempotent()
  @ApiBody({ type: BenefitPurchaseRequestDto, required: false })
  @ApiAcceptedResponse({ type: BenefitPurchaseAcceptedDto })
  @ApiErrorResponse(422, 'benefit_not_offered: not an optional benefit, or not for sale to the partner (its level, its status)')
  @ApiErrorResponse(
    409,
    'subscription_active: the partner holds the subscription for its current term, or is buying it; already_started: the purchase runs',
  )
  purchase(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Param('code') code: string,
    @Body() body: BenefitPurchaseRequestDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<BenefitPurchaseAcceptedDto> {
    return this.purchases.purchase(principal, id, code, body, idempotency);
  }
}
