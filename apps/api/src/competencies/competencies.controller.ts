import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { ReasonDto } from '../common/reason.dto';
import { ApplyForCompetencyDto, CompetencyAcceptedDto, CompetencyDto, RevokedCompetencyDto } from './competencies.dto';
import { CompetenciesService } from './competencies.service';

@ApiTags('competencies')
@ApiKeyRoutes()
@Controller('v1/partners/:id/competencies')
export class CompetenciesController {
  constructor(private readonly competencies: CompetenciesService) {}

  @Post()
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Apply for a competency; applying again while it is verified answers the running verification' })
  @ApiAcceptedResponse({ type: CompetencyAcceptedDto })
  @ApiErrorResponse(422, 'unknown_competency; details.validCodes lists the codes')
  @ApiErrorResponse(409, 'competency_already_granted, partner_not_open, already_started')
  apply(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: ApplyForCompetencyDto,
  ): Promise<CompetencyAcceptedDto> {
    return this.competencies.apply(principal, id, body.code);
  }

  @Get()
  @ApiOperation({ summary: "The partner's competencies with their verification status" })
  @ApiOkResponse({ type: [CompetencyDto] })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<CompetencyDto[]> {
    return this.competencies.list(principal, id);
  }

  @Post(':code/revoke')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a granted competency (admin); its points are reversed and the level re-evaluated' })
  @ApiOkResponse({ type: RevokedCompetencyDto })
  @ApiErrorResponse(409, 'competency_not_granted')
  revoke(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Param('code') code: string,
    @Body() body: ReasonDto,
  ): Promise<RevokedCompetencyDto> {
    return this.competencies.revoke(principal, id, code, body.reason);
  }
}
