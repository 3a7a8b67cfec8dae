import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MembershipState } from '#workflows/renewals/definitions';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { ApiBodyRequiringWhen } from '../common/conditional-body';
import { UuidParam } from '../common/params';
import { BulkRenewalActionDto, BulkRenewalResultDto, ListRenewalsQuery, RenewalPageDto } from './renewals.dto';
import { RenewalsService } from './renewals.service';

@ApiTags('renewals')
@ApiKeyRoutes()
@Controller('v1')
export class RenewalsController {
  constructor(private readonly renewals: RenewalsService) {}

  @Get('renewals')
  @Roles('reviewer', 'admin')
  @ApiOperation({ summary: 'Upcoming and ongoing renewals by term end, oldest first, keyset-paginated' })
  @ApiOkResponse({ type: RenewalPageDto })
  @ApiPageErrors()
  list(@Query() query: ListRenewalsQuery): Promise<RenewalPageDto> {
    return this.renewals.list(query);
  }

  @Post('renewals/bulk')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Remind, or grant a documented exception to, many memberships at once; one result per partner' })
  @ApiBodyRequiringWhen(BulkRenewalActionDto, 'action', { optional: ['remind'], required: ['grant_exception'] }, 'reason')
  @ApiOkResponse({ type: BulkRenewalResultDto })
  bulk(@CurrentPrincipal() principal: Principal, @Body() body: BulkRenewalActionDto): Promise<BulkRenewalResultDto> {
    return this.renewals.bulk(principal, body);
  }

  @Post('partners/:id/renewal')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Renew early, inside the renewal window: re-qualified and invoiced now; the next term starts at the current end',
  })
  @ApiOkResponse({ description: 'The membership as renewed' })
  @ApiErrorResponse(409, 'renewal_not_open')
  renewNow(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<MembershipState> {
    return this.renewals.renewNow(principal, id);
  }
}
