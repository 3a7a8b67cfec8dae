import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { uuidParam } from '../common/params';
import { RequestUpgradeDto, UpgradeAcceptedDto, UpgradeRequestDto } from './upgrades.dto';
import { UpgradesService } from './upgrades.service';

@ApiTags('upgrades')
@ApiBearerAuth()
@Controller('v1/partners/:id')
export class UpgradesController {
  constructor(private readonly upgrades: UpgradesService) {}

  @Post('upgrade')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Ask to move up a level; refused with the missing items when not eligible' })
  @Idempotent()
  @ApiAcceptedResponse({ type: UpgradeAcceptedDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorBody, description: 'code not_eligible, details.missing lists what is missing' })
  request(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
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
    @Param('id', uuidParam()) id: string,
    @Param('requestId', uuidParam('requestId')) requestId: string,
  ): Promise<UpgradeRequestDto> {
    return this.upgrades.get(principal, id, requestId);
  }
}
