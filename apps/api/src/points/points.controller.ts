import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PartnerStanding } from '#queries/standing';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { PageQuery } from '../common/pagination';
import { uuidParam } from '../common/params';
import type { LedgerEntryView } from '#queries/points';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { EvidenceAcceptedDto, EvidencePageDto, PointCorrectionDto, RecordEvidenceDto } from './evidence.dto';
import { PointsService } from './points.service';

@ApiTags('points')
@ApiBearerAuth()
@Controller('v1/partners/:id')
export class PointsController {
  constructor(private readonly points: PointsService) {}

  @Post('evidence')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Record evidence; a reviewer verifies it where the catalog says so, then its points are awarded' })
  @ApiAcceptedResponse({ type: EvidenceAcceptedDto })
  @ApiConflictResponse({ type: ApiErrorBody })
  record(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: RecordEvidenceDto,
  ): Promise<EvidenceAcceptedDto> {
    return this.points.record(principal, id, body);
  }

  @Get('evidence')
  @ApiOperation({ summary: "The partner's evidence, newest first, keyset-paginated" })
  @ApiOkResponse({ type: EvidencePageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQuery,
  ): Promise<EvidencePageDto> {
    return this.points.list(principal, id, query);
  }

  @Get('standing')
  @ApiOperation({ summary: 'Points by source in the window, eligibility per level with what is missing, and points expiring soon' })
  standing(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<PartnerStanding> {
    return this.points.standing(principal, id);
  }

  @Post('points/corrections')
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Correct a ledger entry with a new entry (admin); entries are never edited' })
  @Idempotent()
  correct(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: PointCorrectionDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<LedgerEntryView> {
    return this.points.correct(principal, id, body, idempotency);
  }
}
