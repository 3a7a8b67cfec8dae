import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
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
  @Idempotent()
  @ApiAcceptedResponse({ type: EnrollmentAcceptedDto })
  @ApiBadRequestResponse({ type: ApiErrorBody })
  @ApiTooManyRequestsResponse({ type: ApiErrorBody })
  submit(@Body() body: CreateEnrollmentDto, @Idempotency() idempotency: IdempotentRequest): Promise<EnrollmentAcceptedDto> {
    return this.enrollments.submit(body, idempotency);
  }

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An enrollment with its timeline' })
  @ApiOkResponse({ type: EnrollmentDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<EnrollmentDto> {
    return this.enrollments.get(principal, id);
  }
}
