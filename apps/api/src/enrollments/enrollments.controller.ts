import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { assertIdempotencyKey } from '../common/idempotency.service';
import { uuidParam } from '../common/params';
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
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat with the same key answers the first result' })
  @ApiAcceptedResponse({ type: EnrollmentAcceptedDto })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiTooManyRequestsResponse({ type: ApiErrorBody })
  submit(
    @Body() body: CreateEnrollmentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<EnrollmentAcceptedDto> {
    assertIdempotencyKey(idempotencyKey);
    return this.enrollments.submit(body, idempotencyKey);
  }

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An enrollment with its timeline' })
  @ApiOkResponse({ type: EnrollmentDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<EnrollmentDto> {
    return this.enrollments.get(principal, id);
  }
}
