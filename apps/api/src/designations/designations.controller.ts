import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { UuidParam } from '../common/params';
import { ReasonDto } from '../common/reason.dto';
import { ApplyForDesignationDto, DesignationAcceptedDto, DesignationDto, RevokedDesignationDto } from './designations.dto';
import { DesignationsService } from './designations.service';

@ApiTags('designations')
@ApiKeyRoutes()
@Controller('v1/partners/:id/designations')
export class DesignationsController {
  constructor(private readonly designations: DesignationsService) {}

  @Post()
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Apply for a designation; refused with what is missing when the partner does not meet it, then reviewed' })
  @Idempotent()
  @ApiAcceptedResponse({ type: DesignationAcceptedDto })
  @ApiErrorResponse(
    422,
    'unknown_designation (details.validCodes lists the codes); designation_requirements_unmet (details.missing lists the unmet checks)',
  )
  @ApiErrorResponse(409, 'designation_already_granted, designation_in_review, partner_not_active')
  apply(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: ApplyForDesignationDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<DesignationAcceptedDto> {
    return this.designations.apply(principal, id, body, idempotency);
  }

  @Get()
  @ApiOperation({ summary: "The partner's designations with their status, assessment and validity" })
  @ApiOkResponse({ type: [DesignationDto] })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<DesignationDto[]> {
    return this.designations.list(principal, id);
  }

  @Post(':code/revoke')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a granted designation (admin); it and the benefits it gives end now' })
  @ApiOkResponse({ type: RevokedDesignationDto })
  @ApiErrorResponse(409, 'designation_not_granted')
  revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Param('code') code: string,
    @Body() body: ReasonDto,
  ): Promise<RevokedDesignationDto> {
    return this.designations.revoke(principal, id, code, body.reason);
  }
}
