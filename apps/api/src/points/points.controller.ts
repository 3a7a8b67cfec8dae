import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PartnerStanding } from '#queries/standing';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiPageErrors, ApiKeyRoutes } from '../common/api-responses';
import { PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import type { LedgerEntryView } from '#queries/points';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import {
  EVIDENCE_BODY_SCHEMA,
  EVIDENCE_VARIANTS,
  EvidenceAcceptedDto,
  EvidencePageDto,
  PointCorrectionDto,
  RecordEvidenceDto,
} from './evidence.dto';
import { PointsService } from './points.service';

@ApiTags('points')
@ApiKeyRoutes()
@Controller('v1/partners/:id')
export class PointsController {
  constructor(private readonly points: PointsService) {}

  @Post('evidence')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Record evidence; a reviewer verifies it where the catalog says so, then its points are awarded' })
  @ApiExtraModels(...Object.values(EVIDENCE_VARIANTS))
  @ApiBody({ schema: EVIDENCE_BODY_SCHEMA })
  @ApiAcceptedResponse({ type: EvidenceAcceptedDto })
  @ApiErrorResponse(409, 'partner_not_open, duplicate_evidence')
  @ApiErrorResponse(422, "evidence_not_accepted: the program does not accept it; unknown_location: not one of the partner's offices")
  record(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() body: RecordEvidenceDto): Promise<EvidenceAcceptedDto> {
    return this.points.record(principal, id, body);
  }

  @Get('evidence')
  @ApiPageErrors()
  @ApiOperation({ summary: "The partner's evidence, newest first, keyset-paginated" })
  @ApiOkResponse({ type: EvidencePageDto })
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<EvidencePageDto> {
    return this.points.list(principal, id, query);
  }

  @Get('standing')
  @ApiOperation({ summary: 'Points by source in the window, eligibility per level with what is missing, and points expiring soon' })
  @ApiOkResponse({ description: 'The standing' })
  standing(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<PartnerStanding> {
    return this.points.standing(principal, id);
  }

  @Post('points/corrections')
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Correct a ledger entry with a new entry (admin); entries are never edited' })
  @Idempotent()
  @ApiCreatedResponse({ description: 'The correction entry' })
  @ApiErrorResponse(422, 'correction_refused')
  correct(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: PointCorrectionDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<LedgerEntryView> {
    return this.points.correct(principal, id, body, idempotency);
  }
}
