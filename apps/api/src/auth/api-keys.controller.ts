import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorBody } from '../common/api-error';
import { ApiKeyIdPipe, uuidParam } from '../common/params';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQuery, RotatedApiKeyDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal, type Principal, Roles } from './principal';

@ApiTags('api-keys')
@ApiBearerAuth()
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
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    return this.apiKeys.list(principal, query);
  }

  @Post(':id/revoke')
  @Roles('admin', 'partner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a key at once (admin, or a partner its own keys)' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'The ADMIN_API_KEY key, which only the environment rotates' })
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ApiKeyIdPipe()) id: string): Promise<ApiKeyDto> {
    return this.apiKeys.revoke(principal, id);
  }
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/partners/:partnerId/api-keys')
export class PartnerApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post('rotate')
  @Roles('admin', 'partner')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Issue the partner a new key; its earlier keys work for the grace period, then stop' })
  @ApiCreatedResponse({ type: RotatedApiKeyDto })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'The partner is no longer in the program' })
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('partnerId', uuidParam('partnerId')) partnerId: string,
  ): Promise<RotatedApiKeyDto> {
    return this.apiKeys.rotate(principal, partnerId);
  }
}
