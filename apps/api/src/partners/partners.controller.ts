import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { uuidParam } from '../common/params';
import { ReasonDto } from '../common/reason.dto';
import { AcceptTermsDto, PartnerDto, TermsAcceptedDto, WithdrawalAcceptedDto } from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A partner organization (partner keys see only their own)' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<PartnerDto> {
    return this.partners.get(principal, id);
  }

  @Post(':id/withdraw')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Leave the program; fees paid within the refund window are returned' })
  @ApiAcceptedResponse({ type: WithdrawalAcceptedDto })
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: ReasonDto,
  ): Promise<WithdrawalAcceptedDto> {
    return this.partners.withdraw(principal, id, body.reason);
  }

  @Post(':id/terms')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept the program terms in force; a renewal waiting for them goes on' })
  @ApiOkResponse({ type: TermsAcceptedDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorBody, description: 'terms_version_stale: not the version in force' })
  acceptTerms(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: AcceptTermsDto,
  ): Promise<TermsAcceptedDto> {
    return this.partners.acceptTerms(principal, id, body.version);
  }
}
