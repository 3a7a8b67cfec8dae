import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiKeyRoutes } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { BenefitsDto, BenefitsQuery } from './benefits.dto';
import { BenefitsService } from './benefits.service';

@ApiTags('benefits')
@ApiKeyRoutes()
@Controller('v1/partners/:id/benefits')
export class BenefitsController {
  constructor(private readonly benefits: BenefitsService) {}

  @Get()
  @ApiOperation({
    summary: "The partner's entitlements for its current membership term: source, quantity, used, remaining, validity",
  })
  @ApiOkResponse({ type: BenefitsDto })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: BenefitsQuery): Promise<BenefitsDto> {
    return this.benefits.list(principal, id, query.stage);
  }
}
