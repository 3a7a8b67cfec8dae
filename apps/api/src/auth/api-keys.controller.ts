import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { API_KEY_ID_PATTERN, ApiKeyIdPipe, UuidParam } from '../common/params';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQuery, RotatedApiKeyDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal, type Principal, Roles } from './principal';

@ApiTags('api-keys')
@ApiKeyRoutes()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Issue a reviewer or admin key (admin only)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: 'API keys, masked: every key for an admin, its own for a partner or reviewer' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiPageErrors()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    return this.apiKeys.list(principal, query);
  }

  @Post(':id/revoke')
  @Roles('admin', 'partner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a key at once (admin, or a partner its own keys)' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: API_KEY_ID_PATTERN } })
  @ApiErrorResponse(404, 'not_found')
  @ApiErrorResponse(409, 'The ADMIN_API_KEY key, which only the environment rotates')
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ApiKeyIdPipe()) id: string): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(principal, id);
  }
}

@ApiTags('api-keys')
@ApiKeyRoutes()
@Controller('v1/partners/:partnerId/api-keys')
export class PartnerApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post('rotate')
  @Roles('admin', 'partner')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Issue the partner a new key; its earlier keys work for the grace period, then stop' })
  @ApiCreatedResponse({ type: RotatedApiKeyDto })
  @ApiErrorResponse(409, 'The partner is no longer in the program')
  rotate(@CurrentPrincipal() principal: Principal, @UuidParam('partnerId') partnerId: string): Promise<RotatedApiKeyDto> {
    return this.apiKeys.rotate(principal, partnerId);
  }
}
