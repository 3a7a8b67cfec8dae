import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { uuidParam } from '../common/params';
import { PartnerDto } from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A partner organization (partner keys see only their own)' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<PartnerDto> {
    return this.partners.get(principal, id);
  }
}
