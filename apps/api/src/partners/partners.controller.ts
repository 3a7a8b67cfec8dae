import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { ReasonDto } from '../common/reason.dto';
import { AcceptTermsDto, PartnerDto, TermsAcceptedDto, WithdrawalAcceptedDto } from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@ApiKeyRoutes()
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A partner organization (partner keys see only their own)' })
  @ApiOkResponse({ type: PartnerDto })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<PartnerDto> {
    return this.partners.get(principal, id);
  }

  @Post(':id/withdraw')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Leave the program; fees paid within the refund window are returned' })
  @ApiAcceptedResponse({ type: WithdrawalAcceptedDto })
  @ApiErrorResponse(409, 'partner_not_open, already_started')
  withdraw(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() body: ReasonDto): Promise<WithdrawalAcceptedDto> {
    return this.partners.withdraw(principal, id, body.reason);
  }

  @Post(':id/terms')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept the program terms in force; a renewal waiting for them goes on' })
  @ApiOkResponse({ type: TermsAcceptedDto })
  @ApiErrorResponse(422, 'terms_version_stale: not the version in force')
  @ApiErrorResponse(409, 'partner_not_open')
  acceptTerms(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() body: AcceptTermsDto): Promise<TermsAcceptedDto> {
    return this.partners.acceptTerms(principal, id, body.version);
  }
}
