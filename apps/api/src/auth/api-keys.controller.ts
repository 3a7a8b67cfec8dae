import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';
import { Roles } from './principal';

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
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(body);
  }
}
