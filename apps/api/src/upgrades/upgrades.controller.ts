import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { UuidParam } from '../common/params';
import { RequestUpgradeDto, UpgradeAcceptedDto, UpgradeRequestDto } from './upgrades.dto';
import { UpgradesService } from './upgrades.service';

@ApiTags('upgrades')
@ApiKeyRoutes()
@Controller('v1/partners/:id')
export class UpgradesController {
  constructor(private readonly upgrades: UpgradesService) {}

  @Post('upgrade')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Ask to move up a level; refused with the missing items when not eligible' })
  @Idempotent()
  @ApiAcceptedResponse({ type: UpgradeAcceptedDto })
  @ApiErrorResponse(422, 'not_eligible: details.missing lists what is missing')
  @ApiErrorResponse(409, 'partner_not_active, not_an_upgrade, upgrade_in_progress')
  request(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: RequestUpgradeDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<UpgradeAcceptedDto> {
    return this.upgrades.request(principal, id, body, idempotency);
  }

  @Get('upgrades/:requestId')
  @ApiOperation({ summary: 'An upgrade request and its status' })
  @ApiOkResponse({ type: UpgradeRequestDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('requestId') requestId: string,
  ): Promise<UpgradeRequestDto> {
    return this.upgrades.get(principal, id, requestId);
  }
}
