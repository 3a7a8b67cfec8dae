import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '../auth/principal';
import { ApiErrorResponse, ApiErrors, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { UuidParam } from '../common/params';
import { CreateEnrollmentDto, EnrollmentAcceptedDto, EnrollmentDto } from './enrollments.dto';
import { EnrollmentsService } from './enrollments.service';

@ApiTags('enrollments')
@Controller('v1/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Post()
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Enroll an organization (public, rate-limited, idempotent with Idempotency-Key)' })
  @Idempotent()
  @ApiAcceptedResponse({ type: EnrollmentAcceptedDto })
  @ApiErrors([400, 429, 503])
  @ApiErrorResponse(
    422,
    'application_refused: the program rules refuse it (fields: level_not_offered, country_mismatch, terms_not_accepted); ' +
      'terms_version_stale: other terms than those in force',
  )
  submit(@Body() body: CreateEnrollmentDto, @Idempotency() idempotency: IdempotentRequest): Promise<EnrollmentAcceptedDto> {
    return this.enrollments.submit(body, idempotency);
  }

  @Get(':id')
  @ApiKeyRoutes()
  @ApiOperation({ summary: 'An enrollment with its timeline' })
  @ApiOkResponse({ type: EnrollmentDto })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<EnrollmentDto> {
    return this.enrollments.get(principal, id);
  }
}
