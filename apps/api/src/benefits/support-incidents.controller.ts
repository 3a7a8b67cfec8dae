import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import { BenefitUsesService } from './benefit-uses.service';
import { ListSupportIncidentsQuery, ResolveSupportIncidentDto, SupportIncidentDto, SupportIncidentPageDto } from './benefits.dto';

/** Support incidents ("response management"): opened by using a counted benefit, moved by staff. */
@ApiTags('benefits')
@ApiKeyRoutes()
@Controller('v1')
export class SupportIncidentsController {
  constructor(private readonly uses: BenefitUsesService) {}

  @Get('partners/:id/support-incidents')
  @ApiOperation({ summary: "The partner's support incidents, newest first, with a cursor" })
  @ApiOkResponse({ type: SupportIncidentPageDto })
  @ApiPageErrors()
  listForPartner(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Query() query: PageQuery,
  ): Promise<SupportIncidentPageDto> {
    return this.uses.listPartnerIncidents(principal, id, query);
  }

  @Get('support-incidents')
  @Roles('reviewer', 'admin')
  @ApiOperation({ summary: "Every partner's support incidents, oldest first (the staff's queue), with a cursor" })
  @ApiOkResponse({ type: SupportIncidentPageDto })
  @ApiPageErrors()
  list(@Query() query: ListSupportIncidentsQuery): Promise<SupportIncidentPageDto> {
    return this.uses.listIncidents(query);
  }

  @Get('support-incidents/:id')
  @ApiOperation({ summary: 'A support incident (staff, or the partner that opened it)' })
  @ApiOkResponse({ type: SupportIncidentDto })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<SupportIncidentDto> {
    return this.uses.getIncident(principal, id);
  }

  @Post('support-incidents/:id/start')
  @Roles('reviewer', 'admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Take an open support incident on (in_progress); the partner is told' })
  @ApiOkResponse({ type: SupportIncidentDto })
  @ApiErrorResponse(409, 'support_incident_not_open')
  start(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<SupportIncidentDto> {
    return this.uses.startIncident(principal, id);
  }

  @Post('support-incidents/:id/resolve')
  @Roles('reviewer', 'admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resolve a support incident in progress; the partner is told, with the resolution' })
  @ApiOkResponse({ type: SupportIncidentDto })
  @ApiErrorResponse(409, 'support_incident_not_in_progress')
  resolve(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: ResolveSupportIncidentDto,
  ): Promise<SupportIncidentDto> {
    return this.uses.resolveIncident(principal, id, body.resolution);
  }
}
