import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LocationView } from '#queries/locations';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { UuidParam } from '../common/params';
import { AddOfficeDto, OfficeDto, UpdateOfficeDto } from './locations.dto';
import { LocationsService } from './locations.service';

@ApiTags('locations')
@ApiKeyRoutes()
@Controller('v1/partners/:id/locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Get()
  @ApiOperation({ summary: "The partner's offices, primary first" })
  @ApiOkResponse({ type: [OfficeDto] })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<LocationView[]> {
    return this.locations.list(principal, id);
  }

  @Post()
  @Roles('partner', 'admin')
  @ApiOperation({ summary: "Add an office in the primary office's country; no fee is charged" })
  @ApiCreatedResponse({ type: OfficeDto })
  @ApiErrorResponse(422, 'country_mismatch')
  @ApiErrorResponse(409, 'location_change_refused')
  @Idempotent()
  add(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: AddOfficeDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<LocationView> {
    return this.locations.add(principal, id, body, idempotency);
  }

  @Patch(':locationId')
  @Roles('partner', 'admin')
  @ApiOperation({ summary: "Update an office's address" })
  @ApiOkResponse({ type: OfficeDto })
  @ApiErrorResponse(422, 'country_mismatch')
  @ApiErrorResponse(409, 'location_change_refused')
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('locationId') locationId: string,
    @Body() body: UpdateOfficeDto,
  ): Promise<LocationView> {
    return this.locations.update(principal, id, locationId, body);
  }

  @Delete(':locationId')
  @Roles('partner', 'admin')
  @ApiOperation({ summary: 'Remove an office (kept on record as removed); the primary office cannot be removed' })
  @ApiOkResponse({ type: [OfficeDto] })
  @ApiErrorResponse(409, 'primary_office, location_change_refused')
  remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('locationId') locationId: string,
  ): Promise<LocationView[]> {
    return this.locations.remove(principal, id, locationId);
  }

  @Post(':locationId/make-primary')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Make this office the primary office, with an audit event' })
  @ApiOkResponse({ type: [OfficeDto] })
  @ApiErrorResponse(409, 'location_change_refused')
  makePrimary(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @UuidParam('locationId') locationId: string,
  ): Promise<LocationView[]> {
    return this.locations.makePrimary(principal, id, locationId);
  }
}
